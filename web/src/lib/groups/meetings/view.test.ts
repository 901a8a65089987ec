import { describe, expect, it } from 'vitest';
import type { OccurrenceWire } from '$core/groups/meetings-api';
import { isMeetingLink, localInput, mergeOccurrences, whenOf, whereOf } from './view';

function occ(extra: Partial<OccurrenceWire> = {}): OccurrenceWire {
  return {
    occurrenceId: 'm1.20260707T180000Z',
    meetingId: 'm1',
    groupId: 'g1',
    title: 'Hearing Voices',
    description: '',
    format: 'online',
    place: null,
    onlineLink: null,
    start: '2026-07-07T18:00:00.000Z',
    end: '2026-07-07T19:30:00.000Z',
    timeZone: 'Europe/London',
    localStart: '2026-07-07T19:00',
    durationMinutes: 90,
    cancelled: false,
    moved: false,
    note: null,
    visitor: false,
    myRsvp: null,
    ...extra,
  };
}

describe('whereOf', () => {
  it('keeps an online link hidden until the server gives it (after a yes)', () => {
    expect(whereOf(occ())).toEqual({ kind: 'online-hidden' });
    expect(whereOf(occ({ onlineLink: 'https://meet.example/x' }))).toEqual({
      kind: 'link',
      link: 'https://meet.example/x',
    });
  });
  it('shows the place in person, and only the format to a visitor', () => {
    expect(whereOf(occ({ format: 'in-person', place: 'The library' }))).toEqual({
      kind: 'place',
      place: 'The library',
    });
    expect(whereOf(occ({ format: 'in-person', visitor: true }))).toEqual({
      kind: 'visitor-in-person',
    });
  });
});

describe('whenOf', () => {
  it('shows the time in the viewer’s zone, with the group’s zone when it differs', () => {
    const w = whenOf(occ(), { timeZone: 'America/New_York', locale: 'en-GB' });
    expect(w.time).toContain('14:00');
    expect(w.inGroupZone?.time).toContain('19:00');
  });
  it('says a cancelled meeting is cancelled', () => {
    expect(whenOf(occ({ cancelled: true }), { timeZone: 'Europe/London' }).status).toBe(
      'Cancelled',
    );
  });
});

describe('mergeOccurrences', () => {
  it('replaces answered occurrences and keeps the rest and their order', () => {
    const a = occ();
    const b = occ({ occurrenceId: 'm1.20260714T180000Z' });
    const yes = {
      ...b,
      myRsvp: { answer: 'yes' as const, reminderMinutes: null, seriesWide: false },
    };
    const out = mergeOccurrences([a, b], [yes]);
    expect(out.map((o) => o.myRsvp?.answer ?? null)).toEqual([null, 'yes']);
  });
});

describe('isMeetingLink', () => {
  it('accepts https only', () => {
    expect(isMeetingLink('https://meet.example/room')).toBe(true);
    expect(isMeetingLink('javascript:alert(1)')).toBe(false);
    expect(isMeetingLink('http://meet.example/room')).toBe(false);
    expect(isMeetingLink('not a link')).toBe(false);
  });
});

describe('localInput', () => {
  it('gives the local date-time in the series’ zone, across DST', () => {
    expect(localInput('2026-07-07T18:00:00.000Z', 'Europe/London')).toBe('2026-07-07T19:00');
    expect(localInput('2026-01-06T19:00:00.000Z', 'Europe/London')).toBe('2026-01-06T19:00');
  });
});
