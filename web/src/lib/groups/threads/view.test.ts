import { describe, expect, it } from 'vitest';
import type { PostWire, SearchResultWire, ThreadWire } from '$core/groups/threads-api';
import {
  authorName,
  byActivity,
  mergePosts,
  reactionStates,
  upsertPost,
  warningOrNull,
  withGroups,
  withReactions,
} from './view';

const author = { accountId: 'a1', handle: 'sol', pseudonym: null, mine: false };

function post(id: string, createdAt: string, extra: Partial<PostWire> = {}): PostWire {
  return {
    id,
    threadId: 't1',
    groupId: 'g1',
    author,
    body: `post ${id}`,
    contentWarning: null,
    createdAt,
    editedAt: null,
    deleted: false,
    hidden: false,
    mentionsMe: false,
    reactions: [],
    ...extra,
  };
}

function thread(id: string, createdAt: string, lastPostAt: string): ThreadWire {
  return {
    id,
    groupId: 'g1',
    title: id,
    author,
    contentWarning: null,
    locked: false,
    hidden: false,
    replyCount: 0,
    createdAt,
    updatedAt: createdAt,
    lastPostAt,
  };
}

describe('authorName', () => {
  it('shows the pseudonym even when the handle is known (moderators, the author)', () => {
    expect(authorName({ ...author, pseudonym: 'Wren' }, 'Someone')).toBe('Wren');
    expect(authorName({ accountId: null, handle: null, pseudonym: 'Wren', mine: false }, 'x')).toBe(
      'Wren',
    );
  });
  it('shows the handle without a pseudonym, and the fallback for a gone account', () => {
    expect(authorName(author, 'Someone')).toBe('sol');
    expect(
      authorName({ accountId: null, handle: null, pseudonym: null, mine: false }, 'Someone'),
    ).toBe('Someone');
  });
});

describe('byActivity', () => {
  it('puts the newest activity first, whatever the order threads were made in', () => {
    const old = thread('old', '2026-01-01T10:00:00Z', '2026-01-05T10:00:00Z');
    const fresh = thread('fresh', '2026-01-03T10:00:00Z', '2026-01-03T10:00:00Z');
    const tie = thread('tie', '2026-01-04T10:00:00Z', '2026-01-05T10:00:00Z');
    expect(byActivity([fresh, old, tie]).map((t) => t.id)).toEqual(['tie', 'old', 'fresh']);
  });
});

describe('upsertPost and mergePosts', () => {
  const a = post('a', '2026-01-01T10:00:00Z');
  const b = post('b', '2026-01-01T11:00:00Z');
  it('inserts a live post in time order and never twice', () => {
    expect(upsertPost([b], a).map((p) => p.id)).toEqual(['a', 'b']);
    expect(upsertPost([a, b], b).map((p) => p.id)).toEqual(['a', 'b']);
  });
  it('replaces an edited post in place', () => {
    const edited = { ...a, body: 'new words', editedAt: '2026-01-02T00:00:00Z' };
    const out = upsertPost([a, b], edited);
    expect(out.map((p) => p.body)).toEqual(['new words', 'post b']);
  });
  it('merges a page without duplicates', () => {
    const c = post('c', '2026-01-01T12:00:00Z');
    expect(mergePosts([a, b], [b, c]).map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('reactions', () => {
  it('lists every reaction in the fixed order, zero when nobody gave it', () => {
    const states = reactionStates({ reactions: [{ reaction: 'hug', count: 2, mine: true }] });
    expect(states.map((s) => s.reaction)).toEqual([
      'heart',
      'hug',
      'candle',
      'thanks',
      'same-here',
    ]);
    expect(states[1]).toEqual({ reaction: 'hug', count: 2, mine: true });
    expect(states[0]).toEqual({ reaction: 'heart', count: 0, mine: false });
  });
  it('replaces one post’s counts only', () => {
    const a = post('a', '2026-01-01T10:00:00Z');
    const b = post('b', '2026-01-01T11:00:00Z');
    const out = withReactions([a, b], 'b', [{ reaction: 'heart', count: 1, mine: true }]);
    expect(out[0]!.reactions).toEqual([]);
    expect(out[1]!.reactions).toEqual([{ reaction: 'heart', count: 1, mine: true }]);
  });
});

describe('warningOrNull', () => {
  it('trims, and an empty warning is none', () => {
    expect(warningOrNull('  talk of loss ')).toBe('talk of loss');
    expect(warningOrNull('   ')).toBeNull();
  });
});

describe('withGroups', () => {
  const result = (groupId: string, postId: string): SearchResultWire => ({
    kind: 'post',
    groupId,
    threadId: 't1',
    postId,
    threadTitle: 'Evenings',
    excerpt: 'words',
    contentWarning: null,
    author,
    createdAt: '2026-01-01T10:00:00Z',
  });
  it('adds each result’s group, keeps the order, and drops a group I am no longer in', () => {
    const groups = [
      { id: 'g1', slug: 'voices', name: 'Voices' },
      { id: 'g2', slug: 'grief', name: 'Grief circle' },
    ];
    const out = withGroups([result('g2', 'p1'), result('gone', 'p2'), result('g1', 'p3')], groups);
    expect(out.map((r) => [r.postId, r.group.slug])).toEqual([
      ['p1', 'grief'],
      ['p3', 'voices'],
    ]);
  });
});
