import type { Tx } from '../db/database.js';
import { enqueueNotification } from '../notify/outbox.js';
import type { NewEvent } from '../realtime/log.js';

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
