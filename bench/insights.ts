// How long do "what goes with my better days" insights take in the browser over five years?
//
//   node --import tsx bench/insights.ts
//
// Makes five years of check-ins (INSIGHTS_BENCH_DAYS 1800 days, three check-ins a day, 30
// trackers of every numeric kind, yes/no and tag sets of 8 tags, each recorded 70 % of the time;
// deterministic), bundles core/src/checkins for the browser with esbuild, and in headless
// Chromium times, per run: bucketing the check-ins into the person's local days
// (`dailyValues`, Europe/Berlin) and comparing the outcome with every tracker and tag on the same
// and the next day (`insights`). Prints the first (cold) run and the median of the following
// INSIGHTS_BENCH_RUNS (10) against the budget (INSIGHTS_BENCH_BUDGET_MS, 200; exit code 1 above).
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Checkin, Tracker } from '../core/src/checkins/schema.js';
import { repoRoot } from '../e2e/support/tend-server.js';
import { launchBrowser, noBrowser } from '../e2e/support/browser.js';
import { whole } from './report.js';

const envNumber = (name: string, fallback: number, min: number, max: number): number =>
  whole(process.env, name, fallback, min, max);

const T = '2021-01-01T00:00:00.000Z';
const KINDS: Tracker['kind'][] = ['scale', 'number', 'yesno', 'duration', 'tags'];

function data(days: number): { trackers: Tracker[]; checkins: Pick<Checkin, 'at' | 'values'>[] } {
  const trackers = Array.from({ length: 30 }, (_, i): Tracker => {
    const kind = KINDS[i % KINDS.length] ?? 'number';
    return {
      v: 1,
      id: `t${String(i)}`,
      name: `Tracker ${String(i)}`,
      kind,
      archived: false,
      createdAt: T,
      updatedAt: T,
      ...(kind === 'scale' ? { scale: { min: 1, max: 5 } } : {}),
      ...(kind === 'tags' ? { tags: Array.from({ length: 8 }, (_, k) => `tag ${String(k)}`) } : {}),
    };
  });
  let seed = 1;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const checkins: Pick<Checkin, 'at' | 'values'>[] = [];
  for (let d = 0; d < days; d++) {
    for (let k = 0; k < 3; k++) {
      const values: Record<string, unknown> = {};
      for (const t of trackers) {
        if (rnd() < 0.3) continue;
        values[t.id] =
          t.kind === 'scale'
            ? 1 + Math.floor(rnd() * 5)
            : t.kind === 'yesno'
              ? rnd() < 0.5
              : t.kind === 'tags'
                ? [`tag ${String(Math.floor(rnd() * 8))}`, `tag ${String(Math.floor(rnd() * 8))}`]
                : Math.round(rnd() * 600) / 10;
      }
      checkins.push({
        at: new Date(Date.UTC(2021, 0, 1) + d * 864e5 + k * 5 * 36e5).toISOString(),
        values: values as Checkin['values'],
      });
    }
  }
  return { trackers, checkins };
}

const ENTRY = `
import { dailyValues } from ${JSON.stringify(join(repoRoot, 'core/src/checkins/days.ts'))};
import { insights } from ${JSON.stringify(join(repoRoot, 'core/src/checkins/insights.ts'))};
globalThis.runInsights = (checkinsJson, trackersJson, runs) => {
  const checkins = JSON.parse(checkinsJson);
  const trackers = JSON.parse(trackersJson);
  const times = [];
  let figures = 0;
  let days = 0;
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const table = dailyValues(checkins, trackers, { timeZone: 'Europe/Berlin' });
    const t1 = performance.now();
    const report = insights(table, trackers, 't0');
    const t2 = performance.now();
    if (!report.ok) throw new Error(JSON.stringify(report.error));
    figures = report.value.insights.length;
    days = table.length;
    times.push({ bucket: t1 - t0, insights: t2 - t1, total: t2 - t0 });
  }
  return { times, figures, days };
};
`;

interface Run {
  bucket: number;
  insights: number;
  total: number;
}

async function main(): Promise<void> {
  const days = envNumber('INSIGHTS_BENCH_DAYS', 1800, 30, 20_000);
  const runs = envNumber('INSIGHTS_BENCH_RUNS', 10, 1, 100);
  const budgetMs = envNumber('INSIGHTS_BENCH_BUDGET_MS', 200, 1, 600_000);
  if (noBrowser) throw new Error('This benchmark needs Chromium (CHROMIUM_PATH).');

  const { trackers, checkins } = data(days);
  const tmp = mkdtempSync(join(tmpdir(), 'tend-insights-bench-'));
  const browser = await launchBrowser();
  try {
    const entry = join(tmp, 'entry.ts');
    writeFileSync(entry, ENTRY);
    const bundle = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
    });
    const page = await browser.newPage();
    await page.goto('about:blank');
    await page.addScriptTag({ content: bundle.outputFiles[0]?.text ?? '' });
    const result = await page.evaluate(
      ([c, t, n]) =>
        (
          globalThis as unknown as {
            runInsights: (
              c: string,
              t: string,
              n: number,
            ) => { times: Run[]; figures: number; days: number };
          }
        ).runInsights(c, t, n),
      [JSON.stringify(checkins), JSON.stringify(trackers), runs + 1] as const,
    );
    const [cold, ...warm] = result.times;
    const sorted = [...warm].sort((a, b) => a.total - b.total);
    const median = sorted[Math.floor(sorted.length / 2)] ?? cold;
    if (cold === undefined || median === undefined) throw new Error('no runs');
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    console.log(
      `${String(checkins.length)} check-ins over ${String(result.days)} days, 30 trackers: ` +
        `${String(result.figures)} figures (same day and next day).`,
    );
    console.log(
      `In headless Chromium ${browser.version()}: first run ${ms(cold.total)} ` +
        `(bucketing ${ms(cold.bucket)}, insights ${ms(cold.insights)}); median of the next ` +
        `${String(warm.length)}: ${ms(median.total)} (bucketing ${ms(median.bucket)}, insights ` +
        `${ms(median.insights)}); budget ${ms(budgetMs)}.`,
    );
    if (median.total > budgetMs) {
      console.log('Over budget.');
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`The benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
