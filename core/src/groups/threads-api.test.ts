import { describe, expect, it } from 'vitest';
import { toBase64url } from '../encoding/base64url.js';
import {
  decodeCursor,
  editPostSchema,
  encodeCursor,
  pageQuerySchema,
  reactionParamsSchema,
  replySchema,
  startThreadSchema,
  THREAD_LIMITS,
} from './threads-api.js';

describe('page cursors', () => {
  it('round-trip a position', () => {
    const c = encodeCursor('2026-11-25T10:00:00.000Z', 'abc_DEF-123');
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toEqual({ at: '2026-11-25T10:00:00.000Z', id: 'abc_DEF-123' });
  });

  it('refuse anything that is not one of ours', () => {
    const enc = (v: unknown) => toBase64url(new TextEncoder().encode(JSON.stringify(v)));
    for (const bad of [
      'not a cursor!',
      '',
      enc({ at: '2026-11-25T10:00:00.000Z', id: 'x' }),
      enc(['not a date', 'x']),
      enc(['2026-11-25T10:00:00.000Z', 'bad id!']),
      enc(['2026-11-25T10:00:00.000Z', 'x', 'y']),
      toBase64url(new Uint8Array([0xff, 0xfe])),
    ]) {
      expect(decodeCursor(bad), bad).toBeNull();
      expect(pageQuerySchema.safeParse({ after: bad }).success).toBe(false);
    }
  });

  it('bound the page size', () => {
    expect(pageQuerySchema.parse({}).limit).toBe(20);
    expect(pageQuerySchema.parse({ limit: '50' }).limit).toBe(50);
    expect(pageQuerySchema.safeParse({ limit: '51' }).success).toBe(false);
    expect(pageQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
  });
});

describe('posts', () => {
  it('keep Markdown as written, newlines and tabs included', () => {
    const body = '  # Title\n\n\t- one\n- two  \n';
    expect(replySchema.parse({ body }).body).toBe(body);
  });

  it('bound sizes and refuse empty or control-character text', () => {
    expect(replySchema.safeParse({ body: 'a'.repeat(THREAD_LIMITS.body) }).success).toBe(true);
    expect(replySchema.safeParse({ body: 'a'.repeat(THREAD_LIMITS.body + 1) }).success).toBe(false);
    expect(replySchema.safeParse({ body: ' \n\t ' }).success).toBe(false);
    expect(replySchema.safeParse({ body: 'a\u0000b' }).success).toBe(false);
    const title = (t: string) => startThreadSchema.safeParse({ title: t, body: 'x' }).success;
    expect(title('t'.repeat(THREAD_LIMITS.title))).toBe(true);
    expect(title('t'.repeat(THREAD_LIMITS.title + 1))).toBe(false);
    expect(title('  ')).toBe(false);
    expect(title('a\u001bb')).toBe(false);
  });

  it('take a short content warning, trimmed, or none', () => {
    expect(replySchema.parse({ body: 'x', contentWarning: '  grief ' }).contentWarning).toBe(
      'grief',
    );
    expect(replySchema.parse({ body: 'x', contentWarning: null }).contentWarning).toBeNull();
    const long = 'w'.repeat(THREAD_LIMITS.contentWarning + 1);
    expect(replySchema.safeParse({ body: 'x', contentWarning: long }).success).toBe(false);
    expect(editPostSchema.safeParse({ body: 'x', extra: 1 }).success).toBe(false);
  });

  it('offer only the fixed calm reactions', () => {
    const r = (reaction: string) =>
      reactionParamsSchema.safeParse({ groupId: 'g', postId: 'p', reaction }).success;
    for (const ok of ['heart', 'hug', 'candle', 'thanks', 'same-here']) expect(r(ok)).toBe(true);
    for (const bad of ['thumbs-down', 'star', 'HEART', '']) expect(r(bad)).toBe(false);
  });
});
