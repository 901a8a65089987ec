import { describe, expect, it } from 'vitest';
import type { ThreadEntry } from '$core/conversations/thread';
import type { ConversationWire } from './api';
import {
  EMPTY,
  byActivity,
  draftContent,
  mergeLoaded,
  openWith,
  seqRange,
  shownThread,
  type Unopened,
} from './thread';

const ANA = 'ana-account-id-00001';
const BEN = 'ben-account-id-00002';

const msg = (
  seq: number,
  id: string,
  senderId: string,
  text: string,
  cw?: string,
): ThreadEntry => ({
  seq,
  messageId: id,
  senderId,
  sentAt: 1_000 + seq,
  content: { v: 1, type: 'message', text, ...(cw === undefined ? {} : { contentWarning: cw }) },
});
const unopened = (seq: number, senderId: string): Unopened => ({
  seq,
  messageId: `bad${String(seq)}`,
  senderId,
  at: '2026-11-24T10:00:00.000Z',
});

describe('shownThread', () => {
  it('applies edits and deletes, marks my own, and keeps unopened records in their place', () => {
    const loaded = {
      entries: [
        msg(1, 'm1', ANA, 'hello', 'a hard day'),
        msg(2, 'm2', BEN, 'hi there'),
        {
          seq: 4,
          messageId: 'e1',
          senderId: ANA,
          sentAt: 9,
          content: { v: 1, type: 'edit', replaces: 'm1', text: 'hello again' },
        },
        {
          seq: 5,
          messageId: 'd1',
          senderId: BEN,
          sentAt: 9,
          content: { v: 1, type: 'delete', replaces: 'm2' },
        },
      ] satisfies ThreadEntry[],
      unopened: [unopened(3, BEN)],
    };
    const shown = shownThread(loaded, ANA);
    expect(shown.map((s) => [s.seq, s.kind, s.mine])).toEqual([
      [1, 'message', true],
      [2, 'message', false],
      [3, 'unopened', false],
    ]);
    const [first, second] = shown;
    expect(first?.kind === 'message' && first.text).toBe('hello again');
    // An edit without a warning removes it (core applyEdits).
    expect(first?.kind === 'message' && first.contentWarning).toBeNull();
    expect(first?.kind === 'message' && first.edited).toBe(true);
    expect(second?.kind === 'message' && second.deleted).toBe(true);
    expect(second?.kind === 'message' && second.text).toBeNull();
  });

  it("ignores someone's edit of the other's message", () => {
    const loaded = {
      entries: [
        msg(1, 'm1', ANA, 'mine'),
        {
          seq: 2,
          messageId: 'e1',
          senderId: BEN,
          sentAt: 9,
          content: { v: 1, type: 'edit', replaces: 'm1', text: 'not yours' },
        },
      ] satisfies ThreadEntry[],
      unopened: [],
    };
    const [only] = shownThread(loaded, BEN);
    expect(only?.kind === 'message' && only.text).toBe('mine');
    expect(only?.mine).toBe(false);
  });

  it('an earlier page merged later still gets the edits held from the newer page', () => {
    const newer = {
      entries: [
        {
          seq: 3,
          messageId: 'e1',
          senderId: ANA,
          sentAt: 9,
          content: { v: 1, type: 'edit', replaces: 'm1', text: 'edited' },
        } satisfies ThreadEntry,
      ],
      unopened: [],
    };
    expect(shownThread(newer, ANA)).toEqual([]);
    const both = mergeLoaded(newer, { entries: [msg(1, 'm1', ANA, 'first')], unopened: [] });
    const [m] = shownThread(both, ANA);
    expect(m?.kind === 'message' && m.text).toBe('edited');
  });
});

describe('mergeLoaded and seqRange', () => {
  it('keeps a record held twice once and reports the range', () => {
    const a = { entries: [msg(2, 'm2', ANA, 'x')], unopened: [unopened(5, BEN)] };
    const b = {
      entries: [msg(2, 'm2', ANA, 'x'), msg(7, 'm7', BEN, 'y')],
      unopened: [unopened(5, BEN)],
    };
    const merged = mergeLoaded(a, b);
    expect(merged.entries.map((e) => e.seq)).toEqual([2, 7]);
    expect(merged.unopened.map((u) => u.seq)).toEqual([5]);
    expect(seqRange(merged)).toEqual({ oldest: 2, newest: 7 });
    expect(seqRange(EMPTY)).toBeNull();
  });
});

describe('draftContent', () => {
  it('makes a message, with a trimmed warning only when one is written', () => {
    expect(draftContent('  hello \n', '  ')).toEqual({
      ok: true,
      content: { v: 1, type: 'message', text: 'hello' },
    });
    expect(draftContent('hello', ' grief ')).toEqual({
      ok: true,
      content: { v: 1, type: 'message', text: 'hello', contentWarning: 'grief' },
    });
  });

  it('makes an edit of the message it replaces', () => {
    expect(draftContent('better', '', 'm1')).toEqual({
      ok: true,
      content: { v: 1, type: 'edit', replaces: 'm1', text: 'better' },
    });
  });

  it('refuses empty, too long, and an over-long warning', () => {
    expect(draftContent('   ', '')).toEqual({ ok: false, error: 'empty' });
    expect(draftContent('x'.repeat(4001), '')).toEqual({ ok: false, error: 'too_long' });
    expect(draftContent('x'.repeat(4000), '').ok).toBe(true);
    expect(draftContent('x', 'w'.repeat(201))).toEqual({ ok: false, error: 'warning_too_long' });
  });
});

const conversation = (
  id: string,
  handle: string | null,
  at: { created: string; last?: string; closed?: string },
): ConversationWire => ({
  id,
  kind: 'direct',
  context: 'direct',
  contextId: null,
  createdBy: ANA,
  createdAt: at.created,
  closedAt: at.closed ?? null,
  other: handle === null ? null : { accountId: BEN, handle, leftAt: null },
  keyId: 1,
  shareKey: 'x',
  keyBy: ANA,
  lastSeq: 0,
  lastMessageAt: at.last ?? null,
  unread: 0,
  readSeq: 0,
});

describe('the list', () => {
  it('orders by last activity, newest first (a quiet one by when it started)', () => {
    const list = [
      conversation('a', 'ben', { created: '2026-11-01T00:00:00Z', last: '2026-11-03T00:00:00Z' }),
      conversation('b', 'cai', { created: '2026-11-04T00:00:00Z' }),
      conversation('c', 'dee', { created: '2026-10-01T00:00:00Z', last: '2026-11-05T00:00:00Z' }),
    ];
    expect(byActivity(list).map((c) => c.id)).toEqual(['c', 'b', 'a']);
  });

  it('finds an open conversation with a handle (with or without @, any case), not an ended one', () => {
    const list = [
      conversation('old', 'ben', {
        created: '2026-11-01T00:00:00Z',
        closed: '2026-11-02T00:00:00Z',
      }),
      conversation('open', 'Ben', { created: '2026-11-03T00:00:00Z' }),
      conversation('gone', null, { created: '2026-11-03T00:00:00Z' }),
    ];
    expect(openWith(list, ' @ben ')?.id).toBe('open');
    expect(openWith(list.slice(0, 1), 'ben')).toBeUndefined();
    expect(openWith(list, 'nobody')).toBeUndefined();
  });
});
