/**
 * Pure helpers for the moderation pages: which failure words to show, who may be reported or
 * muted (a mute names an account, so only posts shown under a handle — never a pseudonym,
 * docs/MODERATION.md), a log row as a plain sentence, and merging pages of a cursor-paged list.
 */
import type { AuthorWire } from '$core/groups/threads-api';
import type { AuditEntryWire } from '$core/moderation/api';
import type { ApiFailure } from '../api/client';

const KNOWN = [
  'network',
  'conflict',
  'rate_limited',
  'not_found',
  'forbidden',
  'cannot_act_on_self',
  'cannot_act_on_facilitator',
  'report_closed',
  'last_facilitator',
  'invalid_input',
  'unauthenticated',
] as const;

export type ModerationErrorKey = `moderation.errors.${(typeof KNOWN)[number] | 'other'}`;

/** The message id for a failed moderation call. */
export function errorKey(failure: Pick<ApiFailure, 'code'>): ModerationErrorKey {
  const code = (KNOWN as readonly string[]).includes(failure.code) ? failure.code : 'other';
  return `moderation.errors.${code}` as ModerationErrorKey;
}

/** Anyone may report what someone else wrote (never their own). */
export const canReport = (author: AuthorWire): boolean => !author.mine;

/**
 * A post can be muted when it is someone else's and shown under their handle: a post under a
 * pseudonym is never tied to a mute, which would unmask the pseudonym.
 */
export const canMute = (author: AuthorWire): boolean =>
  !author.mine && author.pseudonym === null && author.accountId !== null;

/** Whether a post collapses for me: its author (shown by handle) is one I muted. */
export function isMuted(author: AuthorWire, muted: ReadonlySet<string>): boolean {
  return canMute(author) && author.accountId !== null && muted.has(author.accountId);
}

type AidVariant =
  'hide-aid-post-by' | 'unhide-aid-post-by' | 'resolve-report-aid' | 'dismiss-report-aid';

export interface Sentence {
  /** A message id under moderation.audit.actions. */
  readonly key: `moderation.audit.actions.${AuditEntryWire['action'] | AidVariant}`;
  readonly values: { readonly actor: string; readonly target: string };
}

/**
 * A log row as "{actor} hid a post by {target}", names as handles (`gone` for a deleted one).
 * Rows about a mutual aid post name its author only when the row does (a named post hidden or
 * shown again); an anonymous post's rows, withdrawing, reopening and looking at who wrote a post
 * name nobody, so the sentence says "a post on the mutual aid board", never "someone whose
 * account is gone" — closing a report about such a post too.
 */
export function auditSentence(entry: AuditEntryWire, gone: string): Sentence {
  const actor = entry.actor?.handle ?? gone;
  const target = entry.target?.handle ?? gone;
  if (
    (entry.action === 'hide-aid-post' || entry.action === 'unhide-aid-post') &&
    entry.target !== null
  ) {
    return { key: `moderation.audit.actions.${entry.action}-by`, values: { actor, target } };
  }
  if (
    (entry.action === 'resolve-report' || entry.action === 'dismiss-report') &&
    entry.aidPostId !== null &&
    entry.target === null
  ) {
    return { key: `moderation.audit.actions.${entry.action}-aid`, values: { actor, target } };
  }
  return { key: `moderation.audit.actions.${entry.action}`, values: { actor, target } };
}

/** The items of a later page added after those shown, without repeating an id. */
export function appendPage<T extends { readonly id: string }>(
  shown: readonly T[],
  more: readonly T[],
): T[] {
  const seen = new Set(shown.map((x) => x.id));
  return [...shown, ...more.filter((x) => !seen.has(x.id))];
}

/** Optional words as the API wants them: trimmed, or left out when empty. */
export function optionalWords(text: string): string | undefined {
  const t = text.trim();
  return t === '' ? undefined : t;
}
