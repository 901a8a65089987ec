import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MONTH_ORDINALS,
  describeSchedule,
  recurrenceWordsEn,
  formToRrule,
  rruleToForm,
  suggestionsFor,
  type Ends,
  type RepeatForm,
  type Repeat,
} from './recurrence-form.js';
import { WEEKDAYS, expandSeries, validateSeries, type Weekday } from './recurrence.js';

const zones = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];

const weekday = fc.constantFrom(...WEEKDAYS);
const interval = fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 99 }));
const repeatArb: fc.Arbitrary<Repeat> = fc.oneof(
  fc.constant({ kind: 'once' } as const),
  interval.map((i) => ({ kind: 'daily', interval: i }) as const),
  fc
    .record({ interval, days: fc.uniqueArray(weekday, { minLength: 1, maxLength: 7 }) })
    .map((r) => ({
      kind: 'weekly' as const,
      interval: r.interval,
      days: WEEKDAYS.filter((d) => r.days.includes(d)),
    })),
  fc
    .record({ interval, ordinal: fc.constantFrom(...MONTH_ORDINALS), weekday })
    .map((r) => ({ kind: 'monthlyByWeekday', ...r }) as const),
  fc
    .record({ interval, day: fc.integer({ min: 1, max: 31 }) })
    .map((r) => ({ kind: 'monthlyByDay', ...r }) as const),
);
const dateArb = fc
  .date({
    min: new Date('2026-01-01T00:00:00Z'),
    max: new Date('2040-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));
const endsArb: fc.Arbitrary<Ends> = fc.oneof(
  fc.constant({ kind: 'never' } as const),
  fc.integer({ min: 1, max: 1000 }).map((count) => ({ kind: 'after', count }) as const),
  dateArb.map((date) => ({ kind: 'on', date }) as const),
);
const formArb: fc.Arbitrary<RepeatForm> = fc
  .record({ repeat: repeatArb, ends: endsArb })
  .map((f) => (f.repeat.kind === 'once' ? { repeat: f.repeat, ends: { kind: 'never' } } : f));

function rruleOf(form: RepeatForm, _zone?: string): string | null {
  const r = formToRrule(form);
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

describe('form ↔ RRULE', () => {
  it('every form choice reads back as itself (property, over generated choices and zones)', () => {
    fc.assert(
      fc.property(formArb, fc.constantFrom(...zones), (form, zone) => {
        const rrule = rruleOf(form, zone);
        expect(rruleToForm(rrule, zone)).toEqual(form);
      }),
      { numRuns: 500 },
    );
  });

  it('every generated rule is one validateSeries accepts, and gives the chosen days', () => {
    fc.assert(
      fc.property(formArb, fc.constantFrom(...zones), (form, zone) => {
        const rrule = rruleOf(form, zone);
        const series = {
          id: 's',
          start: '2025-12-01T19:00',
          timeZone: zone,
          durationMinutes: 60,
          rrule,
        };
        const valid = validateSeries(series);
        if (!valid.ok) {
          // Only a date-bound rule can end before its first meeting (e.g. the 31st, every 99 months).
          expect(['never_occurs', 'until_before_start']).toContain(valid.error.code);
          expect(form.ends.kind).not.toBe('never');
          return;
        }
        const out = expandSeries(series, {
          from: '2025-12-01T00:00:00Z',
          to: '2027-12-01T00:00:00Z',
          limit: 50,
        });
        if (!out.ok) throw new Error(out.error.code);
        for (const o of out.value.occurrences) {
          const [y, m, d] = o.localStart.slice(0, 10).split('-').map(Number) as [
            number,
            number,
            number,
          ];
          const day = WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!;
          const r = form.repeat;
          if (r.kind === 'weekly') expect(r.days).toContain(day);
          if (r.kind === 'monthlyByWeekday') expect(day).toBe(r.weekday);
          if (r.kind === 'monthlyByDay') expect(d).toBe(r.day);
          expect(o.localStart.slice(11)).toBe('19:00');
          if (form.ends.kind === 'on')
            expect(o.localStart.slice(0, 10) <= form.ends.date).toBe(true);
        }
        if (form.ends.kind === 'after') {
          expect(out.value.occurrences.length).toBeLessThanOrEqual(form.ends.count);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('writes the rules a facilitator would expect', () => {
    const z = 'Europe/London';
    const never = { kind: 'never' } as const;
    expect(rruleOf({ repeat: { kind: 'once' }, ends: never }, z)).toBeNull();
    expect(
      rruleOf({ repeat: { kind: 'weekly', interval: 1, days: ['TH', 'TU'] }, ends: never }, z),
    ).toBe('FREQ=WEEKLY;BYDAY=TU,TH');
    expect(rruleOf({ repeat: { kind: 'weekly', interval: 2, days: ['TU'] }, ends: never }, z)).toBe(
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU',
    );
    expect(
      rruleOf(
        {
          repeat: { kind: 'monthlyByWeekday', interval: 1, ordinal: 2, weekday: 'TU' },
          ends: never,
        },
        z,
      ),
    ).toBe('FREQ=MONTHLY;BYDAY=2TU');
    expect(
      rruleOf(
        {
          repeat: { kind: 'monthlyByWeekday', interval: 1, ordinal: -1, weekday: 'FR' },
          ends: never,
        },
        z,
      ),
    ).toBe('FREQ=MONTHLY;BYDAY=-1FR');
    expect(
      rruleOf(
        {
          repeat: { kind: 'monthlyByDay', interval: 1, day: 15 },
          ends: { kind: 'after', count: 6 },
        },
        z,
      ),
    ).toBe('FREQ=MONTHLY;BYMONTHDAY=15;COUNT=6');
    expect(
      rruleOf(
        { repeat: { kind: 'daily', interval: 1 }, ends: { kind: 'on', date: '2026-06-30' } },
        z,
      ),
    ).toBe('FREQ=DAILY;UNTIL=20260630');
  });

  it('refuses choices that make no rule, with stable codes', () => {
    const code = (repeat: Repeat, ends: Ends = { kind: 'never' }) => {
      const r = formToRrule({ repeat, ends });
      return r.ok ? null : r.error.code;
    };
    expect(code({ kind: 'weekly', interval: 1, days: [] })).toBe('weekly_needs_a_day');
    expect(code({ kind: 'weekly', interval: 1, days: ['XX' as Weekday] })).toBe('invalid_weekday');
    expect(code({ kind: 'weekly', interval: 0, days: ['MO'] })).toBe('invalid_interval');
    expect(code({ kind: 'daily', interval: 100 })).toBe('invalid_interval');
    expect(code({ kind: 'monthlyByWeekday', interval: 1, ordinal: 5 as -1, weekday: 'MO' })).toBe(
      'invalid_ordinal',
    );
    expect(code({ kind: 'monthlyByDay', interval: 1, day: 32 })).toBe('invalid_month_day');
    expect(code({ kind: 'daily', interval: 1 }, { kind: 'after', count: 0 })).toBe('invalid_count');
    expect(code({ kind: 'daily', interval: 1 }, { kind: 'on', date: '2026-02-30' })).toBe(
      'invalid_end_date',
    );
  });

  it('reads other ways of saying a choice, and keeps anything else as custom', () => {
    const z = 'Europe/London';
    expect(rruleToForm('FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1', z)).toEqual({
      repeat: { kind: 'monthlyByWeekday', interval: 1, ordinal: -1, weekday: 'FR' },
      ends: { kind: 'never' },
    });
    expect(rruleToForm('freq=weekly;interval=1;byday=th,tu', z)).toEqual({
      repeat: { kind: 'weekly', interval: 1, days: ['TU', 'TH'] },
      ends: { kind: 'never' },
    });
    // A UTC UNTIL at the last second of a local date is "ends on" that date (RFC 5545's way).
    expect(rruleToForm('FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630T225959Z', z)).toEqual({
      repeat: { kind: 'weekly', interval: 1, days: ['TU'] },
      ends: { kind: 'on', date: '2026-06-30' },
    });
    expect(rruleToForm('FREQ=WEEKLY;BYDAY=TU;UNTIL=20260131T045959Z', 'America/New_York')).toEqual({
      repeat: { kind: 'weekly', interval: 1, days: ['TU'] },
      ends: { kind: 'on', date: '2026-01-30' },
    });
    for (const rrule of [
      'FREQ=YEARLY',
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
      'FREQ=MONTHLY;BYDAY=5TU',
      'FREQ=MONTHLY;BYMONTHDAY=1,15',
      'FREQ=MONTHLY;BYMONTHDAY=-1',
      'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR',
      'FREQ=WEEKLY',
      'FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630T120000Z', // not the end of a local day
      'FREQ=SECONDLY',
      'nonsense',
    ]) {
      expect(rruleToForm(rrule, z), rrule).toEqual({ custom: true, rrule });
    }
  });

  it('suggests choices from the start date', () => {
    expect(suggestionsFor('2026-03-10T19:00')).toEqual({
      weekday: 'TU',
      ordinal: 2,
      isLastWeek: false,
      day: 10,
    });
    expect(suggestionsFor('2026-01-30T19:00')).toEqual({
      weekday: 'FR',
      ordinal: null,
      isLastWeek: true,
      day: 30,
    });
    expect(suggestionsFor('2026-02-27')).toEqual({
      weekday: 'FR',
      ordinal: 4,
      isLastWeek: true,
      day: 27,
    });
    expect(suggestionsFor('not a date')).toBeNull();
  });
});

describe('plain words', () => {
  const at = (rrule: string | null, start = '2026-03-03T19:00', timeZone = 'Europe/London') =>
    describeSchedule({ start, timeZone, rrule });

  it('describes each choice', () => {
    expect(at(null)).toBe('Once, on 3 March 2026 at 19:00 (Europe/London)');
    expect(at('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU')).toBe(
      'Every 2 weeks on Tuesday at 19:00 (Europe/London)',
    );
    expect(at('FREQ=WEEKLY;BYDAY=TU,TH')).toBe(
      'Every week on Tuesday and Thursday at 19:00 (Europe/London)',
    );
    expect(at('FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=10')).toBe(
      'Every week on Monday, Wednesday and Friday at 19:00 (Europe/London), 10 times',
    );
    expect(at('FREQ=MONTHLY;BYDAY=2TU')).toBe(
      'Every month on the second Tuesday at 19:00 (Europe/London)',
    );
    expect(at('FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR', '2026-01-30T18:30', 'Europe/Berlin')).toBe(
      'Every 3 months on the last Friday at 18:30 (Europe/Berlin)',
    );
    expect(at('FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20261231T235959Z', '2026-01-15T10:00', 'UTC')).toBe(
      'Every month on day 15 at 10:00 (UTC), until 31 December 2026',
    );
    expect(at('FREQ=DAILY;COUNT=1')).toBe('Every day at 19:00 (Europe/London), once only');
    expect(at('FREQ=DAILY;INTERVAL=3')).toBe('Every 3 days at 19:00 (Europe/London)');
    expect(at('FREQ=YEARLY')).toBe('On a custom schedule at 19:00 (Europe/London)');
  });

  it('takes other words (for translation)', () => {
    const text = describeSchedule(
      { start: '2026-03-03T19:00', timeZone: 'Europe/Paris', rrule: 'FREQ=WEEKLY;BYDAY=TU' },
      {
        ...recurrenceWordsEn,
        weekdays: {
          MO: 'lundi',
          TU: 'mardi',
          WE: 'mercredi',
          TH: 'jeudi',
          FR: 'vendredi',
          SA: 'samedi',
          SU: 'dimanche',
        },
        everyWeek: (_n: number, days: string) => `Chaque semaine le ${days}`,
        at: (time: string, zone: string) => `à ${time} (${zone})`,
      },
    );
    expect(text).toBe('Chaque semaine le mardi à 19:00 (Europe/Paris)');
  });
});
