/**
 * Turning opened records into what the conversation page shows (pure, no crypto): edits and
 * deletes applied (core `applyEdits`), records that did not open kept as calm placeholders in
 * their place, and the small decisions the pages make (order, drafts, which record is newest).
 */
import {
  MAX_CONTENT_WARNING_LENGTH,
  MAX_TEXT_LENGTH,
  type MessageContent,
} from '$core/conversations/content';
import { applyEdits, type ThreadEntry, type ThreadMessage } from '$core/conversations/thread';
import type { ConversationWire } from './api';

/** A record that could not be opened or was not signed by its sender: never shown as text. */
export interface Unopened {
  readonly seq: number;
  readonly messageId: string;
  readonly senderId: string;
  /** The server's time for it. */
  readonly at: string;
}

export type Shown =
  | ({ readonly kind: 'message'; readonly mine: boolean } & ThreadMessage)
  | ({ readonly kind: 'unopened'; readonly mine: boolean } & Unopened);

/** Everything loaded so far, by sequence number (pages and live arrivals merge here). */
export interface Loaded {
  readonly entries: readonly ThreadEntry[];
  readonly unopened: readonly Unopened[];
}

export const EMPTY: Loaded = { entries: [], unopened: [] };

/** Adds a page; a record already held (same seq) is kept once. */
export function mergeLoaded(a: Loaded, b: Loaded): Loaded {
  const seen = new Set([...a.entries.map((e) => e.seq), ...a.unopened.map((u) => u.seq)]);
  return {
    entries: [...a.entries, ...b.entries.filter((e) => !seen.has(e.seq))],
    unopened: [...a.unopened, ...b.unopened.filter((u) => !seen.has(u.seq))],
  };
}

/** Oldest first: messages as edited or deleted, and placeholders for what did not open. */
export function shownThread(loaded: Loaded, myId: string): Shown[] {
  const messages: Shown[] = applyEdits(loaded.entries).map((m) => ({
    ...m,
    kind: 'message',
    mine: m.senderId === myId,
  }));
  const unopened: Shown[] = loaded.unopened.map((u) => ({
    ...u,
    kind: 'unopened',
    mine: u.senderId === myId,
  }));
  return [...messages, ...unopened].sort((x, y) => x.seq - y.seq);
}

/** The lowest and highest sequence numbers held (null when nothing is). */
export function seqRange(loaded: Loaded): { oldest: number; newest: number } | null {
  const seqs = [...loaded.entries.map((e) => e.seq), ...loaded.unopened.map((u) => u.seq)];
  if (seqs.length === 0) return null;
  return { oldest: Math.min(...seqs), newest: Math.max(...seqs) };
}

export type DraftError = 'empty' | 'too_long' | 'warning_too_long';

/** What the composer holds as message content (a new message, or an edit of `replaces`). */
export function draftContent(
  text: string,
  contentWarning: string,
  replaces?: string,
): { ok: true; content: MessageContent } | { ok: false; error: DraftError } {
  const body = text.trim();
  const warning = contentWarning.trim();
  if (body === '') return { ok: false, error: 'empty' };
  if (body.length > MAX_TEXT_LENGTH) return { ok: false, error: 'too_long' };
  if (warning.length > MAX_CONTENT_WARNING_LENGTH) return { ok: false, error: 'warning_too_long' };
  const cw = warning === '' ? {} : { contentWarning: warning };
  return {
    ok: true,
    content:
      replaces === undefined
        ? { v: 1, type: 'message', text: body, ...cw }
        : { v: 1, type: 'edit', replaces, text: body, ...cw },
  };
}

/** The list page's order: most recently active first (a conversation with no message by its start). */
export function byActivity(list: readonly ConversationWire[]): ConversationWire[] {
  const at = (c: ConversationWire) => Date.parse(c.lastMessageAt ?? c.createdAt);
  return [...list].sort((a, b) => at(b) - at(a));
}

/** An open conversation I already have with this person (so starting again goes there). */
export function openWith(
  list: readonly ConversationWire[],
  handle: string,
): ConversationWire | undefined {
  const h = handle.trim().replace(/^@/, '').toLowerCase();
  return list.find(
    (c) => c.closedAt === null && c.other !== null && c.other.handle.toLowerCase() === h,
  );
}
