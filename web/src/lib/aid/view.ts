/**
 * Pure helpers of the aid pages: the board's filters in the URL and as the API's query, a
 * category's and a `when`'s words, amounts in minor units, the zone picker's choices, which status
 * changes a person may make (core/src/aid/lifecycle.ts decides), and a calm sentence for a failure.
 */
import {
  BOARD_SORTS,
  isBuiltinCategory,
  POST_KINDS,
  type AreaWire,
  type PostWire,
} from '$core/aid/api';
import { transitionAsAny, type AidActor, type AidStatus } from '$core/aid/lifecycle';
import type { ApiFailure } from '../api/client';

// ─── Filters ────────────────────────────────────────────────────────────────────────────────────

export const TIME_FILTERS = ['', 'today', 'week', 'month'] as const;
export type TimeFilter = (typeof TIME_FILTERS)[number];
export const DISTANCES = [1, 2, 5, 10, 25, 50, 100] as const;

export interface BoardFilters {
  community: string;
  kind: '' | 'need' | 'offer';
  category: string;
  area: string;
  /** km between zone centres, as text ('' = that zone only). */
  within: string;
  time: TimeFilter;
  urgent: boolean;
  sort: 'newest' | 'waiting';
}

export const emptyFilters = (community = 'instance'): BoardFilters => ({
  community,
  kind: '',
  category: '',
  area: '',
  within: '',
  time: '',
  urgent: false,
  sort: 'newest',
});

const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

/** The filters a URL holds; anything unknown is dropped. */
export function filtersFromQuery(params: URLSearchParams): BoardFilters {
  const community = params.get('community') ?? '';
  const within = params.get('within') ?? '';
  const area = (params.get('area') ?? '').slice(0, 48);
  return {
    community: /^(instance|group\.[A-Za-z0-9_-]{1,64})$/.test(community) ? community : 'instance',
    kind: pick(params.get('kind'), ['', ...POST_KINDS], ''),
    category: (params.get('category') ?? '').slice(0, 40),
    area,
    within: area !== '' && (DISTANCES as readonly number[]).includes(Number(within)) ? within : '',
    time: pick(params.get('time'), TIME_FILTERS, ''),
    urgent: params.get('urgent') === 'true',
    sort: pick(params.get('sort'), BOARD_SORTS, 'newest'),
  };
}

/** The filters as a URL query (only what differs from the defaults). */
export function filtersToQuery(f: BoardFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.community !== 'instance') q.set('community', f.community);
  if (f.kind !== '') q.set('kind', f.kind);
  if (f.category !== '') q.set('category', f.category);
  if (f.area !== '') q.set('area', f.area);
  if (f.area !== '' && f.within !== '') q.set('within', f.within);
  if (f.time !== '') q.set('time', f.time);
  if (f.urgent) q.set('urgent', 'true');
  if (f.sort !== 'newest') q.set('sort', f.sort);
  return q;
}

export const hasFilters = (f: BoardFilters): boolean =>
  [...filtersToQuery({ ...f, community: 'instance', sort: 'newest' }).keys()].length > 0;

const DAY_MS = 86_400_000;
const TIME_DAYS: Record<Exclude<TimeFilter, ''>, number> = { today: 1, week: 7, month: 31 };

/** `GET …/posts`'s query for these filters (a time filter is from now for that long). */
export function toBoardQuery(
  f: BoardFilters,
  now: number,
  after?: string,
): Record<string, string | undefined> {
  return {
    kind: f.kind || undefined,
    category: f.category || undefined,
    area: f.area || undefined,
    within: f.area !== '' && f.within !== '' ? f.within : undefined,
    from: f.time === '' ? undefined : new Date(now).toISOString(),
    to: f.time === '' ? undefined : new Date(now + TIME_DAYS[f.time] * DAY_MS).toISOString(),
    urgent: f.urgent ? 'true' : undefined,
    sort: f.sort,
    after,
  };
}

// ─── Words ──────────────────────────────────────────────────────────────────────────────────────

/** A message id and its values, for `$_(id, { values })`. */
export interface Words {
  readonly id: string;
  readonly values?: Record<string, string | number>;
}

/** A category's words: built-ins through i18n, the instance's own in its label. */
export function categoryWords(id: string, labels: ReadonlyMap<string, string | null>): Words {
  if (isBuiltinCategory(id)) return { id: `aid.categories.${id}` };
  const label = labels.get(id);
  return { id: 'aid.categories.custom', values: { label: label ?? id } };
}

/** When help is needed or offered, in words (dates in the viewer's locale and zone). */
export function whenWords(when: PostWire['when'], locale: string, timeZone?: string): Words {
  const date = (iso: string) =>
    new Intl.DateTimeFormat(locale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      ...(timeZone ? { timeZone } : {}),
    }).format(new Date(iso));
  switch (when.kind) {
    case 'ongoing':
      return { id: 'aid.when.ongoingText' };
    case 'by':
      return { id: 'aid.when.byText', values: { date: date(when.until) } };
    case 'window':
      return {
        id: 'aid.when.windowText',
        values: { from: date(when.from), until: date(when.until) },
      };
    case 'recurring':
      return { id: 'aid.when.recurringText' };
  }
}

/** Whole days since `iso`, never negative. */
export const daysSince = (iso: string, now: number): number =>
  Math.max(0, Math.floor((now - Date.parse(iso)) / DAY_MS));

/** How many digits a currency's minor unit has (2 for GBP, 0 for JPY). */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** An amount in minor units, in the viewer's words ("£12.50"). */
export function formatAmount(minor: number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
      minor / 10 ** digits,
    );
  } catch {
    return `${String(minor / 10 ** digits)} ${currency}`;
  }
}

/** "12.50" in a currency → minor units (1250), or null if it is not an amount. */
export function parseAmount(text: string, currency: string): number | null {
  const t = text.trim().replace(/,/g, '');
  const digits = minorDigits(currency);
  const m = /^(\d{1,9})(?:\.(\d+))?$/.exec(t);
  if (!m) return null;
  const fraction = m[2] ?? '';
  if (fraction.length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** The zones to pick from: not retired, grouped under their larger zone, by name. */
export function areaChoices(areas: readonly AreaWire[]): { id: string; label: string }[] {
  const byId = new Map(areas.map((a) => [a.id, a]));
  return areas
    .filter((a) => !a.retired)
    .map((a) => {
      const parent = a.parentId === null ? undefined : byId.get(a.parentId);
      return { id: a.id, label: parent ? `${parent.name} › ${a.name}` : a.name };
    })
    .sort((x, y) => x.label.localeCompare(y.label));
}

// ─── What I may do with a post ──────────────────────────────────────────────────────────────────

export interface Roles {
  readonly coordinator: boolean;
  readonly moderator: boolean;
}

/** My roles towards a post, as the lifecycle names them. */
export function actorsFor(p: Pick<PostWire, 'mine' | 'partnerIsMe'>, roles: Roles): AidActor[] {
  const actors: AidActor[] = [];
  if (p.mine) actors.push('author');
  if (p.partnerIsMe) actors.push('partner');
  if (roles.coordinator && !p.mine) actors.push('coordinator');
  if (roles.moderator) actors.push('moderator');
  return actors;
}

/** A status change I can make here, and how it is worded. */
export interface StatusAction {
  readonly to: AidStatus;
  readonly offline: boolean;
  readonly words: string;
  /** Asked before it is done (it closes the post). */
  readonly confirm: boolean;
}

/**
 * The changes this page offers me. `helping` is chosen from a response (it needs a partner) and
 * `expired` is Tend's own, so neither is a button; for a withdrawn post only the one who withdrew
 * it may open it again, which the server knows — the page offers it to the author.
 */
export function statusActions(
  p: Pick<PostWire, 'kind' | 'status' | 'mine' | 'partnerIsMe'>,
  roles: Roles,
): StatusAction[] {
  const actors = actorsFor(p, roles);
  if (actors.length === 0) return [];
  const can = (to: AidStatus) =>
    transitionAsAny({
      kind: p.kind,
      from: p.status,
      to,
      actors,
      ...(p.status === 'withdrawn' ? { withdrawnBy: p.mine ? 'author' : 'moderator' } : {}),
    }).ok;
  const out: StatusAction[] = [];
  const asker = p.kind === 'need' ? p.mine : p.partnerIsMe;
  if (can('done')) {
    if (p.status === 'helping' && asker) {
      out.push({ to: 'done', offline: false, words: 'aid.status.action.done', confirm: true });
    } else if (p.status === 'open' && p.mine) {
      out.push({
        to: 'done',
        offline: false,
        words: 'aid.status.action.metElsewhere',
        confirm: true,
      });
    } else if (roles.coordinator && !p.mine && !asker) {
      const offline = p.status === 'open';
      const words = offline ? 'aid.status.action.offline' : 'aid.status.action.recordDone';
      out.push({ to: 'done', offline, words, confirm: true });
    }
  }
  if (can('open')) {
    const words =
      p.status === 'helping'
        ? p.partnerIsMe && !p.mine
          ? 'aid.status.action.stepBack'
          : 'aid.status.action.reopen'
        : 'aid.status.action.stillNeeded';
    out.push({ to: 'open', offline: false, words, confirm: p.status === 'helping' });
  }
  if (can('withdrawn')) {
    out.push({
      to: 'withdrawn',
      offline: false,
      words: 'aid.status.action.withdraw',
      confirm: true,
    });
  }
  return out;
}

/** The one who asked (a need's author, an offer's receiver) thanks, once it is done. */
export const mayThank = (p: Pick<PostWire, 'kind' | 'status' | 'mine' | 'partnerIsMe'>): boolean =>
  p.status === 'done' && (p.kind === 'need' ? p.mine : p.partnerIsMe);

/** May I respond ("I can help" / "I'd like this")? */
export const mayRespond = (p: Pick<PostWire, 'mine' | 'myResponse' | 'status' | 'kind'>): boolean =>
  !p.mine &&
  (p.myResponse === null || p.myResponse.status === 'withdrawn') &&
  (p.status === 'open' || (p.kind === 'offer' && p.status === 'helping'));

// ─── Failures ───────────────────────────────────────────────────────────────────────────────────

const KNOWN = [
  'network',
  'aid_board_off',
  'agreement_needed',
  'invalid_transition',
  'own_post',
  'already_responded',
  'response_closed',
  'anonymous_post',
  'unknown_category',
  'unknown_area',
  'open_post_limit',
  'when_in_past',
  'when_too_far',
  'thanks_given',
  'assignment_closed',
  'not_found',
  'forbidden',
  'unauthenticated',
  'rate_limited',
  'conflict',
  'invalid_input',
] as const;

/** The message id for a failure. */
export function errorKey(failure: Pick<ApiFailure, 'code'>): string {
  const code = (KNOWN as readonly string[]).includes(failure.code) ? failure.code : 'other';
  return `aid.errors.${code}`;
}
