import { describe, expect, it } from 'vitest';
import { expandSeries } from './recurrence.js';
import { formatWhen, whenWordsEn } from './when.js';

// A Sydney group meeting at 18:00 on Monday 6 April 2026 (AEST, +10) is 08:00Z.
const sydney = {
  start: '2026-04-06T08:00:00.000Z',
  end: '2026-04-06T09:30:00.000Z',
  groupTimeZone: 'Australia/Sydney',
};

describe('formatWhen', () => {
  it("shows the viewer's own date, time and zone, and the group's when they differ", () => {
    const w = formatWhen(sydney, { timeZone: 'America/Los_Angeles', locale: 'en-US' });
    expect(w.date).toBe('Monday, April 6, 2026');
    expect(w.time).toMatch(/^1:00\s*–\s*2:30\sAM$/u);
    expect(w.zone).toBe('Pacific Daylight Time');
    expect(w.timeZone).toBe('America/Los_Angeles');
    expect(w.text).toBe(`Monday, April 6, 2026, ${w.time} (Pacific Daylight Time)`);
    expect(w.inGroupZone).not.toBeNull();
    expect(w.inGroupZone!.date).toBe('Monday, April 6, 2026');
    expect(w.inGroupZone!.time).toMatch(/^6:00\s*–\s*7:30\sPM$/u);
    expect(w.inGroupZone!.zone).toBe('Australian Eastern Standard Time');
    expect(w.inGroupZone!.text).toMatch(/^In the group's time zone: Monday, April 6, 2026, /);
    expect(w.status).toBeNull();
  });

  it('crosses the date line: Auckland sees the evening an hour or two later, same date', () => {
    const w = formatWhen(sydney, { timeZone: 'Pacific/Auckland', locale: 'en-GB' });
    expect(w.time).toBe('20:00–21:30');
    expect(w.zone).toBe('New Zealand Standard Time');
    expect(w.inGroupZone?.time).toBe('18:00–19:30');
  });

  it("says nothing more when the viewer's clock shows the same as the group's", () => {
    const same = formatWhen(sydney, { timeZone: 'Australia/Sydney', locale: 'en-GB' });
    expect(same.inGroupZone).toBeNull();
    expect(same.time).toBe('18:00–19:30');
    // Brisbane keeps standard time all year: the same clock as Sydney in April…
    expect(
      formatWhen(sydney, { timeZone: 'Australia/Brisbane', locale: 'en-GB' }).inGroupZone,
    ).toBeNull();
    // … but not in summer.
    const summer = {
      ...sydney,
      start: '2026-01-05T07:00:00.000Z',
      end: '2026-01-05T08:30:00.000Z',
    };
    expect(
      formatWhen(summer, { timeZone: 'Australia/Brisbane', locale: 'en-GB' }).inGroupZone?.time,
    ).toBe('18:00–19:30');
  });

  it('shows the weekdays when a meeting runs past midnight for the viewer', () => {
    const w = formatWhen(sydney, { timeZone: 'Europe/London', locale: 'en-GB' });
    // 08:00Z is 09:00 BST: same day. A later one runs over midnight in Honolulu (−10).
    expect(w.time).toBe('09:00–10:30');
    const late = formatWhen(
      {
        start: '2026-04-06T09:30:00.000Z',
        end: '2026-04-06T10:30:00.000Z',
        groupTimeZone: 'Australia/Sydney',
      },
      { timeZone: 'Pacific/Honolulu', locale: 'en-GB' },
    );
    expect(late.date).toMatch(/Sunday/);
    expect(late.time).toMatch(/^Sun\b.*23:30\s*–\s*Mon\b.*00:30$/u); // e.g. 'Sun 5, 23:30 – Mon 6, 00:30'
  });

  it('follows local time across a change of clocks in the viewer’s zone', () => {
    // A London 19:00 weekly meeting, seen from New York in the weeks the two zones change apart.
    const r = expandSeries(
      {
        id: 's',
        start: '2026-03-03T19:00',
        timeZone: 'Europe/London',
        durationMinutes: 60,
        rrule: 'FREQ=WEEKLY;COUNT=5',
      },
      { from: '2026-03-01T00:00:00Z', to: '2026-04-30T00:00:00Z' },
    );
    if (!r.ok) throw new Error(r.error.code);
    const times = r.value.occurrences.map(
      (o) =>
        formatWhen(
          { ...o, groupTimeZone: o.timeZone },
          { timeZone: 'America/New_York', locale: 'en-GB' },
        ).time,
    );
    expect(times).toEqual([
      '14:00–15:00',
      '15:00–16:00',
      '15:00–16:00',
      '15:00–16:00',
      '14:00–15:00',
    ]);
  });

  it('says when a meeting is cancelled or moved', () => {
    expect(
      formatWhen({ ...sydney, cancelled: true }, { timeZone: 'Australia/Sydney', locale: 'en-GB' })
        .status,
    ).toBe('Cancelled');
    const moved = formatWhen(
      { ...sydney, moved: true, originalStart: '2026-04-05T08:00:00.000Z' },
      { timeZone: 'Australia/Sydney', locale: 'en-GB' },
    );
    expect(moved.status).toMatch(
      /^Moved from Sunday,? 5 April 2026, 18:00–19:30 \(Australian Eastern Standard Time\)$/,
    );
  });

  it('falls back to the group’s zone for a zone it does not know, and takes other words', () => {
    const w = formatWhen(sydney, { timeZone: 'Not/AZone', locale: 'en-GB' });
    expect(w.timeZone).toBe('Australia/Sydney');
    expect(w.inGroupZone).toBeNull();
    const fr = formatWhen(
      sydney,
      { timeZone: 'Europe/Paris', locale: 'fr-FR' },
      {
        ...whenWordsEn,
        line: (d, t, z) => `${d}, ${t} (${z})`,
        inGroupZone: (t) => `Heure du groupe : ${t}`,
      },
    );
    expect(fr.date).toBe('lundi 6 avril 2026');
    expect(fr.time).toMatch(/^10:00\s*–\s*11:30$/u);
    expect(fr.inGroupZone?.text).toMatch(/^Heure du groupe : lundi 6 avril 2026/);
    expect(() =>
      formatWhen({ ...sydney, end: '2026-04-06T07:00:00Z' }, { timeZone: 'UTC' }),
    ).toThrow(RangeError);
  });
});
