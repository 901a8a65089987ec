import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatRule,
  isLocalDate,
  isLocalDateTime,
  lastDateOfUntil,
  localDateAt,
  normaliseTimeZone,
  occurrenceIdOf,
  parseDateStamp,
  parseOccurrenceId,
  parseRule,
  parseUtcStamp,
  utcStamp,
} from './recurrence-rule.js';

describe('recurrence-rule (no Temporal)', () => {
  it('stays light: neither it nor the form imports rrule-temporal or the expansion module', () => {
    for (const file of ['recurrence-rule.ts', 'recurrence-form.ts', 'when.ts']) {
      const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports, file).not.toContain('rrule-temporal');
      expect(imports, file).not.toContain('./recurrence.js');
    }
  });

  it('checks local dates and times on the calendar', () => {
    expect(isLocalDateTime('2028-02-29T23:59')).toBe(true);
    expect(isLocalDateTime('2026-02-29T10:00')).toBe(false);
    expect(isLocalDateTime('2026-04-31T10:00')).toBe(false);
    expect(isLocalDateTime('2026-01-01T24:00')).toBe(false);
    expect(isLocalDateTime('2026-01-01T10:60')).toBe(false);
    expect(isLocalDateTime('0000-01-01T10:00')).toBe(false);
    expect(isLocalDateTime('2026-01-01T10:00:00')).toBe(false);
    expect(isLocalDate('2026-12-31')).toBe(true);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(parseDateStamp('20261231')).toBe('2026-12-31');
    expect(parseDateStamp('20261331')).toBeNull();
  });

  it('knows IANA zones by their canonical spelling, and refuses offsets', () => {
    expect(normaliseTimeZone('europe/london')).toBe('Europe/London');
    expect(normaliseTimeZone('Pacific/Auckland')).toBe('Pacific/Auckland');
    expect(normaliseTimeZone('UTC')).toBe('UTC');
    for (const bad of ['+01:00', '-0500', 'Mars/Olympus_Mons', '', 'Europe/London\n', '../etc']) {
      expect(normaliseTimeZone(bad), bad).toBeNull();
    }
    expect(localDateAt(Date.parse('2026-03-31T23:30:00Z'), 'Europe/London')).toBe('2026-04-01');
    expect(localDateAt(Date.parse('2026-03-31T23:30:00Z'), 'America/Los_Angeles')).toBe(
      '2026-03-31',
    );
  });

  it('writes and reads UTC stamps and occurrence ids', () => {
    const ms = Date.parse('2026-03-29T18:00:00Z');
    expect(utcStamp(ms)).toBe('20260329T180000Z');
    expect(parseUtcStamp('20260329T180000Z')).toBe(ms);
    expect(parseUtcStamp('20260329T250000Z')).toBeNull();
    expect(occurrenceIdOf('a_b-C', ms)).toBe('a_b-C.20260329T180000Z');
    expect(parseOccurrenceId('a_b-C.20260329T180000Z')).toEqual({
      seriesId: 'a_b-C',
      originalStart: '2026-03-29T18:00:00.000Z',
    });
    expect(parseOccurrenceId('a b.20260329T180000Z')).toBeNull();
    expect(parseOccurrenceId('.20260329T180000Z')).toBeNull();
  });

  it('reads "until the end of a local date" in both forms', () => {
    expect(lastDateOfUntil('20260630', 'Asia/Tokyo')).toBe('2026-06-30');
    expect(lastDateOfUntil('20260630T145959Z', 'Asia/Tokyo')).toBe('2026-06-30');
    expect(lastDateOfUntil('20260630T150000Z', 'Asia/Tokyo')).toBeNull();
    expect(lastDateOfUntil('nonsense', 'Asia/Tokyo')).toBeNull();
  });

  it('formats parsed rules canonically', () => {
    const parsed = parseRule('byday=th,tu,TU;freq=weekly;interval=1;count=4');
    expect(parsed.ok && formatRule(parsed.value)).toBe('FREQ=WEEKLY;BYDAY=TH,TU;COUNT=4');
    const monthly = parseRule('FREQ=MONTHLY;BYDAY=MO,-1FR;BYSETPOS=1,-1;INTERVAL=3;UNTIL=20270101');
    expect(monthly.ok && formatRule(monthly.value)).toBe(
      'FREQ=MONTHLY;INTERVAL=3;BYDAY=MO,-1FR;BYSETPOS=1,-1;UNTIL=20270101',
    );
  });
});
