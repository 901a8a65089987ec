import type { MessageContent } from './content.js';

/** One opened message, in the order of the server's sequence numbers. */
export interface ThreadEntry {
  readonly seq: number;
  readonly messageId: string;
  readonly senderId: string;
  readonly sentAt: number;
  readonly content: MessageContent;
}

/** A message as a reader sees it after later edits and deletes are applied. */
export interface ThreadMessage {
  readonly seq: number;
  readonly messageId: string;
  readonly senderId: string;
  readonly sentAt: number;
  /** `null` once deleted. */
  readonly text: string | null;
  readonly contentWarning: string | null;
  readonly edited: boolean;
  readonly deleted: boolean;
}

/**
 * Applies edits and deletes (docs/PROTOCOL.md §13.3): each replaces or tombstones an earlier
 * `message` with the same sender; an edit or delete of someone else's message, of an unknown or
 * later message, or of a deleted one is ignored. Edits and deletes are not shown themselves.
 */
export function applyEdits(entries: readonly ThreadEntry[]): ThreadMessage[] {
  const out: ThreadMessage[] = [];
  const byId = new Map<string, number>();
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
    const c = e.content;
    if (c.type === 'message') {
      if (byId.has(e.messageId)) continue;
      byId.set(e.messageId, out.length);
      out.push({
        seq: e.seq,
        messageId: e.messageId,
        senderId: e.senderId,
        sentAt: e.sentAt,
        text: c.text,
        contentWarning: c.contentWarning ?? null,
        edited: false,
        deleted: false,
      });
      continue;
    }
    const index = byId.get(c.replaces);
    const target = index === undefined ? undefined : out[index];
    if (index === undefined || target === undefined) continue;
    if (target.senderId !== e.senderId || target.deleted) continue;
    out[index] =
      c.type === 'edit'
        ? { ...target, text: c.text, contentWarning: c.contentWarning ?? null, edited: true }
        : { ...target, text: null, contentWarning: null, deleted: true };
  }
  return out;
}
