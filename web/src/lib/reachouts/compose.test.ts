import { describe, expect, it } from 'vitest';
import type { MembershipWire } from '$core/circles/api';
import { clinicalWordsIn } from '$core/test-support/clinical-words';
import en from './messages/en.json';
import {
  buildRequest,
  candidatesOf,
  defaultRecipients,
  escalationFor,
  heldAmong,
  noteOf,
} from './compose';
import type { ReachSettings } from './settings';

const NOW = new Date('2026-11-24T20:00:00Z');
const bundle = {} as MembershipWire['member']['publicKeyBundle'];
const member = (
  id: string,
  extra: Partial<Pick<MembershipWire, 'pausedUntil' | 'quietHours'>> = {},
): MembershipWire => ({
  owner: { accountId: 'me', handle: 'me', publicKeyBundle: bundle },
  member: { accountId: id, handle: `h-${id}`, publicKeyBundle: bundle },
  since: '2026-11-01T00:00:00Z',
  pausedUntil: null,
  quietHours: null,
  ...extra,
});
const person = (id: string, accountId: string, name: string) => ({
  id,
  accountId,
  name,
  ring: 'pod' as const,
  offers: [],
  offerNotes: '',
  availability: '',
  reach: `${name} by phone`,
  pending: false,
});

const mine = [
  member('a'),
  member('b', { pausedUntil: '2026-11-25T00:00:00Z' }),
  member('c', { quietHours: { start: '22:00', end: '07:00', timeZone: 'UTC', now: true } }),
  member('d', { pausedUntil: '2026-11-20T00:00:00Z' }),
];
const people = [person('p1', 'a', 'Ana'), person('p2', 'c', 'Cas')];
const settings: ReachSettings = {
  levels: {
    'help-now': { first: ['a', 'b', 'gone'], next: ['a', 'd'], afterMinutes: 10 },
    struggling: { first: [], next: ['d'], afterMinutes: null },
  },
  reach: '',
  resources: [],
};

describe('reach-out form', () => {
  const candidates = candidatesOf(mine, people, NOW);

  it('names members from the pod map, else by handle, and says who is held', () => {
    expect(candidates.map((c) => [c.accountId, c.name, c.held?.kind ?? null])).toEqual([
      ['a', 'Ana', null],
      ['c', 'Cas', 'quiet-hours'],
      ['b', 'h-b', 'paused'],
      // a pause that ended no longer holds anything
      ['d', 'h-d', null],
    ]);
    expect(heldAmong(candidates, ['a', 'b', 'c']).map((c) => c.accountId)).toEqual(['c', 'b']);
    expect(heldAmong(candidates, ['a', 'd'])).toEqual([]);
  });

  it('defaults to the settings for the level, only people still in the circle', () => {
    expect(defaultRecipients('help-now', settings, candidates)).toEqual(['a', 'b']);
    expect(defaultRecipients('check-in', settings, candidates)).toEqual([]);
  });

  it('escalates to the next people not already chosen, only with a time', () => {
    expect(escalationFor('help-now', settings, candidates, ['a', 'b'])).toEqual({
      afterMinutes: 10,
      recipients: ['d'],
    });
    expect(escalationFor('help-now', settings, candidates, ['a', 'd'])).toBeNull();
    expect(escalationFor('struggling', settings, candidates, ['a'])).toBeNull();
  });

  it('builds the request; an escalation with nobody left is left out', () => {
    expect(buildRequest('r1', 'help-now', ['a'], { afterMinutes: 5, recipients: ['d'] })).toEqual({
      id: 'r1',
      level: 'help-now',
      recipients: ['a'],
      escalation: { afterMinutes: 5, recipients: ['d'] },
    });
    expect(buildRequest('r1', 'check-in', ['a'], { afterMinutes: 5, recipients: ['a'] })).toEqual({
      id: 'r1',
      level: 'check-in',
      recipients: ['a'],
    });
  });

  it('a note only when there is something to say', () => {
    expect(noteOf('  ', null)).toBeNull();
    expect(noteOf(' call me ', null)).toEqual({ note: 'call me' });
    const location = { latitude: 1, longitude: 2, accuracyMetres: 30 };
    expect(noteOf('', location)).toEqual({ location });
  });

  it('its words are plain (no clinical words, streaks or scores)', () => {
    expect(clinicalWordsIn(en)).toEqual([]);
  });
});
