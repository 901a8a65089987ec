import { describe, expect, it } from 'vitest';
import {
  actorsFor,
  areaChoices,
  categoryWords,
  daysSince,
  emptyFilters,
  errorKey,
  filtersFromQuery,
  filtersToQuery,
  formatAmount,
  hasFilters,
  mayRespond,
  mayThank,
  parseAmount,
  statusActions,
  toBoardQuery,
  whenWords,
  type BoardFilters,
} from './view';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const none = { coordinator: false, moderator: false };

describe('board filters', () => {
  it('round-trip through the URL, keeping only what differs from the defaults', () => {
    const f: BoardFilters = {
      community: 'group.abc',
      kind: 'need',
      category: 'rides',
      area: 'northside',
      within: '5',
      time: 'week',
      urgent: true,
      sort: 'waiting',
    };
    const q = filtersToQuery(f);
    expect(q.toString()).toBe(
      'community=group.abc&kind=need&category=rides&area=northside&within=5&time=week&urgent=true&sort=waiting',
    );
    expect(filtersFromQuery(q)).toEqual(f);
    expect(filtersToQuery(emptyFilters()).toString()).toBe('');
  });

  it('drop what a URL should not hold', () => {
    const f = filtersFromQuery(
      new URLSearchParams('community=evil&kind=both&within=7&time=year&sort=loudest&urgent=1'),
    );
    expect(f).toEqual(emptyFilters());
    // A distance needs a zone to be measured from.
    expect(filtersFromQuery(new URLSearchParams('within=5')).within).toBe('');
  });

  it('say whether anything narrows the board (the community and order do not)', () => {
    expect(hasFilters(emptyFilters('group.x'))).toBe(false);
    expect(hasFilters({ ...emptyFilters(), sort: 'waiting' })).toBe(false);
    expect(hasFilters({ ...emptyFilters(), urgent: true })).toBe(true);
  });

  it('become the API query: a time filter is from now for that long', () => {
    const q = toBoardQuery({ ...emptyFilters(), time: 'week', area: 'x', within: '10' }, NOW, 'c1');
    expect(q.from).toBe('2026-11-25T12:00:00.000Z');
    expect(q.to).toBe('2026-12-02T12:00:00.000Z');
    expect(q.within).toBe('10');
    expect(q.after).toBe('c1');
    const plain = toBoardQuery(emptyFilters(), NOW);
    expect(plain).toMatchObject({ kind: undefined, from: undefined, urgent: undefined });
    expect(plain.sort).toBe('newest');
    expect(toBoardQuery({ ...emptyFilters(), within: '10' }, NOW).within).toBeUndefined();
  });
});

describe('words', () => {
  it('word built-in categories by i18n and the instance’s own by their label', () => {
    const labels = new Map([['bike-repair', 'Bike repair']]);
    expect(categoryWords('rides', labels)).toEqual({ id: 'aid.categories.rides' });
    expect(categoryWords('bike-repair', labels)).toEqual({
      id: 'aid.categories.custom',
      values: { label: 'Bike repair' },
    });
    expect(categoryWords('gone', labels).values).toEqual({ label: 'gone' });
  });

  it('word when help is needed', () => {
    expect(whenWords({ kind: 'ongoing' }, 'en').id).toBe('aid.when.ongoingText');
    const by = whenWords({ kind: 'by', until: '2026-11-27T23:59:00Z' }, 'en-GB', 'UTC');
    expect(by).toEqual({ id: 'aid.when.byText', values: { date: 'Fri 27 Nov' } });
    const w = whenWords(
      { kind: 'window', from: '2026-11-27T00:00:00Z', until: '2026-11-29T23:00:00Z' },
      'en-GB',
      'UTC',
    );
    expect(w.values).toEqual({ from: 'Fri 27 Nov', until: 'Sun 29 Nov' });
  });

  it('count whole days waited, never negative', () => {
    expect(daysSince('2026-11-20T13:00:00Z', NOW)).toBe(4);
    expect(daysSince('2026-11-26T00:00:00Z', NOW)).toBe(0);
  });

  it('read and show amounts in minor units of the currency', () => {
    expect(parseAmount('12.50', 'GBP')).toBe(1250);
    expect(parseAmount('12.5', 'GBP')).toBe(1250);
    expect(parseAmount('1,200', 'GBP')).toBe(120000);
    expect(parseAmount('300', 'JPY')).toBe(300);
    expect(parseAmount('3.5', 'JPY')).toBeNull();
    expect(parseAmount('12.505', 'GBP')).toBeNull();
    expect(parseAmount('-4', 'GBP')).toBeNull();
    expect(parseAmount('ten', 'GBP')).toBeNull();
    expect(formatAmount(1250, 'GBP', 'en-GB')).toBe('£12.50');
    expect(formatAmount(300, 'JPY', 'en-GB')).toBe('JP¥300');
  });

  it('offer zones that are not retired, under their larger zone, by name', () => {
    const z = (id: string, name: string, parentId: string | null = null, retired = false) => ({
      id,
      name,
      parentId,
      lat: 0,
      lon: 0,
      retired,
    });
    expect(
      areaChoices([
        z('r', 'Riverton'),
        z('rs', 'South', 'r'),
        z('rn', 'North', 'r'),
        z('old', 'Old Quay', null, true),
        z('a', 'Ashby'),
      ]),
    ).toEqual([
      { id: 'a', label: 'Ashby' },
      { id: 'r', label: 'Riverton' },
      { id: 'rn', label: 'Riverton › North' },
      { id: 'rs', label: 'Riverton › South' },
    ]);
  });

  it('have a calm sentence for every failure, and one for anything unknown', () => {
    expect(errorKey({ code: 'open_post_limit' })).toBe('aid.errors.open_post_limit');
    expect(errorKey({ code: 'teapot' })).toBe('aid.errors.other');
  });
});

describe('what I may do with a post', () => {
  const post = (over: Partial<Parameters<typeof statusActions>[0]> = {}) => ({
    kind: 'need' as const,
    status: 'open' as const,
    mine: false,
    partnerIsMe: false,
    ...over,
  });
  const targets = (p: Parameters<typeof statusActions>[0], roles = none) =>
    statusActions(p, roles).map((a) => `${a.to}${a.offline ? ' offline' : ''}:${a.words}`);

  it('names my roles as the lifecycle does', () => {
    expect(
      actorsFor({ mine: true, partnerIsMe: false }, { coordinator: true, moderator: true }),
    ).toEqual(['author', 'moderator']);
    expect(
      actorsFor({ mine: false, partnerIsMe: true }, { coordinator: true, moderator: false }),
    ).toEqual(['partner', 'coordinator']);
  });

  it('gives someone with no role nothing to change', () => {
    expect(targets(post())).toEqual([]);
    expect(targets(post({ status: 'helping' }))).toEqual([]);
  });

  it('lets the author of an open need say it was met another way, or withdraw it', () => {
    expect(targets(post({ mine: true }))).toEqual([
      'done:aid.status.action.metElsewhere',
      'withdrawn:aid.status.action.withdraw',
    ]);
  });

  it('lets who asked confirm done; the helper can only step back', () => {
    expect(targets(post({ mine: true, status: 'helping' }))).toEqual([
      'done:aid.status.action.done',
      'open:aid.status.action.reopen',
      'withdrawn:aid.status.action.withdraw',
    ]);
    expect(targets(post({ partnerIsMe: true, status: 'helping' }))).toEqual([
      'open:aid.status.action.stepBack',
    ]);
    // An offer: the receiver confirms, the author cannot.
    const offer = post({ kind: 'offer', status: 'helping' });
    expect(targets({ ...offer, partnerIsMe: true })).toEqual([
      'done:aid.status.action.done',
      'open:aid.status.action.stepBack',
    ]);
    expect(targets({ ...offer, mine: true })).not.toContain('done:aid.status.action.done');
  });

  it('lets a coordinator record a need handled offline, and never on their own post', () => {
    const c = { coordinator: true, moderator: false };
    expect(targets(post(), c)).toEqual(['done offline:aid.status.action.offline']);
    expect(targets(post({ status: 'helping' }), c)).toEqual([
      'done:aid.status.action.recordDone',
      'open:aid.status.action.reopen',
    ]);
    expect(targets(post({ mine: true }), c)).not.toContain(
      'done offline:aid.status.action.offline',
    );
  });

  it('offers renewing what expired to its author, and nothing once done', () => {
    expect(targets(post({ mine: true, status: 'expired' }))).toEqual([
      'open:aid.status.action.stillNeeded',
    ]);
    expect(targets(post({ mine: true, status: 'done' }))).toEqual([]);
    expect(targets(post({ status: 'withdrawn' }), { coordinator: false, moderator: true })).toEqual(
      ['open:aid.status.action.stillNeeded'],
    );
  });

  it('lets who asked thank, once done, and others respond while it is open', () => {
    expect(mayThank(post({ mine: true, status: 'done' }))).toBe(true);
    expect(mayThank(post({ mine: true, status: 'helping' }))).toBe(false);
    expect(mayThank(post({ kind: 'offer', mine: true, status: 'done' }))).toBe(false);
    expect(mayThank(post({ kind: 'offer', partnerIsMe: true, status: 'done' }))).toBe(true);
    const r = (over: Partial<Parameters<typeof mayRespond>[0]>) =>
      mayRespond({ mine: false, myResponse: null, status: 'open', kind: 'need', ...over });
    expect(r({})).toBe(true);
    expect(r({ mine: true })).toBe(false);
    expect(r({ status: 'helping' })).toBe(false);
    expect(r({ kind: 'offer', status: 'helping' })).toBe(true);
    expect(r({ myResponse: { id: 'x', status: 'waiting', conversationId: null } })).toBe(false);
    expect(r({ myResponse: { id: 'x', status: 'withdrawn', conversationId: null } })).toBe(true);
  });
});
