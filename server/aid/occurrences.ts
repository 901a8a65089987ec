/**
 * The occurrences of recurring help as one person sees them on the post page: each coming one
 * (`occurrencesFor` in use-cases.ts) and, before them, the ones of the last
 * `AID_LIMITS.pastOccurrenceDays` days that someone helped with or that are done — so the person
 * who asked can still confirm it happened and say thank you after the day. For each: its status,
 * whether I am its partner, its partner (to the post's author only: they chose them), my response
 * to it and whether I sent its thank-you.
 */
import { AID_LIMITS } from '../../core/src/aid/api.js';
import type { AidStatus } from '../../core/src/aid/lifecycle.js';
import type { Db, Tx } from '../db/database.js';
import { handlesOf } from './relations/repository.js';
import { myResponsesTo, occurrencesOfPost, thankedBy, type PostRow } from './repository.js';

const DAY_MS = 86_400_000;

/** A coming occurrence as `occurrencesFor` lists it. */
export interface ComingOccurrence {
  readonly occurrenceId: string;
  readonly start: string;
  readonly end: string;
  readonly status: AidStatus;
}

export async function occurrencesPage(
  q: Db | Tx,
  post: PostRow,
  viewerId: string,
  now: Date,
  coming: readonly ComingOccurrence[],
) {
  if (post.when_kind !== 'recurring') return [];
  const rows = await occurrencesOfPost(q, post.id);
  const byId = new Map(rows.map((r) => [r.occurrence_id, r]));
  const comingIds = new Set(coming.map((o) => o.occurrenceId));
  const since = now.getTime() - AID_LIMITS.pastOccurrenceDays * DAY_MS;
  const earlier = rows
    .filter(
      (r) =>
        !comingIds.has(r.occurrence_id) &&
        (r.status === 'helping' || r.status === 'done') &&
        Date.parse(r.starts_at) < now.getTime() &&
        Date.parse(r.ends_at) >= since,
    )
    .sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at))
    .map((r) => ({
      occurrenceId: r.occurrence_id,
      start: new Date(Date.parse(r.starts_at)).toISOString(),
      end: new Date(Date.parse(r.ends_at)).toISOString(),
      status: r.status,
    }));
  const all = [...earlier, ...coming];

  const author = post.author_id === viewerId;
  const partners = author
    ? await handlesOf(
        q,
        rows.map((r) => r.partner_id).filter((x): x is string => x !== null),
      )
    : new Map<string, string>();
  const mine = new Map<string, { id: string; status: string; conversationId: string | null }>();
  // Newest first: the first one seen for an occurrence is my latest.
  for (const r of await myResponsesTo(q, viewerId, [post.id])) {
    if (r.occurrence_id !== null && !mine.has(r.occurrence_id)) {
      mine.set(r.occurrence_id, {
        id: r.id,
        status: r.status,
        conversationId: r.conversation_id,
      });
    }
  }
  const thanked = await thankedBy(q, post.id, viewerId);

  return all.map((o) => {
    const partnerId = byId.get(o.occurrenceId)?.partner_id ?? null;
    return {
      occurrenceId: o.occurrenceId,
      start: o.start,
      end: o.end,
      status: o.status,
      past: Date.parse(o.end) <= now.getTime(),
      partnerIsMe: partnerId !== null && partnerId === viewerId,
      partner:
        author && partnerId !== null
          ? { accountId: partnerId, handle: partners.get(partnerId) ?? '' }
          : null,
      myResponse: mine.get(o.occurrenceId) ?? null,
      thanksSent: thanked.has(o.occurrenceId),
    };
  });
}
