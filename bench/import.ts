// How long does importing five years of another app's check-ins take, and how much memory?
//
//   node --expose-gc --import tsx bench/import.ts
//
// Writes a Daylio-style CSV export of IMPORT_BENCH_DAYS days (1826, five years) with three
// entries a day (mood, activities, a quoted note with a comma), then imports it with
// `importCsv('daylio', …)` (core/src/checkins/import) IMPORT_BENCH_RUNS times (5) in Node, and
// prints each run's time and how much the heap grew across it: with `--expose-gc`, garbage is
// collected before each run, so the growth is what the import produced (its result plus garbage
// not yet collected) — an upper bound for the memory it needs on top of the file's text.
import { performance } from 'node:perf_hooks';
import { importCsv } from '../core/src/checkins/import/index.js';
import { whole } from './report.js';

const days = whole(process.env, 'IMPORT_BENCH_DAYS', 1826, 1, 50_000);
const runs = whole(process.env, 'IMPORT_BENCH_RUNS', 5, 1, 100);

const moods = ['rad', 'good', 'meh', 'bad', 'awful'];
const lines = ['full_date,date,weekday,time,mood,activities,note_title,note'];
for (let d = 0; d < days; d++) {
  for (let k = 0; k < 3; k++) {
    const date = new Date(Date.UTC(2021, 0, 1) + d * 864e5).toISOString().slice(0, 10);
    lines.push(
      `${date},x,y,${String(8 + k * 5)}:15,${moods[(d + k) % 5] ?? 'meh'},walk | friends | music,,"a note, with a comma"`,
    );
  }
}
const text = lines.join('\n');
const gc = (globalThis as { gc?: () => void }).gc;
console.log(
  `A Daylio CSV of ${String(lines.length - 1)} rows (${(text.length / 1024).toFixed(0)} KiB).` +
    (gc === undefined ? ' (Run with --expose-gc for steadier memory figures.)' : ''),
);
for (let run = 0; run < runs; run++) {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const result = importCsv('daylio', text, { now: '2026-01-01T00:00:00Z' });
  const ms = performance.now() - t0;
  const grew = process.memoryUsage().heapUsed - before;
  if (!result.ok) throw new Error(`the import failed: ${JSON.stringify(result.error)}`);
  console.log(
    `run ${String(run + 1)}: ${ms.toFixed(0)} ms, heap +${(grew / 1048576).toFixed(1)} MiB` +
      `${run === 0 ? ' (cold)' : ''}`,
  );
}
