import { describe, expect, it } from 'vitest';
import type { AuthorWire } from '$core/groups/threads-api';
import type { AuditEntryWire } from '$core/moderation/api';
import {
  appendPage,
  auditSentence,
  canMute,
  canReport,
  errorKey,
  isMuted,
  optionalWords,
} from './describe';

const author = (over: Partial<AuthorWire> = {}): AuthorWire => ({
  accountId: 'acc-ben',
  handle: 'ben',
  pseudonym: null,
  mine: false,
  ...over,
});

const entry = (over: Partial<AuditEntryWire> = {}): AuditEntryWire => ({
  id: 'a1',
  at: '2026-11-25T14:02:00.000Z',
  actor: { accountId: 'acc-sam', handle: 'sam' },
  action: 'hide-post',
  target: { accountId: 'acc-alex', handle: 'alex' },
  groupId: 'g',
  threadId: 't',
  postId: 'p',
  reportId: null,
  aidPostId: null,
  reason: null,
  ...over,
});

describe('errorKey', () => {
  it('names the known codes and falls back to a general one', () => {
    expect(errorKey({ code: 'conflict' })).toBe('moderation.errors.conflict');
    expect(errorKey({ code: 'rate_limited' })).toBe('moderation.errors.rate_limited');
    expect(errorKey({ code: 'cannot_act_on_facilitator' })).toBe(
      'moderation.errors.cannot_act_on_facilitator',
    );
    expect(errorKey({ code: 'http_500' })).toBe('moderation.errors.other');
    expect(errorKey({ code: 'bad_response' })).toBe('moderation.errors.other');
  });
});

describe('who may be reported or muted', () => {
  it('never offers reporting or muting my own post', () => {
    expect(canReport(author({ mine: true }))).toBe(false);
    expect(canMute(author({ mine: true }))).toBe(false);
    expect(canReport(author())).toBe(true);
    expect(canMute(author())).toBe(true);
  });

  it('never ties a mute to a pseudonym, even when a keeper sees the account behind it', () => {
    const pseudonymous = author({ pseudonym: 'Wren' });
    expect(canReport(pseudonymous)).toBe(true);
    expect(canMute(pseudonymous)).toBe(false);
    expect(isMuted(pseudonymous, new Set(['acc-ben']))).toBe(false);
  });

  it('collapses only posts by handle of an account I muted', () => {
    const muted = new Set(['acc-ben']);
    expect(isMuted(author(), muted)).toBe(true);
    expect(isMuted(author({ accountId: 'acc-cy', handle: 'cy' }), muted)).toBe(false);
    expect(isMuted(author({ accountId: null, handle: null }), muted)).toBe(false);
  });
});

describe('auditSentence', () => {
  it('says who did what to whom', () => {
    expect(auditSentence(entry(), 'gone')).toEqual({
      key: 'moderation.audit.actions.hide-post',
      values: { actor: 'sam', target: 'alex' },
    });
  });

  it('names a deleted account with the words given', () => {
    expect(auditSentence(entry({ actor: null, action: 'warn' }), 'someone').values).toEqual({
      actor: 'someone',
      target: 'alex',
    });
    expect(auditSentence(entry({ target: null }), 'someone').values.target).toBe('someone');
  });
});

describe('auditSentence for the mutual aid board', () => {
  const aid = (over: Partial<AuditEntryWire>) =>
    entry({ groupId: null, threadId: null, postId: null, aidPostId: 'aid-1', ...over });

  it('names the author of a named post hidden or shown again', () => {
    expect(auditSentence(aid({ action: 'hide-aid-post' }), 'gone')).toEqual({
      key: 'moderation.audit.actions.hide-aid-post-by',
      values: { actor: 'sam', target: 'alex' },
    });
    expect(auditSentence(aid({ action: 'unhide-aid-post' }), 'gone').key).toBe(
      'moderation.audit.actions.unhide-aid-post-by',
    );
  });

  it('names nobody for an anonymous post, never "someone whose account is gone"', () => {
    for (const action of ['hide-aid-post', 'unhide-aid-post'] as const) {
      expect(auditSentence(aid({ action, target: null }), 'gone').key).toBe(
        `moderation.audit.actions.${action}`,
      );
    }
  });

  it('words withdrawing, reopening and looking at who posted without a target', () => {
    for (const action of ['withdraw-aid-post', 'reopen-aid-post', 'reveal-aid-author'] as const) {
      const s = auditSentence(aid({ action, target: null }), 'gone');
      expect(s.key).toBe(`moderation.audit.actions.${action}`);
      expect(s.values.actor).toBe('sam');
    }
  });

  it('closes a report about an anonymous aid post without a name', () => {
    expect(auditSentence(aid({ action: 'resolve-report', target: null }), 'gone').key).toBe(
      'moderation.audit.actions.resolve-report-aid',
    );
    expect(auditSentence(aid({ action: 'dismiss-report', target: null }), 'gone').key).toBe(
      'moderation.audit.actions.dismiss-report-aid',
    );
    // A named post's report, and a group's report whose writer's account is gone, as before.
    expect(auditSentence(aid({ action: 'resolve-report' }), 'gone').key).toBe(
      'moderation.audit.actions.resolve-report',
    );
    expect(auditSentence(entry({ action: 'dismiss-report', target: null }), 'gone').key).toBe(
      'moderation.audit.actions.dismiss-report',
    );
  });

  it('has words for every action the log can hold', async () => {
    const { AUDIT_ACTIONS } = await import('$core/moderation/api');
    const en = (await import('./messages/en.json')).default as {
      moderation: { audit: { actions: Record<string, string> } };
    };
    const words = en.moderation.audit.actions;
    for (const action of AUDIT_ACTIONS) {
      const target = action === 'hide-aid-post' ? null : { accountId: 'a', handle: 'alex' };
      for (const t of [target, null]) {
        for (const aidPostId of [null, 'aid-1']) {
          const s = auditSentence(entry({ action, target: t, aidPostId }), 'gone');
          const id = s.key.slice('moderation.audit.actions.'.length);
          expect(words[id], s.key).toBeTypeOf('string');
        }
      }
    }
  });
});

describe('appendPage', () => {
  it('adds a later page after what is shown, without repeats', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    const c = { id: 'c' };
    expect(appendPage([a, b], [b, c])).toEqual([a, b, c]);
    expect(appendPage([], [a])).toEqual([a]);
  });
});

describe('optionalWords', () => {
  it('trims, and leaves out empty words', () => {
    expect(optionalWords('  because  ')).toBe('because');
    expect(optionalWords('   ')).toBeUndefined();
  });
});
