/**
 * The pure side of "someone to talk to" for the page: the window form ↔ the server's input
 * (checked with the core schema first, each problem tied to its field), the asks sorted into
 * what the page shows, and the words for a failed call. No counts anywhere: kind words are
 * listed one by one, and nothing here adds them up.
 */
import {
  LISTEN_LIMITS,
  LISTEN_TOPICS,
  listenWindowInputSchema,
  type AskWire,
  type ListenTopic,
  type ListenWindowInput,
} from '$core/groups/listen-api';
import type { ApiFailure } from '../api/client';

export { LISTEN_TOPICS, type ListenTopic };

const HOUR_MS = 3_600_000;
/** A new window lasts this long unless the person says otherwise. */
export const DEFAULT_WINDOW_HOURS = 2;

const pad = (n: number) => String(n).padStart(2, '0');

/** A date as a `datetime-local` input's value, in this device's time zone (minutes). */
export function localInput(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** A `datetime-local` value read in this device's time zone, or null when it is not one. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface WindowForm {
  from: string;
  until: string;
  topics: ListenTopic[];
  /** Comma-separated language tags. */
  languages: string;
  words: string;
}

export type WindowField = keyof WindowForm;
export type WindowProblems = Partial<Record<WindowField, string>>;

/** From now until two hours from now, just talk, in the reader's language. */
export function emptyWindowForm(now: Date, language: string): WindowForm {
  return {
    from: localInput(now),
    until: localInput(new Date(now.getTime() + DEFAULT_WINDOW_HOURS * HOUR_MS)),
    topics: ['just-talk'],
    languages: language,
    words: '',
  };
}

/** The form for a window I already have (to change it). */
export function formFromWindow(w: {
  from: string;
  until: string;
  topics: readonly string[];
  languages: readonly string[];
  words: string;
}): WindowForm {
  return {
    from: localInput(new Date(w.from)),
    until: localInput(new Date(w.until)),
    topics: LISTEN_TOPICS.filter((t) => w.topics.includes(t)),
    languages: w.languages.join(', '),
    words: w.words,
  };
}

/** "en, pt-BR" → ["en", "pt-BR"] (no empties, no repeats, any case). */
export function splitLanguages(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[,\s]+/)) {
    const tag = part.trim();
    if (tag === '' || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}

/**
 * The window's input, or the message id of what is wrong with each field. `now` decides whether
 * the window is already over; the server checks all of this again.
 */
export function windowInput(
  form: WindowForm,
  now: Date,
): { ok: true; value: ListenWindowInput } | { ok: false; problems: WindowProblems } {
  const problems: WindowProblems = {};
  const from = fromLocalInput(form.from);
  const until = fromLocalInput(form.until);
  if (from === null) problems.from = 'listen.window.errors.from';
  if (until === null) problems.until = 'listen.window.errors.until';
  if (from !== null && until !== null) {
    if (until.getTime() <= from.getTime()) problems.until = 'listen.window.errors.order';
    else if (until.getTime() - from.getTime() > LISTEN_LIMITS.windowHours * HOUR_MS) {
      problems.until = 'listen.window.errors.tooLong';
    } else if (until.getTime() <= now.getTime()) problems.until = 'listen.window.errors.over';
  }
  const languages = splitLanguages(form.languages);
  const parsed = listenWindowInputSchema.safeParse({
    from: (from ?? now).toISOString(),
    until: (until ?? now).toISOString(),
    topics: form.topics,
    languages,
    words: form.words,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (field === 'languages') problems.languages ??= 'listen.window.errors.languages';
      else if (field === 'words') problems.words ??= 'listen.window.errors.words';
      else if (field === 'topics') problems.topics ??= 'listen.window.errors.topics';
      else problems.from ??= 'listen.window.errors.from';
    }
  }
  if (!parsed.success || Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, value: parsed.data };
}

/** Asks as the page shows them. */
export interface SortedAsks {
  /** My own ask while it waits or is under way (at most one). */
  readonly mine: AskWire | null;
  /** My own last ask, when it ended without anyone (expired) and nothing newer is live. */
  readonly lastUnmet: AskWire | null;
  /** Asks offered to me that are still waiting (never who asked). */
  readonly offers: AskWire[];
  /** Talks I took, accepted or under way. */
  readonly listening: AskWire[];
  /** Talks of mine (either side) that ended: for kind words afterwards. */
  readonly ended: AskWire[];
}

const LIVE = new Set(['open', 'accepted', 'talking']);
const newestFirst = (a: AskWire, b: AskWire) => b.createdAt.localeCompare(a.createdAt);

export function sortAsks(asks: readonly AskWire[]): SortedAsks {
  const sorted = [...asks].sort(newestFirst);
  const own = sorted.filter((a) => a.role === 'asker');
  const mine = own.find((a) => LIVE.has(a.status)) ?? null;
  const latest = own[0];
  return {
    mine,
    lastUnmet: mine === null && latest?.status === 'expired' ? latest : null,
    offers: sorted.filter((a) => a.role === 'candidate' && a.status === 'open'),
    listening: sorted.filter(
      (a) => a.role === 'listener' && (a.status === 'accepted' || a.status === 'talking'),
    ),
    ended: sorted.filter((a) => a.role !== 'candidate' && a.status === 'ended' && a.other !== null),
  };
}

/** The asker may withdraw while nobody is with them yet, or before the conversation opened. */
export const mayWithdraw = (a: AskWire) =>
  a.role === 'asker' && (a.status === 'open' || a.status === 'accepted');

/** Either of the two may end a talk once someone is with the asker. */
export const mayEnd = (a: AskWire) =>
  a.role !== 'candidate' && (a.status === 'accepted' || a.status === 'talking');

const KNOWN = [
  'network',
  'not_a_group_member',
  'window_too_long',
  'window_ended',
  'not_listening',
  'already_asking',
  'taken',
  'ask_closed',
  'feedback_given',
  'rate_limited',
  'not_found',
  'unauthenticated',
] as const;

export type ListenErrorKey = `listen.errors.${(typeof KNOWN)[number] | 'other'}`;

/** The message id for a failed call. */
export function errorKey(failure: Pick<ApiFailure, 'code'>): ListenErrorKey {
  const code = (KNOWN as readonly string[]).includes(failure.code) ? failure.code : 'other';
  return `listen.errors.${code}` as ListenErrorKey;
}

export const topicKey = (topic: string) => `listen.topics.${topic}`;
export const wordKey = (word: string) => `listen.kindWords.words.${word}`;

/** The longest a timer may wait (setTimeout's limit); later changes are read on the next event. */
const MAX_WAIT_MS = 2_147_000_000;

/**
 * When the page should read again because something ends (or starts) by itself: my ask or an
 * offer expiring, my window opening or closing. Just after that moment, or null when nothing will.
 */
export function nextChange(
  asks: readonly AskWire[],
  window: { readonly from: string; readonly until: string } | null,
  now: number,
): number | null {
  const times: number[] = [];
  for (const a of asks) if (a.status === 'open') times.push(Date.parse(a.expiresAt));
  if (window !== null) times.push(Date.parse(window.from), Date.parse(window.until));
  const future = times.filter((t) => Number.isFinite(t) && t > now);
  if (future.length === 0) return null;
  return Math.min(Math.min(...future) + 1000, now + MAX_WAIT_MS);
}
