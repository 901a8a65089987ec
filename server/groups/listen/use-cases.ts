import type { z } from 'zod';
import type { PublicKeyBundle } from '../../../core/src/crypto/identity.js';
import { generateId } from '../../../core/src/crypto/ids.js';
import {
  LISTEN_LIMITS,
  type askInputSchema,
  type AskWire,
  type feedbackInputSchema,
  type ListenWindowInput,
  type openTalkSchema,
} from '../../../core/src/groups/listen-api.js';
import { err, ok, type Result } from '../../../core/src/result.js';
import { commit, fail, type CircleDeps } from '../../circles/commit.js';
import {
  closeConversation,
  leaveConversation,
  startConversation,
  type StartFailure,
} from '../../conversations/use-cases.js';
import type { Db, Tx } from '../../db/database.js';
import { enqueueNotification } from '../../notify/outbox.js';
import type { NewEvent } from '../../realtime/log.js';
import {
  addCandidates,
  askedSince,
  asksOf,
  blockedEitherWay,
  candidatesOf,
  claimAsk,
  deleteWindow,
  expireAsks,
  feedbackTo,
  findAccount,
  findAsk,
  findWindow,
  inAnyGroup,
  insertAsk,
  insertFeedback,
  isCandidate,
  liveAskOf,
  lockAccount,
  moveAsk,
  openAsks,
  openWindowsFor,
  saveWindow,
  type AskRow,
  type WindowRow,
} from './repository.js';

export type ListenDeps = CircleDeps;

export type ListenFailure =
  | { readonly kind: 'not_a_group_member' }
  | { readonly kind: 'window_order' }
  | { readonly kind: 'window_too_long' }
  | { readonly kind: 'window_ended' }
  | { readonly kind: 'not_listening' }
  | { readonly kind: 'already_asking' }
  | { readonly kind: 'rate_limited'; readonly retryAt: string }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'taken' }
  | { readonly kind: 'ask_closed' }
  | { readonly kind: 'feedback_given' }
  | { readonly kind: 'conversation'; readonly failure: StartFailure };

type R<T> = Promise<Result<T, ListenFailure>>;

const HOUR_MS = 3_600_000;
/** Asks older than this are no longer listed (a talk lasts hours, not days). */
const LIST_DAYS_MS = 2 * 24 * HOUR_MS;

/** The only words an ask's notification ever carries: never who asked or what about. */
export const ASK_NOTIFICATION = {
  title: 'Tend',
  body: 'Someone would like to talk — open Tend',
  path: '/listen',
} as const;

const parse = (json: string): string[] => JSON.parse(json) as string[];

const overlaps = (wanted: readonly string[], offered: readonly string[]) =>
  wanted.length === 0 || wanted.some((w) => offered.includes(w));

/** A window matches an ask when it shares a hoped-for topic and language (none hoped: any). */
export function matches(
  ask: { topics: readonly string[]; languages: readonly string[] },
  window: { topics: readonly string[]; languages: readonly string[] },
): boolean {
  return overlaps(ask.topics, window.topics) && overlaps(ask.languages, window.languages);
}

const windowActive = (w: WindowRow | undefined, at: string): w is WindowRow =>
  w !== undefined && w.starts_at <= at && w.ends_at > at;

const askMatches = (a: AskRow, w: WindowRow) =>
  matches(
    { topics: parse(a.topics), languages: parse(a.languages) },
    { topics: parse(w.topics), languages: parse(w.languages) },
  );

const changed = (ids: readonly string[], askId: string): NewEvent[] =>
  [...new Set(ids)].map((accountId) => ({
    accountId,
    type: 'listen.ask.changed' as const,
    data: { askId },
  }));

/** Tells one available listener of an ask: an event, and a notification in fixed words. */
async function offer(trx: Tx, askId: string, accountId: string, now: Date) {
  await enqueueNotification(
    trx,
    {
      accountId,
      kind: 'listen',
      dedupeKey: `listen-ask:${askId}:${accountId}`,
      text: ASK_NOTIFICATION,
    },
    now,
  );
}

// ─── Windows ────────────────────────────────────────────────────────────────────────────────────

function windowWire(w: WindowRow, at: string) {
  return {
    from: w.starts_at,
    until: w.ends_at,
    topics: parse(w.topics),
    languages: parse(w.languages),
    words: w.words,
    active: windowActive(w, at),
  };
}

export async function readWindow(db: Db, accountId: string, now: Date) {
  const w = await findWindow(db, accountId);
  return { window: w === undefined ? null : windowWire(w, now.toISOString()) };
}

/**
 * I am around to listen from `from` until `until` (at most LISTEN_LIMITS.windowHours). For
 * members of a group only. Open asks I match (from people I have not blocked and who have not
 * blocked me) are offered to me at once when the window is open now.
 */
export async function setWindow(
  deps: ListenDeps,
  accountId: string,
  input: ListenWindowInput,
  now: Date,
): R<ReturnType<typeof windowWire>> {
  const from = new Date(input.from);
  const until = new Date(input.until);
  if (until.getTime() <= from.getTime()) return err({ kind: 'window_order' });
  if (until.getTime() - from.getTime() > LISTEN_LIMITS.windowHours * HOUR_MS) {
    return err({ kind: 'window_too_long' });
  }
  if (until.getTime() <= now.getTime()) return err({ kind: 'window_ended' });
  const at = now.toISOString();
  return commit<ReturnType<typeof windowWire>, ListenFailure>(deps, now, async (trx) => {
    if (!(await lockAccount(trx, accountId))) fail({ kind: 'not_found' });
    if (!(await inAnyGroup(trx, accountId))) fail({ kind: 'not_a_group_member' });
    const row: WindowRow = {
      account_id: accountId,
      starts_at: from.toISOString(),
      ends_at: until.toISOString(),
      topics: JSON.stringify(input.topics),
      languages: JSON.stringify(input.languages),
      words: input.words,
      updated_at: at,
    };
    await saveWindow(trx, row);
    const events: NewEvent[] = [];
    let notified = false;
    if (windowActive(row, at)) {
      await expireAsks(trx, at);
      for (const ask of await openAsks(trx, at, accountId)) {
        if (!askMatches(ask, row)) continue;
        if (await blockedEitherWay(trx, ask.asker_id, accountId)) continue;
        if (await isCandidate(trx, ask.id, accountId)) continue;
        await addCandidates(trx, ask.id, [accountId]);
        await offer(trx, ask.id, accountId, now);
        events.push(...changed([accountId], ask.id));
        notified = true;
      }
    }
    return { value: windowWire(row, at), events, notified };
  });
}

/** I am no longer around (the window is forgotten, not kept as history). */
export async function stopWindow(db: Db, accountId: string): Promise<void> {
  await deleteWindow(db, accountId);
}

// ─── Asks ───────────────────────────────────────────────────────────────────────────────────────

type AskInput = z.infer<typeof askInputSchema>;

/**
 * I would like to talk. Offered (event and fixed-word notification) to every available listener
 * it matches who is not me and not blocked either way. One ask at a time; LISTEN_LIMITS.asksPerHour.
 */
export async function ask(
  deps: ListenDeps,
  askerId: string,
  input: AskInput,
  now: Date,
): R<AskWire> {
  const at = now.toISOString();
  return commit<AskWire, ListenFailure>(deps, now, async (trx) => {
    if (!(await lockAccount(trx, askerId))) fail({ kind: 'not_found' });
    await expireAsks(trx, at);
    if ((await liveAskOf(trx, askerId)) !== undefined) fail({ kind: 'already_asking' });
    const recent = await askedSince(trx, askerId, new Date(now.getTime() - HOUR_MS).toISOString());
    if (recent.length >= LISTEN_LIMITS.asksPerHour) {
      const oldest = recent[recent.length - LISTEN_LIMITS.asksPerHour] ?? at;
      fail({
        kind: 'rate_limited',
        retryAt: new Date(new Date(oldest).getTime() + HOUR_MS).toISOString(),
      });
    }
    const row: AskRow = {
      id: generateId(),
      asker_id: askerId,
      topics: JSON.stringify(input.topics),
      languages: JSON.stringify(input.languages),
      status: 'open',
      listener_id: null,
      conversation_id: null,
      created_at: at,
      expires_at: new Date(now.getTime() + LISTEN_LIMITS.askMinutes * 60_000).toISOString(),
      accepted_at: null,
      closed_at: null,
    };
    await insertAsk(trx, row);
    const listeners = (await openWindowsFor(trx, askerId, at))
      .filter((w) => askMatches(row, w))
      .map((w) => w.account_id);
    await addCandidates(trx, row.id, listeners);
    for (const id of listeners) await offer(trx, row.id, id, now);
    return {
      value: await view(trx, row, askerId),
      events: changed([askerId, ...listeners], row.id),
      notified: listeners.length > 0,
    };
  });
}

/** The ask as `viewerId` may see it, or undefined when it is none of their business. */
async function view(q: Db | Tx, a: AskRow, viewerId: string): Promise<AskWire> {
  const base = {
    id: a.id,
    topics: parse(a.topics),
    languages: parse(a.languages),
    createdAt: a.created_at,
    expiresAt: a.expires_at,
  };
  if (viewerId === a.asker_id) {
    let other: AskWire['other'] = null;
    if (a.listener_id !== null) {
      const l = await findAccount(q, a.listener_id);
      const w = await findWindow(q, a.listener_id);
      if (l !== undefined) {
        other = {
          accountId: l.id,
          handle: l.handle,
          words: w?.words ?? null,
          publicKeyBundle: null,
        };
      }
    }
    return { ...base, role: 'asker', status: a.status, conversationId: a.conversation_id, other };
  }
  if (viewerId === a.listener_id) {
    const s = await findAccount(q, a.asker_id);
    return {
      ...base,
      role: 'listener',
      status: a.status,
      conversationId: a.conversation_id,
      other:
        s === undefined
          ? null
          : {
              accountId: s.id,
              handle: s.handle,
              words: null,
              publicKeyBundle: JSON.parse(s.public_key_bundle) as PublicKeyBundle,
            },
    };
  }
  // A candidate: what was hoped for, never who asked; once someone else took it, `taken`.
  const status = a.status === 'open' || a.listener_id === null ? a.status : 'taken';
  return { ...base, role: 'candidate', status, conversationId: null, other: null };
}

/**
 * Whether `viewerId` may see the ask: its asker, its listener, or someone it was offered to who
 * has not been blocked since (an open ask only while their window is open).
 */
async function visibleTo(q: Db | Tx, a: AskRow, viewerId: string, at: string): Promise<boolean> {
  if (viewerId === a.asker_id || viewerId === a.listener_id) return true;
  if (!(await isCandidate(q, a.id, viewerId))) return false;
  if (await blockedEitherWay(q, a.asker_id, viewerId)) return false;
  if (a.status === 'open') return windowActive(await findWindow(q, viewerId), at);
  return true;
}

export async function readAsk(db: Db, id: string, viewerId: string, now: Date): R<AskWire> {
  const at = now.toISOString();
  await expireAsks(db, at);
  const a = await findAsk(db, id);
  if (a === undefined || !(await visibleTo(db, a, viewerId, at))) return err({ kind: 'not_found' });
  return ok(await view(db, a, viewerId));
}

export async function listAsks(db: Db, viewerId: string, now: Date) {
  const at = now.toISOString();
  await expireAsks(db, at);
  const rows = await asksOf(db, viewerId, new Date(now.getTime() - LIST_DAYS_MS).toISOString());
  const asks: AskWire[] = [];
  for (const a of rows)
    if (await visibleTo(db, a, viewerId, at)) asks.push(await view(db, a, viewerId));
  return { asks };
}

/**
 * An available listener takes the ask. The claim is one conditional update inside the
 * transaction: of two listeners accepting at once exactly one wins; the other gets `taken`
 * ("someone else is with them"). The winner learns who asked (to open the conversation with
 * them); everyone else offered it is told only that it was taken.
 */
export async function accept(
  deps: ListenDeps,
  id: string,
  listenerId: string,
  now: Date,
): R<AskWire> {
  const at = now.toISOString();
  return commit<AskWire, ListenFailure>(deps, now, async (trx) => {
    await expireAsks(trx, at);
    const a = await findAsk(trx, id);
    if (a === undefined || !(await visibleTo(trx, a, listenerId, at))) fail({ kind: 'not_found' });
    const found = a as AskRow;
    if (found.asker_id === listenerId) fail({ kind: 'not_found' });
    if (found.listener_id === listenerId)
      return { value: await view(trx, found, listenerId), events: [] };
    if (found.status !== 'open')
      fail({ kind: found.listener_id === null ? 'ask_closed' : 'taken' });
    const w = await findWindow(trx, listenerId);
    if (!windowActive(w, at) || !askMatches(found, w)) fail({ kind: 'not_listening' });
    if (!(await claimAsk(trx, id, listenerId, at))) fail({ kind: 'taken' });
    const claimed = await findAsk(trx, id);
    if (claimed === undefined) throw new Error('ask vanished inside its own transaction');
    return {
      value: await view(trx, claimed, listenerId),
      events: changed([found.asker_id, ...(await candidatesOf(trx, id))], id),
    };
  });
}

type OpenTalk = z.infer<typeof openTalkSchema>;

/**
 * The listener who accepted opens the end-to-end encrypted conversation (context `listen`) with
 * the asker, through the conversations capability. A retry with the same conversation returns it.
 */
export async function openTalk(
  deps: ListenDeps,
  id: string,
  listenerId: string,
  input: OpenTalk,
  now: Date,
): R<AskWire> {
  const a = await findAsk(deps.db, id);
  if (a === undefined || a.listener_id !== listenerId) return err({ kind: 'not_found' });
  if (a.status === 'talking' && a.conversation_id === input.id) {
    return ok(await view(deps.db, a, listenerId));
  }
  if (a.status !== 'accepted') return err({ kind: 'ask_closed' });
  const started = await startConversation(
    deps,
    listenerId,
    { ...input, with: a.asker_id },
    { context: 'listen', contextId: id },
    now,
  );
  if (!started.ok) return err({ kind: 'conversation', failure: started.error });
  const r = await commit<AskWire, ListenFailure>(deps, now, async (trx) => {
    const moved = await moveAsk(trx, id, ['accepted'], {
      status: 'talking',
      conversation_id: input.id,
    });
    if (!moved) fail({ kind: 'ask_closed' });
    const row = await findAsk(trx, id);
    if (row === undefined) throw new Error('ask vanished inside its own transaction');
    return {
      value: await view(trx, row, listenerId),
      events: changed([a.asker_id, listenerId], id),
    };
  });
  // The asker withdrew meanwhile: the conversation just made closes again.
  if (!r.ok) await leaveConversation(deps, input.id, listenerId, now);
  return r;
}

/** The asker withdraws, while nobody is with them yet or before the conversation opened. */
export async function withdraw(
  deps: ListenDeps,
  id: string,
  askerId: string,
  now: Date,
): R<AskWire> {
  const at = now.toISOString();
  return commit<AskWire, ListenFailure>(deps, now, async (trx) => {
    await expireAsks(trx, at);
    const a = await findAsk(trx, id);
    if (a === undefined || a.asker_id !== askerId) fail({ kind: 'not_found' });
    const found = a as AskRow;
    if (!(await moveAsk(trx, id, ['open', 'accepted'], { status: 'withdrawn', closed_at: at }))) {
      fail({ kind: 'ask_closed' });
    }
    const row = (await findAsk(trx, id)) as AskRow;
    const told = [askerId, ...(await candidatesOf(trx, id))];
    if (found.listener_id !== null) told.push(found.listener_id);
    return { value: await view(trx, row, askerId), events: changed(told, id) };
  });
}

/**
 * Either of the two ends the talk, at any time. The conversation closes for new messages, for
 * both (the conversations capability); both can still read it, and leave it when they wish.
 */
export async function endTalk(
  deps: ListenDeps,
  id: string,
  viewerId: string,
  now: Date,
): R<AskWire> {
  const at = now.toISOString();
  const r = await commit<AskRow, ListenFailure>(deps, now, async (trx) => {
    const a = await findAsk(trx, id);
    if (a === undefined || (a.asker_id !== viewerId && a.listener_id !== viewerId)) {
      fail({ kind: 'not_found' });
    }
    const found = a as AskRow;
    if (!(await moveAsk(trx, id, ['accepted', 'talking'], { status: 'ended', closed_at: at }))) {
      fail({ kind: 'ask_closed' });
    }
    const told = [found.asker_id, ...(found.listener_id === null ? [] : [found.listener_id])];
    return { value: (await findAsk(trx, id)) as AskRow, events: changed(told, id) };
  });
  if (!r.ok) return r;
  if (r.value.conversation_id !== null) {
    await closeConversation(deps, r.value.conversation_id, viewerId, now);
  }
  return ok(await view(deps.db, r.value, viewerId));
}

type FeedbackInput = z.infer<typeof feedbackInputSchema>;

/** Kind words after a talk that ended, once, to the other person only. */
export async function giveFeedback(
  deps: ListenDeps,
  id: string,
  fromId: string,
  input: FeedbackInput,
  now: Date,
): R<void> {
  return commit<void, ListenFailure>(deps, now, async (trx) => {
    const a = await findAsk(trx, id);
    if (a === undefined || a.listener_id === null) fail({ kind: 'not_found' });
    const found = a as AskRow & { listener_id: string };
    if (fromId !== found.asker_id && fromId !== found.listener_id) fail({ kind: 'not_found' });
    if (found.status !== 'ended') fail({ kind: 'ask_closed' });
    const toId = fromId === found.asker_id ? found.listener_id : found.asker_id;
    const stored = await insertFeedback(trx, {
      ask_id: id,
      from_id: fromId,
      to_id: toId,
      words: JSON.stringify(input.words),
      text: input.text === undefined || input.text === '' ? null : input.text,
      created_at: now.toISOString(),
    });
    if (!stored) fail({ kind: 'feedback_given' });
    return {
      value: undefined,
      events: [{ accountId: toId, type: 'listen.feedback', data: { askId: id } }],
    };
  });
}

/** Kind words left for me: each on its own, never counted or summed. */
export async function myFeedback(db: Db, accountId: string) {
  const rows = await feedbackTo(db, accountId);
  return {
    feedback: rows.map((f) => ({
      askId: f.ask_id,
      words: parse(f.words),
      text: f.text,
      createdAt: f.created_at,
    })),
  };
}
