import { describe, expect, it } from 'vitest';
import type { ResponseWire } from './api';
import {
  mayChooseFor,
  mayRespondTo,
  mayThankFor,
  occurrenceActions,
  occurrenceStart,
  occurrenceTimes,
  OCCURRENCES_PAGE,
  postZone,
  responsesByOccurrence,
  shownCount,
  type OccurrenceWire,
} from './occurrences';

const none = { coordinator: false, moderator: false };
const when = {
  kind: 'recurring' as const,
  start: '2026-12-03T10:00',
  timeZone: 'Europe/London',
  durationMinutes: 60,
  rrule: 'FREQ=WEEKLY;BYDAY=TH',
};
const offer = { kind: 'offer' as const, status: 'open' as const, mine: false, when };
const need = { ...offer, kind: 'need' as const };
const occ = (over: Partial<OccurrenceWire> = {}): OccurrenceWire => ({
  occurrenceId: 'p1.20261210T100000Z',
  start: '2026-12-10T10:00:00.000Z',
  end: '2026-12-10T11:00:00.000Z',
  status: 'open',
  past: false,
  partnerIsMe: false,
  partner: null,
  myResponse: null,
  thanksSent: false,
  ...over,
});
const words = (xs: { words: string }[]) => xs.map((x) => x.words);

describe('an occurrence’s time', () => {
  it('is in the viewer’s zone, and in the post’s zone too only when it reads differently', () => {
    const t = occurrenceTimes('2026-12-10T10:00:00.000Z', 'Europe/London', 'en-GB', 'UTC');
    expect(t.mine).toBe('Thu 10 Dec, 10:00');
    expect(t.theirs).toBeNull();
    const ny = occurrenceTimes(
      '2026-12-10T10:00:00.000Z',
      'Europe/London',
      'en-US',
      'America/New_York',
    );
    expect(ny.mine).toMatch(/Thu, Dec 10, 5:00\sAM/);
    expect(ny.theirs).toMatch(/Thu, Dec 10, 10:00\sAM GMT/);
    // Summer: London is an hour ahead of UTC.
    const summer = occurrenceTimes('2026-07-02T09:00:00.000Z', 'Europe/London', 'en-GB', 'UTC');
    expect(summer.mine).toBe('Thu 2 Jul, 9:00');
    expect(summer.theirs).toMatch(/^Thu 2 Jul, 10:00 (BST|GMT\+1)$/);
  });

  it('falls back to the viewer’s time alone for a zone the browser does not know, or none', () => {
    const t = occurrenceTimes('2026-12-10T10:00:00.000Z', 'Mars/Olympus', 'en-GB', 'UTC');
    expect(t).toEqual({ mine: 'Thu 10 Dec, 10:00', theirs: null });
    expect(occurrenceTimes('2026-12-10T10:00:00.000Z', null, 'en-GB', 'UTC').theirs).toBeNull();
    expect(postZone({ when })).toBe('Europe/London');
    expect(postZone({ when: { kind: 'ongoing' } })).toBeNull();
  });

  it('reads the start from an occurrence id (UTC), for /aid/mine', () => {
    expect(occurrenceStart('abc-DEF_1.20261210T100000Z')).toBe('2026-12-10T10:00:00.000Z');
    expect(occurrenceStart(null)).toBeNull();
    expect(occurrenceStart('abc')).toBeNull();
    expect(occurrenceStart('abc.20261310T100000Z')).toBeNull();
  });
});

describe('showing later dates', () => {
  it('shows a page of dates, then a page more each time, never more than there are', () => {
    expect(OCCURRENCES_PAGE).toBe(8);
    expect(shownCount(13, 0)).toBe(8);
    expect(shownCount(13, 1)).toBe(13);
    expect(shownCount(20, 1)).toBe(16);
    expect(shownCount(3, 0)).toBe(3);
    expect(shownCount(0, 0)).toBe(0);
  });
});

describe('what I may do with one occurrence', () => {
  it('responds to an open, coming one of an open post that is not mine, once', () => {
    expect(mayRespondTo(offer, occ())).toBe(true);
    expect(mayRespondTo({ ...offer, mine: true }, occ())).toBe(false);
    expect(mayRespondTo(offer, occ({ status: 'helping' }))).toBe(false);
    expect(mayRespondTo(offer, occ({ past: true }))).toBe(false);
    expect(mayRespondTo({ ...offer, status: 'withdrawn' }, occ())).toBe(false);
    // One response per person per occurrence, even one taken back (the server's rule).
    const taken = { id: 'r', status: 'withdrawn', conversationId: null };
    expect(mayRespondTo(offer, occ({ myResponse: taken }))).toBe(false);
  });

  it('lets the author choose only while that one and the post are open', () => {
    expect(mayChooseFor({ ...offer, mine: true }, occ())).toBe(true);
    expect(mayChooseFor(offer, occ())).toBe(false);
    expect(mayChooseFor({ ...offer, mine: true }, occ({ status: 'helping' }))).toBe(false);
  });

  it('thanks once it is done: a need’s author, an offer’s receiver, and only once', () => {
    expect(mayThankFor({ ...need, mine: true }, occ({ status: 'done' }))).toBe(true);
    expect(mayThankFor(need, occ({ status: 'done', partnerIsMe: true }))).toBe(false);
    expect(mayThankFor(offer, occ({ status: 'done', partnerIsMe: true }))).toBe(true);
    expect(mayThankFor({ ...offer, mine: true }, occ({ status: 'done' }))).toBe(false);
    expect(mayThankFor(offer, occ({ status: 'helping', partnerIsMe: true }))).toBe(false);
    expect(mayThankFor(offer, occ({ status: 'done', partnerIsMe: true, thanksSent: true }))).toBe(
      false,
    );
  });

  it('offers the lifecycle’s changes worded for one date', () => {
    const author = { ...need, mine: true };
    expect(words(occurrenceActions(author, occ(), none))).toEqual([
      'aid.occurrences.metElsewhere',
      'aid.occurrences.notThisTime',
    ]);
    expect(words(occurrenceActions({ ...offer, mine: true }, occ(), none))).toEqual([
      'aid.occurrences.notOfferedThisTime',
    ]);
    // A need being helped with: the author confirms it is done, opens it again, or not this time.
    expect(words(occurrenceActions(author, occ({ status: 'helping' }), none))).toEqual([
      'aid.status.action.done',
      'aid.occurrences.openAgain',
      'aid.occurrences.notThisTime',
    ]);
    // An offer: the receiver (partner) confirms it happened, or steps back.
    expect(
      words(occurrenceActions(offer, occ({ status: 'helping', partnerIsMe: true }), none)),
    ).toEqual(['aid.status.action.done', 'aid.status.action.stepBack']);
    expect(words(occurrenceActions(author, occ({ status: 'withdrawn' }), none))).toEqual([
      'aid.occurrences.openAgain',
    ]);
    // Someone else, or a closed post: nothing.
    expect(occurrenceActions(need, occ(), none)).toEqual([]);
    expect(occurrenceActions({ ...author, status: 'withdrawn' }, occ(), none)).toEqual([]);
    // Done is final.
    expect(occurrenceActions(author, occ({ status: 'done' }), none)).toEqual([]);
  });
});

describe('responses by occurrence', () => {
  it('groups them, the whole post’s under null, keeping their order', () => {
    const r = (id: string, occurrenceId: string | null): ResponseWire => ({
      id,
      postId: 'p1',
      occurrenceId,
      responder: { accountId: `a-${id}`, handle: `h${id}` },
      status: 'talking',
      conversationId: null,
      createdAt: '2026-12-01T00:00:00.000Z',
    });
    const m = responsesByOccurrence([r('1', null), r('2', 'p1.x'), r('3', 'p1.x'), r('4', 'p1.y')]);
    expect(m.get(null)?.map((x) => x.id)).toEqual(['1']);
    expect(m.get('p1.x')?.map((x) => x.id)).toEqual(['2', '3']);
    expect(m.get('p1.y')?.map((x) => x.id)).toEqual(['4']);
    expect(m.get('p1.z')).toBeUndefined();
  });
});
