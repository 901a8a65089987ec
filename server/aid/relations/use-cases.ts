import Papa from 'papaparse';
import type { z } from 'zod';
import {
  AID_LIMITS,
  DEFAULT_MATCH_NOTIFY_RATE,
  decodeCursor,
  encodeCursor,
  type assignSchema,
  type conversationKeysSchema,
  type figuresQuerySchema,
  type MatchNotifyRate,
  type PostWire,
  type respondSchema,
  type thanksSchema,
  type unmetQuerySchema,
  type When,
} from '../../../core/src/aid/api.js';
import { fromCenti, zonesWithin, type Zone } from '../../../core/src/aid/areas.js';
import {
  countNeeds,
  figuresCsv,
  suppressFigures,
  type Figure,
} from '../../../core/src/aid/figures.js';
import { transitionAsAny, type AidActor } from '../../../core/src/aid/lifecycle.js';
import {
  findMatches,
  isMatchable,
  mayNotify,
  type Match,
  type MatchablePost,
} from '../../../core/src/aid/matching.js';
import { occurrencesOf } from '../../../core/src/aid/when.js';
import { generateId } from '../../../core/src/crypto/ids.js';
import { err, ok, type Result } from '../../../core/src/result.js';
import type { Auth } from '../../accounts/sessions.js';
import { commit, fail, type CircleDeps } from '../../circles/commit.js';
import {
  leaveConversation,
  startConversation,
  type StartFailure,
} from '../../conversations/use-cases.js';
import { inTransaction, type Db, type Tx } from '../../db/database.js';
import { enqueueNotification } from '../../notify/outbox.js';
import type { NewEvent } from '../../realtime/log.js';
import { findPost, findPost as findPostView, lockPost } from '../repository.js';
import { toWire } from '../use-cases.js';
import { mayUse, seesPost, standing, type Standing } from './access.js';
import {
  allAreas,
  appendAudit,
  areaNames,
  assignedSince,
  blockedEitherWay,
  deleteMatches,
  blockedWith,
  findAccount,
  findAssignment,
  findNotice,
  findOccurrence,
  findResponse,
  handleOf,
  handlesOf,
  insertAssignment,
  insertMatches,
  insertResponse,
  insertThanks,
  matchCandidates,
  moveResponse,
  needsForFigures,
  occurrencesForFigures,
  openNeeds,
  pendingNotices,
  respondedSince,
  responseOf,
  responsesBy,
  responsesTo,
  saveNotice,
  setHelping,
  setHidden,
  setMatchDistance,
  storedMatchesFor,
  storedPartnersOf,
  thanksTo,
  unmetNeeds,
  updateAssignment,
  type AssignmentRow,
  type CandidateRow,
  type NoticeRow,
  type PostRow,
  type ResponseRow,
} from './repository.js';

export type RelationsDeps = CircleDeps;

export type RelationsFailure =
  | { readonly kind: 'not_found'; readonly what?: string }
  | { readonly kind: 'forbidden'; readonly message: string }
  | { readonly kind: 'aid_board_off' }
  | { readonly kind: 'agreement_needed' }
  | { readonly kind: 'own_post' }
  | { readonly kind: 'already_responded' }
  | { readonly kind: 'response_closed' }
  | { readonly kind: 'anonymous_post' }
  | { readonly kind: 'invalid'; readonly path: string; readonly message: string }
  | { readonly kind: 'invalid_transition'; readonly message: string }
  | { readonly kind: 'rate_limited'; readonly retryAt: string; readonly message: string }
  | { readonly kind: 'thanks_given' }
  | { readonly kind: 'assignment_closed' }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'conversation'; readonly failure: StartFailure };

type R<T> = Promise<Result<T, RelationsFailure>>;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

// ─── Fixed words (never a name, a category, an area or a description) ─────────────────────────────

export const AID_NOTIFICATIONS = {
  response: (postId: string) => ({
    title: 'Tend',
    body: 'Someone answered your post on the aid board — open Tend',
    path: `/aid/${postId}`,
  }),
  match: {
    title: 'Tend',
    body: 'Something on the aid board matches what you posted — open Tend',
    path: '/aid/mine',
  },
  assignment: {
    title: 'Tend',
    body: 'A coordinator asked you about some help — open Tend',
    path: '/aid/mine',
  },
  helping: (postId: string) => ({
    title: 'Tend',
    body: 'Someone is helping now — open Tend',
    path: `/aid/${postId}`,
  }),
  thanks: { title: 'Tend', body: 'Someone left you a thank-you — open Tend', path: '/aid/mine' },
} as const;

// ─── Seeing a post ──────────────────────────────────────────────────────────────────────────────

const refusal = (r: NonNullable<ReturnType<typeof mayUse>>): RelationsFailure =>
  r === 'forbidden'
    ? { kind: 'forbidden', message: "Only this board's members can do that." }
    : { kind: r };

/** The post and the viewer's standing, or not_found when they cannot see it. */
async function seen(
  q: Db | Tx,
  postId: string,
  auth: Auth,
): Promise<Result<{ post: PostRow; s: Standing }, RelationsFailure>> {
  const post = await findPost(q, postId);
  if (post === undefined) return err({ kind: 'not_found' });
  const s = await standing(q, post.community, auth);
  if (!seesPost(post, s, auth.accountId)) return err({ kind: 'not_found' });
  return ok({ post, s });
}

/** As `seen`, inside a transaction (under the post's lock); refuses by rolling back. */
async function seenIn(trx: Tx, postId: string, auth: Auth) {
  await lockPost(trx, postId);
  const r = await seen(trx, postId, auth);
  if (!r.ok) return fail(r.error);
  return r.value;
}

const bool = (n: number) => n === 1;

function parseIntervals(json: string) {
  return (JSON.parse(json) as [number, number][]).map(([start, end]) => ({ start, end }));
}

/**
 * A post as `viewerId` sees it: the aid capability's own shape (an anonymous post's author is null
 * for everyone), with the distance a match found and the viewer's own response.
 */
export async function postWire(
  q: Db | Tx,
  p: PostRow,
  viewerId: string,
  distanceKm: number | null = null,
): Promise<PostWire> {
  const view = (await findPostView(q, p.id)) ?? { ...p, area_name: null, author_handle: null };
  const mine = (await responsesBy(q, viewerId, p.id)).find((r) => r.occurrence_id === null);
  return {
    ...toWire(view, {
      viewerId,
      myResponse:
        mine === undefined
          ? null
          : { id: mine.id, status: mine.status, conversationId: mine.conversation_id },
    }),
    distanceKm: distanceKm === null ? null : Math.round(distanceKm),
  };
}

/** An occurrence of recurring help in the horizon, with its status (no row: open). */
async function occurrenceOf(q: Db | Tx, post: PostRow, occurrenceId: string, now: Date) {
  const when = JSON.parse(post.when_json) as When;
  if (when.kind !== 'recurring') return undefined;
  const row = await findOccurrence(q, post.id, occurrenceId);
  if (row !== undefined) return { status: row.status, partnerId: row.partner_id, row };
  const all = occurrencesOf(when, {
    postId: post.id,
    postedAt: Date.parse(post.renewed_at),
    expiresAt: Date.parse(post.expires_at),
    now: now.getTime(),
  });
  const o = all.ok ? all.value.find((x) => x.occurrenceId === occurrenceId) : undefined;
  if (o === undefined) return undefined;
  return {
    status: 'open' as const,
    partnerId: null,
    row: undefined,
    span: { starts_at: new Date(o.start).toISOString(), ends_at: new Date(o.end).toISOString() },
  };
}

// ─── Responses ──────────────────────────────────────────────────────────────────────────────────

export type RespondInput = z.infer<typeof respondSchema>;
type ConversationKeys = z.infer<typeof conversationKeysSchema>;

export async function responseWire(q: Db | Tx, r: ResponseRow) {
  return {
    id: r.id,
    postId: r.post_id,
    occurrenceId: r.occurrence_id,
    responder: { accountId: r.responder_id, handle: (await handleOf(q, r.responder_id)) ?? '' },
    status: r.status,
    conversationId: r.conversation_id,
    createdAt: r.created_at,
  };
}
export type ResponseWire = Awaited<ReturnType<typeof responseWire>>;

const responseEvents = (ids: readonly (string | null)[], postId: string, responseId: string) =>
  [...new Set(ids.filter((x): x is string => x !== null))].map((accountId): NewEvent => ({
    accountId,
    type: 'aid.response.changed',
    data: { postId, responseId },
  }));

/** Every check of a new response, inside the transaction or before the conversation opens. */
async function checkRespond(
  q: Db | Tx,
  post: PostRow,
  s: Standing,
  responderId: string,
  input: RespondInput,
  now: Date,
): Promise<RelationsFailure | undefined> {
  const use = mayUse(s);
  if (use !== null) return refusal(use);
  if (post.author_id === responderId) return { kind: 'own_post' };
  if (post.hidden_at !== null) return { kind: 'not_found' };
  if (post.author_id === null || (await blockedEitherWay(q, post.author_id, responderId))) {
    return { kind: 'not_found' };
  }
  const anonymous = bool(post.anonymous) || bool(post.on_behalf);
  if (anonymous && input.conversation !== undefined) return { kind: 'anonymous_post' };
  if (!anonymous && input.conversation === undefined) {
    return {
      kind: 'invalid',
      path: 'conversation',
      message: 'Open the conversation with the person who posted it.',
    };
  }
  const occurrenceId = input.occurrenceId ?? null;
  if (occurrenceId !== null) {
    const o = await occurrenceOf(q, post, occurrenceId, now);
    if (o === undefined) return { kind: 'not_found', what: 'occurrence' };
    if (o.status !== 'open' || post.status !== 'open') return { kind: 'response_closed' };
  } else if (!isMatchable({ kind: post.kind, status: post.status } as MatchablePost)) {
    return { kind: 'response_closed' };
  }
  if ((await responseOf(q, post.id, occurrenceId, responderId)) !== undefined) {
    return { kind: 'already_responded' };
  }
  if ((await findResponse(q, input.id)) !== undefined) return { kind: 'conflict' };
  const recent = await respondedSince(
    q,
    responderId,
    new Date(now.getTime() - HOUR_MS).toISOString(),
  );
  if (recent.length >= AID_LIMITS.responsesPerHour) {
    const oldest = recent[recent.length - AID_LIMITS.responsesPerHour]!;
    return {
      kind: 'rate_limited',
      retryAt: new Date(Date.parse(oldest) + HOUR_MS).toISOString(),
      message: `You have answered ${AID_LIMITS.responsesPerHour} posts in the last hour.`,
    };
  }
  return undefined;
}

/**
 * "I can help" / "I'd like this". On a named post the responder's browser made the conversation's
 * key: the conversation opens at once (context `aid`, the response id as its context id) through
 * the conversations capability, and the response is `talking`. On an anonymous post no
 * conversation travels; the response waits for the author. The author is told in fixed words.
 */
export async function respond(
  deps: RelationsDeps,
  auth: Auth,
  postId: string,
  input: RespondInput,
  now: Date,
): R<ResponseWire> {
  const first = await seen(deps.db, postId, auth);
  if (!first.ok) return first;
  const refused = await checkRespond(
    deps.db,
    first.value.post,
    first.value.s,
    auth.accountId,
    input,
    now,
  );
  if (refused !== undefined) return err(refused);
  const conversation = input.conversation;
  if (conversation !== undefined) {
    const started = await startConversation(
      deps,
      auth.accountId,
      { ...conversation, with: first.value.post.author_id! },
      { context: 'aid', contextId: input.id },
      now,
    );
    if (!started.ok) return err({ kind: 'conversation', failure: started.error });
  }
  const at = now.toISOString();
  const r = await commit<ResponseWire, RelationsFailure>(deps, now, async (trx) => {
    const { post, s } = await seenIn(trx, postId, auth);
    const again = await checkRespond(trx, post, s, auth.accountId, input, now);
    if (again !== undefined) fail(again);
    const row: ResponseRow = {
      id: input.id,
      post_id: post.id,
      occurrence_id: input.occurrenceId ?? null,
      responder_id: auth.accountId,
      status: conversation === undefined ? 'waiting' : 'talking',
      conversation_id: conversation?.id ?? null,
      created_at: at,
      answered_at: conversation === undefined ? null : at,
    };
    await insertResponse(trx, row);
    const told = await enqueueNotification(
      trx,
      {
        accountId: post.author_id!,
        kind: 'aid',
        dedupeKey: `aid-response:${row.id}`,
        text: AID_NOTIFICATIONS.response(post.id),
      },
      now,
    );
    return {
      value: await responseWire(trx, row),
      events: responseEvents([post.author_id, auth.accountId], post.id, row.id),
      notified: told.channels.length > 0,
    };
  });
  if (!r.ok && conversation !== undefined) {
    await leaveConversation(deps, conversation.id, auth.accountId, now);
  }
  return r;
}

/** The author sees every response; a responder sees their own; anyone else none. */
export async function listResponses(
  db: Db,
  auth: Auth,
  postId: string,
): R<{ responses: ResponseWire[] }> {
  const r = await seen(db, postId, auth);
  if (!r.ok) return r;
  const rows =
    r.value.post.author_id === auth.accountId
      ? await responsesTo(db, postId)
      : await responsesBy(db, auth.accountId, postId);
  const responses: ResponseWire[] = [];
  for (const row of rows) responses.push(await responseWire(db, row));
  return ok({ responses });
}

/** The response and its post, for the post's author only (anyone else: not_found). */
async function authorsResponse(trx: Tx, auth: Auth, responseId: string) {
  const response = await findResponse(trx, responseId);
  if (response === undefined) return fail({ kind: 'not_found' });
  const { post } = await seenIn(trx, response.post_id, auth);
  if (post.author_id !== auth.accountId) return fail({ kind: 'not_found' });
  return { response, post };
}

/**
 * The author of an anonymous post answers a waiting response by opening the conversation (their
 * browser made the key, for the responder). A retry with the same conversation returns it.
 */
export async function openResponseConversation(
  deps: RelationsDeps,
  auth: Auth,
  responseId: string,
  input: ConversationKeys,
  now: Date,
): R<ResponseWire> {
  const response = await findResponse(deps.db, responseId);
  if (response === undefined) return err({ kind: 'not_found' });
  const first = await seen(deps.db, response.post_id, auth);
  if (!first.ok || first.value.post.author_id !== auth.accountId) return err({ kind: 'not_found' });
  if (response.status === 'talking' && response.conversation_id === input.id) {
    return ok(await responseWire(deps.db, response));
  }
  if (response.status !== 'waiting') return err({ kind: 'response_closed' });
  const started = await startConversation(
    deps,
    auth.accountId,
    { ...input, with: response.responder_id },
    { context: 'aid', contextId: responseId },
    now,
  );
  if (!started.ok) return err({ kind: 'conversation', failure: started.error });
  const r = await commit<ResponseWire, RelationsFailure>(deps, now, async (trx) => {
    const { response: row, post } = await authorsResponse(trx, auth, responseId);
    const moved = await moveResponse(trx, row.id, ['waiting'], {
      status: 'talking',
      conversation_id: input.id,
      answered_at: now.toISOString(),
    });
    if (!moved) fail({ kind: 'response_closed' });
    return {
      value: await responseWire(trx, (await findResponse(trx, row.id))!),
      events: responseEvents([post.author_id, row.responder_id], post.id, row.id),
    };
  });
  if (!r.ok) await leaveConversation(deps, input.id, auth.accountId, now);
  return r;
}

/** The author says "not this time" (never why); the responder sees it declined. */
export async function declineResponse(
  deps: RelationsDeps,
  auth: Auth,
  responseId: string,
  now: Date,
): R<ResponseWire> {
  return commit<ResponseWire, RelationsFailure>(deps, now, async (trx) => {
    const { response, post } = await authorsResponse(trx, auth, responseId);
    const moved = await moveResponse(trx, response.id, ['waiting', 'talking'], {
      status: 'declined',
      answered_at: now.toISOString(),
    });
    if (!moved) fail({ kind: 'response_closed' });
    return {
      value: await responseWire(trx, (await findResponse(trx, response.id))!),
      events: responseEvents([post.author_id, response.responder_id], post.id, response.id),
    };
  });
}

/** The responder takes their response back. */
export async function withdrawResponse(
  deps: RelationsDeps,
  auth: Auth,
  responseId: string,
  now: Date,
): R<ResponseWire> {
  return commit<ResponseWire, RelationsFailure>(deps, now, async (trx) => {
    const response = await findResponse(trx, responseId);
    if (response === undefined || response.responder_id !== auth.accountId) {
      return fail({ kind: 'not_found' });
    }
    const post = await lockPost(trx, response.post_id);
    const moved = await moveResponse(trx, response.id, ['waiting', 'talking'], {
      status: 'withdrawn',
      answered_at: now.toISOString(),
    });
    if (!moved) fail({ kind: 'response_closed' });
    return {
      value: await responseWire(trx, (await findResponse(trx, response.id))!),
      events: responseEvents(
        [post?.author_id ?? null, response.responder_id],
        response.post_id,
        response.id,
      ),
    };
  });
}

// ─── Matching ───────────────────────────────────────────────────────────────────────────────────

function matchable(p: CandidateRow, centres: ReadonlyMap<string, Zone['centre']>): MatchablePost {
  return {
    id: p.id,
    authorId: p.author_id ?? '',
    community: p.community,
    kind: p.kind,
    category: p.category,
    status: p.status,
    centre: p.area_id === null ? null : (centres.get(p.area_id) ?? null),
    reachKm: p.reach_km,
    intervals: parseIntervals(p.intervals),
    urgent: bool(p.urgent),
    createdAt: Date.parse(p.created_at),
  };
}

/**
 * The posts that match `post` now, best first (docs/AID.md, "Matching"): zones within the
 * largest reach of its zone, one SQL pre-filter, then core's `findMatches` with the poster's
 * blocks. Never its own poster's posts, never across a block, never a hidden post.
 */
export async function matchesOf(q: Db | Tx, post: PostRow, limit?: number): Promise<Match[]> {
  if (post.author_id === null || post.hidden_at !== null) return [];
  if (post.starts_at === null || post.ends_at === null) return [];
  const areas = await allAreas(q);
  const centres = new Map(
    areas.map((a) => [a.id, fromCenti({ latCenti: a.lat_centi, lonCenti: a.lon_centi })]),
  );
  const me = matchable(post, centres);
  if (!isMatchable(me)) return [];
  let areaIds: string[] | null = null;
  if (me.centre !== null) {
    const zones = [...centres].map(([id, centre]) => ({ id, centre }));
    areaIds = zonesWithin(zones, me.centre, AID_LIMITS.maxReachKm);
  }
  const rows = await matchCandidates(
    q,
    {
      community: post.community,
      kind: post.kind,
      category: post.category,
      authorId: post.author_id,
      start: post.starts_at,
      end: post.ends_at,
    },
    areaIds,
  );
  const blocked = await blockedWith(q, post.author_id);
  return findMatches(
    me,
    rows.map((r) => matchable(r, centres)),
    limit === undefined ? { blocked } : { blocked, limit },
  );
}

/**
 * Tells each person of new matches, never above the rate they chose: now when `mayNotify`
 * allows it (one notice, fixed words), else they are marked pending and the match worker tells
 * them once their period has passed. `never`: nothing. Quiet hours and pause apply on top.
 */
async function tellOfMatches(trx: Tx, accountIds: readonly string[], now: Date) {
  let notified = false;
  const at = now.toISOString();
  for (const accountId of new Set(accountIds)) {
    const row: NoticeRow = (await findNotice(trx, accountId)) ?? {
      account_id: accountId,
      rate: DEFAULT_MATCH_NOTIFY_RATE,
      last_told_at: null,
      pending_since: null,
    };
    if (row.rate === 'never') continue;
    const last = row.last_told_at === null ? null : Date.parse(row.last_told_at);
    if (mayNotify(row.rate, last, now.getTime())) {
      await enqueueNotification(
        trx,
        {
          accountId,
          kind: 'aid-match',
          dedupeKey: `aid-match:${accountId}:${at}`,
          text: AID_NOTIFICATIONS.match,
        },
        now,
      );
      await saveNotice(trx, { ...row, last_told_at: at, pending_since: null });
      notified = true;
    } else if (row.pending_since === null) {
      await saveNotice(trx, { ...row, pending_since: at });
    }
  }
  return notified;
}

/**
 * After a post is made, changed or renewed (call inside that transaction): its matches are
 * stored, each matched person gets an `aid.match` event, and is told at their rate.
 */
export async function matchNewPost(
  trx: Tx,
  postId: string,
  now: Date,
): Promise<{ events: NewEvent[]; notified: boolean }> {
  const post = await findPost(trx, postId);
  if (post === undefined) return { events: [], notified: false };
  return storeMatches(trx, post, await matchesOf(trx, post), now);
}

/**
 * After a post's category, zone, reach or time changed, it was renewed, or it came back on the
 * board (call inside that transaction, after the post row is written): its matches are found
 * again from its stored intervals; stored matches that no longer hold are dropped, new ones stored,
 * and the people newly matched told at their rate, as for a new post. A pair still matched is
 * kept as it is, so nobody is told twice of it. A post off the board (done, withdrawn, hidden…)
 * keeps its stored matches (they are not listed while it is off the board).
 */
export async function rematchPost(
  trx: Tx,
  postId: string,
  now: Date,
): Promise<{ events: NewEvent[]; notified: boolean }> {
  const post = await findPost(trx, postId);
  if (post === undefined) return { events: [], notified: false };
  if (
    post.hidden_at !== null ||
    !isMatchable({ kind: post.kind, status: post.status } as MatchablePost)
  ) {
    return { events: [], notified: false };
  }
  const found = await matchesOf(trx, post);
  const still = new Map(
    found.map((m) => [m.post.id, m.distanceKm === null ? null : Math.round(m.distanceKm)]),
  );
  const stored = await storedPartnersOf(trx, post.id, post.kind);
  const stale = stored.filter((r) => !still.has(r.id)).map((r) => r.id);
  await deleteMatches(trx, post.id, post.kind, stale);
  // A pair kept whose distance changed (a new zone or reach) shows the new one.
  for (const r of stored) {
    const d = still.get(r.id);
    if (d === undefined || d === r.distance_km) continue;
    await setMatchDistance(
      trx,
      post.kind === 'need'
        ? { need_id: post.id, offer_id: r.id }
        : { need_id: r.id, offer_id: post.id },
      d,
    );
  }
  return storeMatches(trx, post, found, now);
}

/** Stores matches found for `post`; the people of the ones not stored before are told. */
async function storeMatches(
  trx: Tx,
  post: PostRow,
  found: readonly Match[],
  now: Date,
): Promise<{ events: NewEvent[]; notified: boolean }> {
  const postId = post.id;
  const inserted = await insertMatches(
    trx,
    found.map((m) => ({
      need_id: post.kind === 'need' ? post.id : m.post.id,
      offer_id: post.kind === 'offer' ? post.id : m.post.id,
      distance_km: m.distanceKm === null ? null : Math.round(m.distanceKm),
    })),
    now.toISOString(),
  );
  const newIds = new Set(inserted.map((r) => (post.kind === 'need' ? r.offer_id : r.need_id)));
  const people = found.filter((m) => newIds.has(m.post.id)).map((m) => m.post.authorId);
  const events = [...new Set(people)].map((accountId): NewEvent => ({
    accountId,
    type: 'aid.match',
    data: { postId },
  }));
  const notified = await tellOfMatches(trx, people, now);
  return { events, notified };
}

/**
 * The match worker's step: everyone pending whose period has passed is told once, in one notice
 * for however many matches. Returns who was told.
 */
export async function sendDueMatchNotices(deps: RelationsDeps, now: Date): Promise<string[]> {
  const told: string[] = [];
  for (const row of await pendingNotices(deps.db, 500)) {
    const last = row.last_told_at === null ? null : Date.parse(row.last_told_at);
    if (!mayNotify(row.rate, last, now.getTime())) continue;
    const r = await commit<boolean, never>(deps, now, async (trx) => {
      const fresh = await findNotice(trx, row.account_id);
      if (fresh === undefined || fresh.pending_since === null || fresh.rate === 'never')
        return { value: false, events: [] };
      const l = fresh.last_told_at === null ? null : Date.parse(fresh.last_told_at);
      if (!mayNotify(fresh.rate, l, now.getTime())) return { value: false, events: [] };
      const at = now.toISOString();
      await enqueueNotification(
        trx,
        {
          accountId: row.account_id,
          kind: 'aid-match',
          dedupeKey: `aid-match:${row.account_id}:${at}`,
          text: AID_NOTIFICATIONS.match,
        },
        now,
      );
      await saveNotice(trx, { ...fresh, last_told_at: at, pending_since: null });
      return { value: true, events: [], notified: true };
    });
    if (r.ok && r.value) told.push(row.account_id);
  }
  return told;
}

/** The match worker: polls every few minutes. */
export function createMatchNoticeWorker(
  deps: RelationsDeps,
  opts: {
    now: () => Date;
    intervalMs?: number;
    logger?: { error: (o: object, m: string) => void };
  },
) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = sendDueMatchNotices(deps, opts.now())
      .catch((e: unknown) => opts.logger?.error({ err: e }, 'aid match notices failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.intervalMs ?? 300_000);
      });
  };
  return {
    start() {
      if (!stopped && timer === undefined) timer = setTimeout(tick, opts.intervalMs ?? 300_000);
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}

/** A post's matches, recomputed (the author and the community's coordinators). */
export async function postMatches(
  db: Db,
  auth: Auth,
  postId: string,
  limit: number,
): R<{ matches: PostWire[] }> {
  const r = await seen(db, postId, auth);
  if (!r.ok) return r;
  const { post, s } = r.value;
  if (post.author_id !== auth.accountId && !s.coordinator) {
    return err({ kind: 'forbidden', message: 'Only its author and coordinators see its matches.' });
  }
  const found = await matchesOf(db, post, limit);
  const matches: PostWire[] = [];
  for (const m of found) {
    const row = await findPost(db, m.post.id);
    if (row !== undefined) matches.push(await postWire(db, row, auth.accountId, m.distanceKm));
  }
  return ok({ matches });
}

/** Stored matches for my open posts, newest first. */
export async function myMatches(db: Db, auth: Auth, limit: number) {
  const rows = await storedMatchesFor(db, auth.accountId, limit);
  const matches: PostWire[] = [];
  for (const r of rows) {
    const seenPost = await seen(db, r.id, auth);
    if (seenPost.ok)
      matches.push(await postWire(db, seenPost.value.post, auth.accountId, r.distance_km));
  }
  return { matches };
}

export async function readNotices(db: Db, accountId: string) {
  return { rate: (await findNotice(db, accountId))?.rate ?? DEFAULT_MATCH_NOTIFY_RATE };
}

export async function setNotices(db: Db, accountId: string, rate: MatchNotifyRate) {
  await inTransaction(db, async (trx) => {
    const row = await findNotice(trx, accountId);
    await saveNotice(trx, {
      account_id: accountId,
      rate,
      last_told_at: row?.last_told_at ?? null,
      pending_since: rate === 'never' ? null : (row?.pending_since ?? null),
    });
  });
  return { rate };
}

// ─── Thanks ─────────────────────────────────────────────────────────────────────────────────────

export type ThanksInput = z.infer<typeof thanksSchema>;

/**
 * Once a post (or occurrence) is done, the person who asked (a need's author, an offer's partner)
 * may send its partner kind words once. Only the one thanked sees them.
 */
export async function giveThanks(
  deps: RelationsDeps,
  auth: Auth,
  postId: string,
  input: ThanksInput,
  now: Date,
): R<{ postId: string; occurrenceId: string | null }> {
  return commit(deps, now, async (trx) => {
    const { post } = await seenIn(trx, postId, auth);
    const occurrenceId = input.occurrenceId ?? null;
    let status = post.status;
    let partnerId = post.partner_id;
    if (occurrenceId !== null) {
      const o = await occurrenceOf(trx, post, occurrenceId, now);
      if (o === undefined) return fail({ kind: 'not_found', what: 'occurrence' });
      status = o.status;
      partnerId = o.partnerId;
    }
    const asker = post.kind === 'need' ? post.author_id : partnerId;
    const thanked = post.kind === 'need' ? partnerId : post.author_id;
    if (asker !== auth.accountId) {
      return fail({ kind: 'forbidden', message: 'Only the person who was helped sends thanks.' });
    }
    if (status !== 'done' || thanked === null) {
      return fail({ kind: 'invalid_transition', message: 'Thanks come once it is done.' });
    }
    const stored = await insertThanks(trx, {
      post_id: post.id,
      occurrence_id: occurrenceId,
      from_id: auth.accountId,
      to_id: thanked,
      words: JSON.stringify(input.words),
      text: input.text === undefined || input.text === '' ? null : input.text,
      created_at: now.toISOString(),
    });
    if (!stored) fail({ kind: 'thanks_given' });
    const told = await enqueueNotification(
      trx,
      {
        accountId: thanked,
        kind: 'aid',
        dedupeKey: `aid-thanks:${post.id}:${occurrenceId ?? ''}`,
        text: AID_NOTIFICATIONS.thanks,
      },
      now,
    );
    return {
      value: { postId: post.id, occurrenceId },
      events: [{ accountId: thanked, type: 'aid.thanks', data: { postId: post.id } }],
      notified: told.channels.length > 0,
    };
  });
}

/** Thanks to me: each on its own, never counted, never who sent it. */
export async function myThanks(db: Db, accountId: string) {
  return {
    thanks: (await thanksTo(db, accountId)).map((t) => ({
      postId: t.post_id,
      occurrenceId: t.occurrence_id,
      words: JSON.parse(t.words) as string[],
      text: t.text,
      createdAt: t.created_at,
    })),
  };
}

// ─── Coordinators ───────────────────────────────────────────────────────────────────────────────

async function coordinatorOf(
  db: Db | Tx,
  community: string,
  auth: Auth,
  also: 'figures' | null = null,
): Promise<Result<Standing, RelationsFailure>> {
  const s = await standing(db, community, auth);
  if (!s.sees) return err({ kind: 'not_found' });
  const allowed = s.coordinator || (also === 'figures' && (s.moderator || s.manager));
  if (!allowed) {
    return err({
      kind: 'forbidden',
      message:
        also === 'figures'
          ? "Only this board's coordinators, moderators and managers see its figures."
          : "Only this board's coordinators can do that.",
    });
  }
  return ok(s);
}

export type UnmetQuery = z.infer<typeof unmetQuerySchema>;

/** Open needs, urgent first, then the longest waiting (coordinators). */
export async function unmet(db: Db, auth: Auth, community: string, query: UnmetQuery) {
  const c = await coordinatorOf(db, community, auth);
  if (!c.ok) return c;
  const pos = query.after === undefined ? undefined : decodeCursor(query.after);
  let after: { urgent: number; at: string; id: string } | undefined;
  if (pos) {
    const [flag, at] = pos.at.split('|');
    after = { urgent: Number(flag), at: at ?? '', id: pos.id };
  }
  const rows = await unmetNeeds(db, community, {
    category: query.category,
    area: query.area,
    urgent: query.urgent,
    ...(after === undefined ? {} : { after }),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const posts: PostWire[] = [];
  for (const p of page) posts.push(await postWire(db, p, auth.accountId));
  const last = page.at(-1);
  return ok({
    posts,
    next:
      rows.length > query.limit && last !== undefined
        ? encodeCursor(`${last.urgent}|${last.created_at}`, last.id)
        : null,
  });
}

export async function assignmentWire(q: Db | Tx, a: AssignmentRow) {
  return {
    id: a.id,
    postId: a.post_id,
    occurrenceId: a.occurrence_id,
    helper: { accountId: a.helper_id, handle: (await handleOf(q, a.helper_id)) ?? '' },
    status: a.status,
    askerConsented: a.asker_consented_at !== null,
    helperConsented: a.helper_consented_at !== null,
    createdAt: a.created_at,
  };
}
export type AssignmentWire = Awaited<ReturnType<typeof assignmentWire>>;

const assignmentEvents = (ids: readonly (string | null)[], assignmentId: string): NewEvent[] =>
  [...new Set(ids.filter((x): x is string => x !== null))].map((accountId) => ({
    accountId,
    type: 'aid.assignment.changed',
    data: { assignmentId },
  }));

/** The person asked on a need (its author), unless a coordinator posted it for someone. */
const askerOfAssignment = (post: PostRow) => (bool(post.on_behalf) ? null : post.author_id);

export type AssignInput = z.infer<typeof assignSchema>;

/**
 * A coordinator proposes someone to help with an open need. Nothing changes until the helper and
 * (unless the coordinator posted it for someone) the person who asked both accept.
 */
export async function propose(
  deps: RelationsDeps,
  auth: Auth,
  postId: string,
  input: AssignInput,
  now: Date,
): R<AssignmentWire> {
  const at = now.toISOString();
  return commit<AssignmentWire, RelationsFailure>(deps, now, async (trx) => {
    const { post, s } = await seenIn(trx, postId, auth);
    if (!s.coordinator)
      fail({ kind: 'forbidden', message: "Only this board's coordinators can do that." });
    if (post.kind !== 'need') {
      fail({ kind: 'invalid_transition', message: 'Only needs are assigned.' });
    }
    if (post.author_id === input.helperId) fail({ kind: 'own_post' });
    const occurrenceId = input.occurrenceId ?? null;
    const status =
      occurrenceId === null
        ? post.status
        : ((await occurrenceOf(trx, post, occurrenceId, now)) ?? fail({ kind: 'not_found' }))
            .status;
    if (status !== 'open' || post.hidden_at !== null) {
      fail({ kind: 'invalid_transition', message: 'Only an open need can be assigned.' });
    }
    const helper = await findAccount(trx, input.helperId);
    const hs =
      helper === undefined
        ? undefined
        : await standing(trx, post.community, { ...auth, accountId: helper.id, role: 'member' });
    if (
      helper === undefined ||
      hs === undefined ||
      !hs.member ||
      (post.author_id !== null && (await blockedEitherWay(trx, post.author_id, helper.id)))
    ) {
      fail({ kind: 'not_found', what: 'helper' });
    }
    if ((await findAssignment(trx, input.id)) !== undefined) fail({ kind: 'conflict' });
    const recent = await assignedSince(
      trx,
      auth.accountId,
      new Date(now.getTime() - HOUR_MS).toISOString(),
    );
    if (recent.length >= AID_LIMITS.assignmentsPerHour) {
      const oldest = recent[recent.length - AID_LIMITS.assignmentsPerHour]!;
      fail({
        kind: 'rate_limited',
        retryAt: new Date(Date.parse(oldest) + HOUR_MS).toISOString(),
        message: `At most ${AID_LIMITS.assignmentsPerHour} proposals an hour.`,
      });
    }
    const asker = askerOfAssignment(post);
    const row: AssignmentRow = {
      id: input.id,
      post_id: post.id,
      occurrence_id: occurrenceId,
      helper_id: input.helperId,
      proposed_by: auth.accountId,
      status: 'proposed',
      asker_consented_at: asker === null ? at : null,
      helper_consented_at: null,
      created_at: at,
      closed_at: null,
    };
    await insertAssignment(trx, row);
    let notified = false;
    for (const who of [input.helperId, asker]) {
      if (who === null) continue;
      const r = await enqueueNotification(
        trx,
        {
          accountId: who,
          kind: 'aid',
          dedupeKey: `aid-assignment:${row.id}:${who}`,
          text: AID_NOTIFICATIONS.assignment,
        },
        now,
      );
      notified ||= r.channels.length > 0;
    }
    return {
      value: await assignmentWire(trx, row),
      events: assignmentEvents([auth.accountId, input.helperId, asker], row.id),
      notified,
    };
  });
}

/**
 * The proposed helper or the person who asked accepts or declines. When both have accepted, the
 * need moves to `helping` with that helper (actor `coordinator`) in the same transaction. A
 * decline closes it; nobody is told who declined.
 */
export async function answerAssignment(
  deps: RelationsDeps,
  auth: Auth,
  assignmentId: string,
  accept: boolean,
  now: Date,
): R<AssignmentWire> {
  const at = now.toISOString();
  return commit<AssignmentWire, RelationsFailure>(deps, now, async (trx) => {
    const a = await findAssignment(trx, assignmentId);
    if (a === undefined) return fail({ kind: 'not_found' });
    const post = await lockPost(trx, a.post_id);
    if (post === undefined) return fail({ kind: 'not_found' });
    const asker = askerOfAssignment(post);
    const asHelper = a.helper_id === auth.accountId;
    const asAsker = asker === auth.accountId;
    if (!asHelper && !asAsker) return fail({ kind: 'not_found' });
    if (a.status !== 'proposed') fail({ kind: 'assignment_closed' });
    const s = await standing(trx, post.community, auth);
    if (accept) {
      const use = mayUse(s);
      if (use !== null) fail(refusal(use));
    }
    const told = [a.proposed_by, a.helper_id, asker];
    if (!accept) {
      await updateAssignment(trx, a.id, { status: 'declined', closed_at: at });
      return {
        value: await assignmentWire(trx, (await findAssignment(trx, a.id))!),
        events: assignmentEvents(told, a.id),
      };
    }
    const helperAt = asHelper ? at : a.helper_consented_at;
    const askerAt = asAsker ? at : a.asker_consented_at;
    const events = assignmentEvents(told, a.id);
    let notified = false;
    if (helperAt !== null && askerAt !== null) {
      const occ =
        a.occurrence_id === null ? undefined : await occurrenceOf(trx, post, a.occurrence_id, now);
      const from = a.occurrence_id === null ? post.status : (occ?.status ?? 'expired');
      const t = transitionAsAny({ kind: post.kind, from, to: 'helping', actors: ['coordinator'] });
      if (!t.ok || post.hidden_at !== null) {
        fail({ kind: 'invalid_transition', message: 'This need is no longer open.' });
      }
      const moved = await setHelping(
        trx,
        post,
        a.occurrence_id,
        a.helper_id,
        at,
        occ !== undefined && 'span' in occ ? occ.span : undefined,
      );
      if (!moved) fail({ kind: 'invalid_transition', message: 'This need is no longer open.' });
      await updateAssignment(trx, a.id, {
        status: 'accepted',
        helper_consented_at: helperAt,
        asker_consented_at: askerAt,
        closed_at: at,
      });
      for (const who of [post.author_id, a.helper_id]) {
        if (who === null) continue;
        events.push({ accountId: who, type: 'aid.post.changed', data: { postId: post.id } });
        if (who === a.helper_id) continue;
        const r = await enqueueNotification(
          trx,
          {
            accountId: who,
            kind: 'aid',
            dedupeKey: `aid-helping:${a.id}:${who}`,
            text: AID_NOTIFICATIONS.helping(post.id),
          },
          now,
        );
        notified ||= r.channels.length > 0;
      }
    } else {
      await updateAssignment(trx, a.id, {
        helper_consented_at: helperAt,
        asker_consented_at: askerAt,
      });
    }
    return {
      value: await assignmentWire(trx, (await findAssignment(trx, a.id))!),
      events,
      notified,
    };
  });
}

/** The proposing coordinator withdraws a proposal still waiting. */
export async function withdrawAssignment(
  deps: RelationsDeps,
  auth: Auth,
  assignmentId: string,
  now: Date,
): R<AssignmentWire> {
  return commit<AssignmentWire, RelationsFailure>(deps, now, async (trx) => {
    const a = await findAssignment(trx, assignmentId);
    if (a === undefined || a.proposed_by !== auth.accountId) return fail({ kind: 'not_found' });
    const post = await findPost(trx, a.post_id);
    if (a.status !== 'proposed') fail({ kind: 'assignment_closed' });
    await updateAssignment(trx, a.id, { status: 'withdrawn', closed_at: now.toISOString() });
    return {
      value: await assignmentWire(trx, (await findAssignment(trx, a.id))!),
      events: assignmentEvents(
        [a.proposed_by, a.helper_id, post === undefined ? null : askerOfAssignment(post)],
        a.id,
      ),
    };
  });
}

// ─── The open-needs list ────────────────────────────────────────────────────────────────────────

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** A post's `when` in plain words for paper. */
export function whenInWords(when: When): string {
  switch (when.kind) {
    case 'by':
      return `by ${utc(new Date(when.until).toISOString())}`;
    case 'window':
      return `${utc(new Date(when.from).toISOString())} to ${utc(new Date(when.until).toISOString())}`;
    case 'ongoing':
      return 'ongoing';
    case 'recurring':
      return `repeating from ${when.start.replace('T', ' ')} (${when.timeZone}), ${when.durationMinutes} minutes, ${when.rrule}`;
  }
}

export interface OpenNeed {
  readonly ref: string;
  readonly category: string;
  readonly area: string | null;
  readonly when: string;
  readonly urgent: boolean;
  readonly postedOn: string;
  readonly waitedDays: number;
  readonly status: PostRow['status'];
  readonly description: string;
  readonly name: string | null;
}

/**
 * Open and helping needs for coordinators who work on paper. A name only when the poster allowed
 * it and did not post anonymously; no account ids, no partner, no responses.
 */
export async function openNeedsList(
  db: Db,
  auth: Auth,
  community: string,
  now: Date,
): R<{ needs: OpenNeed[] }> {
  const c = await coordinatorOf(db, community, auth);
  if (!c.ok) return c;
  const rows = await openNeeds(db, community);
  const areas = await areaNames(
    db,
    rows.flatMap((r) => (r.area_id === null ? [] : [r.area_id])),
  );
  const named = rows.filter(
    (r) =>
      bool(r.name_in_print) && !bool(r.anonymous) && !bool(r.on_behalf) && r.author_id !== null,
  );
  const handles = await handlesOf(
    db,
    named.map((r) => r.author_id!),
  );
  const needs = rows.map((r) => ({
    ref: r.id,
    category: r.category,
    area: r.area_id === null ? null : (areas.get(r.area_id) ?? null),
    when: whenInWords(JSON.parse(r.when_json) as When),
    urgent: bool(r.urgent),
    postedOn: r.created_at.slice(0, 10),
    waitedDays: Math.max(0, Math.floor((now.getTime() - Date.parse(r.created_at)) / DAY_MS)),
    status: r.status,
    description: r.description,
    name: named.includes(r) ? (handles.get(r.author_id!) ?? null) : null,
  }));
  return ok({ needs });
}

/** The open-needs list as CSV (papaparse, formulae escaped). */
export function openNeedsCsv(needs: readonly OpenNeed[]): string {
  return Papa.unparse(
    {
      fields: [
        'ref',
        'category',
        'area',
        'when',
        'urgent',
        'posted_on',
        'waited_days',
        'status',
        'description',
        'name',
      ],
      data: needs.map((n) => [
        n.ref,
        n.category,
        n.area ?? '',
        n.when,
        n.urgent ? 'yes' : 'no',
        n.postedOn,
        String(n.waitedDays),
        n.status,
        n.description,
        n.name ?? '',
      ]),
    },
    { escapeFormulae: true, newline: '\r\n' },
  );
}

// ─── Figures ────────────────────────────────────────────────────────────────────────────────────

export type FiguresQuery = z.infer<typeof figuresQuerySchema>;

/**
 * Needs posted and met in [from, to) per category, area or month, through core's suppression (a
 * minimum cell size of 5). Computed from the posts on demand; nothing names a person.
 */
export async function figures(
  db: Db,
  auth: Auth,
  community: string,
  query: FiguresQuery,
  now: Date,
): R<{ from: string; to: string; by: FiguresQuery['by']; minCellSize: number; rows: Figure[] }> {
  const c = await coordinatorOf(db, community, auth, 'figures');
  if (!c.ok) return c;
  const from = new Date(query.from).toISOString();
  const to = new Date(query.to).toISOString();
  const rows = await needsForFigures(db, community, from, to);
  const recurring = rows.filter((r) => r.when_kind === 'recurring').map((r) => r.id);
  const occurrences = await occurrencesForFigures(db, recurring, from, to);
  const raw = countNeeds(
    rows.map((r) => ({
      id: r.id,
      category: r.category,
      areaId: r.area_id,
      createdAt: r.created_at,
      firstHelpingAt: r.first_helping_at,
      status: r.status,
      when: JSON.parse(r.when_json) as When,
      leftAt: r.status === 'open' || r.status === 'helping' ? null : r.updated_at,
    })),
    occurrences.map((o) => ({
      postId: o.post_id,
      occurrenceId: o.occurrence_id,
      startsAt: o.starts_at,
      status: o.status,
    })),
    { from, to, now: now.getTime(), by: query.by },
  );
  return ok({
    from,
    to,
    by: query.by,
    minCellSize: AID_LIMITS.minCellSize,
    rows: suppressFigures(raw),
  });
}

export { figuresCsv };

// ─── Moderation ─────────────────────────────────────────────────────────────────────────────────

/**
 * Who an audit row names: the author of a named post; nobody for an anonymous one (the log is read
 * by more people than the one who asked, and a row must not say who wrote it).
 */
const logTarget = (post: PostRow) =>
  bool(post.anonymous) || bool(post.on_behalf) ? null : post.author_id;

const groupIdOf = (community: string) =>
  community.startsWith('group.') ? community.slice('group.'.length) : null;

/**
 * The author of a post, for the community's moderators only, through this one audited route
 * (`reveal-aid-author`, one row in the moderation log in the same transaction).
 */
export async function revealAuthor(
  deps: RelationsDeps,
  auth: Auth,
  postId: string,
  now: Date,
  reason?: string,
): R<{ accountId: string; handle: string }> {
  return commit(deps, now, async (trx) => {
    const { post, s } = await seenIn(trx, postId, auth);
    if (!s.moderator) {
      return fail({ kind: 'forbidden', message: "Only this board's moderators can see that." });
    }
    if (post.author_id === null) return fail({ kind: 'not_found', what: 'author' });
    const handle = (await handleOf(trx, post.author_id)) ?? '';
    await appendAudit(trx, {
      id: generateId(),
      at: now.toISOString(),
      actor_id: auth.accountId,
      action: 'reveal-aid-author',
      target_id: logTarget(post),
      group_id: groupIdOf(post.community),
      thread_id: null,
      post_id: null,
      report_id: null,
      reason: reason ?? null,
      aid_post_id: post.id,
    });
    return { value: { accountId: post.author_id, handle }, events: [] };
  });
}

/**
 * A moderator hides an aid post (it leaves the board, matches and exports; its author and partner
 * see it marked hidden) or shows it again; one audit row in the same transaction.
 */
export async function moderatePost(
  deps: RelationsDeps,
  auth: Auth,
  postId: string,
  input: { action: 'hide-aid-post' | 'unhide-aid-post'; reason?: string | undefined },
  now: Date,
): R<{ action: string; auditId: string }> {
  return commit(deps, now, async (trx) => {
    const { post, s } = await seenIn(trx, postId, auth);
    if (!s.moderator) {
      return fail({ kind: 'forbidden', message: "Only this board's moderators can do that." });
    }
    if (post.author_id === auth.accountId) {
      return fail({ kind: 'forbidden', message: 'You cannot moderate your own post.' });
    }
    const at = now.toISOString();
    const changed = await setHidden(
      trx,
      post.id,
      input.action === 'hide-aid-post' ? { at, by: auth.accountId } : null,
    );
    if (!changed) {
      fail({
        kind: 'invalid_transition',
        message: input.action === 'hide-aid-post' ? 'It is hidden already.' : 'It is not hidden.',
      });
    }
    const auditId = generateId();
    await appendAudit(trx, {
      id: auditId,
      at,
      actor_id: auth.accountId,
      action: input.action,
      target_id: logTarget(post),
      group_id: groupIdOf(post.community),
      thread_id: null,
      post_id: null,
      report_id: null,
      reason: input.reason ?? null,
      aid_post_id: post.id,
    });
    const told = [post.author_id, post.partner_id].filter((x): x is string => x !== null);
    return {
      value: { action: input.action, auditId },
      events: [...new Set(told)].map((accountId) => ({
        accountId,
        type: 'aid.post.changed' as const,
        data: { postId: post.id },
      })),
    };
  });
}

export type { AidActor };

/**
 * A report of an aid post (server/moderation's `aid-post` kind): the post, if the reporter can see
 * it, with the group whose keepers moderate its board (null: the instance board, its admins).
 */
export async function reportableAidPost(q: Db | Tx, postId: string, reporterId: string) {
  const post = await findPost(q, postId);
  if (post === undefined) return undefined;
  const s = await standing(q, post.community, {
    accountId: reporterId,
    role: 'member',
    sessionId: '',
  });
  if (!seesPost(post, s, reporterId)) return undefined;
  return { groupId: post.group_id, authorId: post.author_id };
}

/** What the moderation queue shows of a reported aid post. */
export async function aidPostForQueue(q: Db | Tx, postId: string) {
  const post = await findPost(q, postId);
  if (post === undefined) return undefined;
  return {
    description: post.description,
    contentWarning: post.content_warning,
    hidden: post.hidden_at !== null,
    /** The queue names nobody for it (the author route is audited). */
    anonymous: bool(post.anonymous) || bool(post.on_behalf),
  };
}
