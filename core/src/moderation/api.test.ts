import { describe, expect, it } from 'vitest';
import {
  actionSchema,
  AUDIT_ACTIONS,
  closeReportSchema,
  MODERATION_ACTIONS,
  MODERATION_LIMITS,
  newReportSchema,
  queueQuerySchema,
  REPORT_REASONS,
} from './api.js';

const message = {
  v: 1,
  conversationId: 'conv-1',
  messageId: 'msg-1',
  senderId: 'acct-1',
  sentAt: 1_700_000_000_000,
  content: 'eyJ2IjoxfQ',
  signature: 'A'.repeat(86),
};

describe('moderation contract', () => {
  it('takes a report of a post, a thread or a conversation with a reason from the fixed list', () => {
    for (const reason of REPORT_REASONS) {
      expect(
        newReportSchema.safeParse({ kind: 'post', groupId: 'g', postId: 'p', reason }).success,
      ).toBe(true);
    }
    expect(
      newReportSchema.safeParse({ kind: 'thread', groupId: 'g', threadId: 't', reason: 'spam' })
        .success,
    ).toBe(true);
    expect(
      newReportSchema.safeParse({
        kind: 'conversation',
        conversationId: 'conv-1',
        messages: [message],
        reason: 'unsafe-for-others',
        words: '  They said they know where I live.  ',
      }),
    ).toMatchObject({ success: true, data: { words: 'They said they know where I live.' } });
  });

  it('refuses what is not in the contract', () => {
    const bad: unknown[] = [
      { kind: 'post', groupId: 'g', postId: 'p', reason: 'risk-score' },
      { kind: 'post', groupId: 'g', postId: 'p', reason: 'spam', words: '' },
      { kind: 'post', groupId: 'g', postId: 'p', reason: 'spam', words: 'x'.repeat(1001) },
      { kind: 'post', groupId: 'g', postId: 'p', reason: 'spam', words: 'bell\u0007' },
      { kind: 'post', groupId: 'g', reason: 'spam' },
      { kind: 'post', groupId: 'g', postId: 'p', reason: 'spam', reporter: 'me' },
      { kind: 'conversation', conversationId: 'c', messages: [], reason: 'spam' },
      {
        kind: 'conversation',
        conversationId: 'c',
        messages: Array.from({ length: MODERATION_LIMITS.messages + 1 }, () => message),
        reason: 'spam',
      },
      {
        kind: 'conversation',
        conversationId: 'c',
        messages: [{ ...message, key: 'secret' }],
        reason: 'spam',
      },
    ];
    for (const body of bad)
      expect(newReportSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
  });

  it('names each action with exactly what it needs', () => {
    expect(actionSchema.safeParse({ action: 'hide-post', postId: 'p' }).success).toBe(true);
    expect(actionSchema.safeParse({ action: 'lock-thread', threadId: 't' }).success).toBe(true);
    expect(
      actionSchema.safeParse({ action: 'warn', accountId: 'a', note: 'Please…' }).success,
    ).toBe(true);
    expect(actionSchema.safeParse({ action: 'warn', accountId: 'a' }).success).toBe(false);
    expect(actionSchema.safeParse({ action: 'hide-post', threadId: 't' }).success).toBe(false);
    expect(actionSchema.safeParse({ action: 'ban', accountId: 'a', until: 'never' }).success).toBe(
      false,
    );
    expect(actionSchema.safeParse({ action: 'delete-account', accountId: 'a' }).success).toBe(
      false,
    );
    // Every action is also a kind of audit row, with the two report outcomes and the aid board's.
    expect(AUDIT_ACTIONS).toEqual([
      ...MODERATION_ACTIONS,
      'resolve-report',
      'dismiss-report',
      'hide-aid-post',
      'unhide-aid-post',
      'withdraw-aid-post',
      'reopen-aid-post',
      'reveal-aid-author',
    ]);
  });

  it('closes a report as resolved or dismissed only; pages are bounded', () => {
    expect(closeReportSchema.safeParse({ outcome: 'resolved' }).success).toBe(true);
    expect(closeReportSchema.safeParse({ outcome: 'erased' }).success).toBe(false);
    expect(queueQuerySchema.parse({})).toEqual({ limit: 20 });
    expect(queueQuerySchema.safeParse({ limit: '51' }).success).toBe(false);
    expect(queueQuerySchema.safeParse({ after: 'not-a-cursor' }).success).toBe(false);
  });
});
