import type { Tx } from '../db/database.js';
import { enqueueNotification } from '../notify/outbox.js';
import type { NewEvent } from '../realtime/log.js';
import { dueForDailySuggestions, markDailySuggestionsSent } from './repository.js';

/**
 * The directory's realtime events and notifications (docs/RESOURCES.md, "Realtime and
 * notifications"). Events carry ids only; notifications are fixed words with a path — never a
 * resource's name or crisis facts, never anyone's words.
 */

/** What the author of a suggestion is told when a keeper published or declined it. */
export const SUGGESTION_LOOKED_AT_TEXT = {
  title: 'Tend',
  body: 'Your suggestion to the directory was looked at — open Tend',
  path: '/resources/suggestions',
} as const;

/** Who keeps the directory: appointed keepers and instance admins, each once, in id order. */
export async function directoryKeeperIds(trx: Tx): Promise<string[]> {
  const keepers = await trx.selectFrom('resource_keepers').select('account_id').execute();
  const admins = await trx
    .selectFrom('accounts')
    .select('id')
    .where('role', '=', 'admin')
    .execute();
  return [...new Set([...keepers.map((k) => k.account_id), ...admins.map((a) => a.id)])].sort();
}

/** `resources.suggestion.changed` to every keeper (not its author) when a suggestion arrives. */
export async function suggestionArrived(
  trx: Tx,
  suggestionId: string,
  authorId: string,
): Promise<NewEvent[]> {
  return (await directoryKeeperIds(trx))
    .filter((id) => id !== authorId)
    .map((accountId) => ({
      accountId,
      type: 'resources.suggestion.changed',
      data: { suggestionId },
    }));
}

/**
 * A keeper published or declined a suggestion: `resources.suggestion.changed` to its author and a
 * notification in fixed words through the outbox (once per suggestion). Nothing when the author's
 * account is gone or the author looked at it themselves.
 */
export async function suggestionLookedAt(
  trx: Tx,
  suggestion: { id: string; authorId: string | null },
  actorId: string,
  now: Date,
): Promise<{ events: NewEvent[]; notified: boolean }> {
  const author = suggestion.authorId;
  if (author === null || author === actorId) return { events: [], notified: false };
  await enqueueNotification(
    trx,
    {
      accountId: author,
      kind: 'resources',
      dedupeKey: `resources-suggestion:${suggestion.id}:${author}`,
      text: SUGGESTION_LOOKED_AT_TEXT,
    },
    now,
  );
  return {
    events: [
      {
        accountId: author,
        type: 'resources.suggestion.changed',
        data: { suggestionId: suggestion.id },
      },
    ],
    notified: true,
  };
}

/** `resources.flag.created` to every keeper (not the one who flagged). */
export async function flagCreated(trx: Tx, flagId: string, flaggedBy: string): Promise<NewEvent[]> {
  return (await directoryKeeperIds(trx))
    .filter((id) => id !== flaggedBy)
    .map((accountId) => ({ accountId, type: 'resources.flag.created', data: { flagId } }));
}

/** What an opted-in keeper is told, at most once a day, when suggestions arrive. Fixed words. */
export const NEW_SUGGESTIONS_TEXT = {
  title: 'Tend',
  body: 'New suggestions for the directory — open Tend',
  path: '/resources/review',
} as const;

const DAY_MS = 86_400_000;

/**
 * A suggestion arrived: every keeper (checked now, so someone no longer a keeper gets nothing)
 * who opted in, is not its author, and was last told 24 hours ago or more (or never) gets one
 * notification in fixed words through the outbox — never the suggestion's words, the resource's
 * name nor who suggested it. `last_sent_at` moves only when something was queued (not when held
 * by the person's pause or quiet hours, nor without email or push), so the next suggestion tries
 * again. Returns who was notified.
 */
export async function dailySuggestionNotices(
  trx: Tx,
  authorId: string,
  now: Date,
): Promise<string[]> {
  const keepers = (await directoryKeeperIds(trx)).filter((id) => id !== authorId);
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  const day = now.toISOString().slice(0, 10);
  const notified: string[] = [];
  for (const accountId of await dueForDailySuggestions(trx, keepers, since)) {
    const r = await enqueueNotification(
      trx,
      {
        accountId,
        kind: 'resources',
        dedupeKey: `resources-daily-suggestions:${accountId}:${day}`,
        text: NEW_SUGGESTIONS_TEXT,
      },
      now,
    );
    if (r.held !== null || r.channels.length === 0) continue;
    await markDailySuggestionsSent(trx, accountId, now.toISOString());
    notified.push(accountId);
  }
  return notified;
}
