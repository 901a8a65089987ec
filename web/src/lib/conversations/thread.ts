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
import type { ReportedMessage } from '$core/conversations/message';
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

/** An opened record, with what its reader's device would reveal if they reported it. */
export interface OpenedEntry extends ThreadEntry {
  readonly report: ReportedMessage;
}

/**
 * Everything loaded so far, by sequence number (pages and live arrivals merge here). The page
 * holds opened entries (with their reports); the pure helpers need only the thread entries.
 */
export interface Loaded<E extends ThreadEntry = OpenedEntry> {
  readonly entries: readonly E[];
  readonly unopened: readonly Unopened[];
}

export const EMPTY: Loaded = { entries: [], unopened: [] };

/** Adds a page; a record already held (same seq) is kept once. */
export function mergeLoaded(a: Loaded, b: Loaded): Loaded;
export function mergeLoaded(a: Loaded<ThreadEntry>, b: Loaded<ThreadEntry>): Loaded<ThreadEntry>;
export function mergeLoaded(a: Loaded<ThreadEntry>, b: Loaded<ThreadEntry>): Loaded<ThreadEntry> {
  const seen = new Set([...a.entries.map((e) => e.seq), ...a.unopened.map((u) => u.seq)]);
  return {
    entries: [...a.entries, ...b.entries.filter((e) => !seen.has(e.seq))],
    unopened: [...a.unopened, ...b.unopened.filter((u) => !seen.has(u.seq))],
  };
}

/** Oldest first: messages as edited or deleted, and placeholders for what did not open. */
export function shownThread(loaded: Loaded<ThreadEntry>, myId: string): Shown[] {
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
export function seqRange(loaded: Loaded<ThreadEntry>): { oldest: number; newest: number } | null {
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

/** One of the other person's messages I could report, with the signed records it would reveal. */
export interface Reportable {
  readonly seq: number;
  readonly messageId: string;
  readonly sentAt: number;
  readonly text: string;
  readonly contentWarning: string | null;
  /** The message and each edit of it that is shown, oldest first (what a moderator would see). */
  readonly reports: readonly ReportedMessage[];
}

/**
 * The other person's messages as shown (deleted ones are not: their words are not on screen),
 * each with what `openMessage` returned as `report` for the message and for the edits applied to
 * it (PROTOCOL §13.4). My own messages are never offered.
 */
export function reportable(loaded: Loaded, myId: string): Reportable[] {
  const out: Reportable[] = [];
  for (const m of shownThread(loaded, myId)) {
    if (m.kind !== 'message' || m.mine || m.deleted || m.text === null) continue;
    const reports = loaded.entries
      .filter((e) =>
        e.content.type === 'message'
          ? e.messageId === m.messageId && e.seq === m.seq
          : e.content.type === 'edit' &&
            e.content.replaces === m.messageId &&
            e.senderId === m.senderId &&
            e.seq > m.seq,
      )
      .sort((a, b) => a.seq - b.seq)
      .map((e) => e.report);
    out.push({
      seq: m.seq,
      messageId: m.messageId,
      sentAt: m.sentAt,
      text: m.text,
      contentWarning: m.contentWarning,
      reports,
    });
  }
  return out;
}
