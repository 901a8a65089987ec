import { describe, expect, it } from 'vitest';
import { changeStatusSchema } from '$core/aid/api';
import {
  chooseChange,
  conversationOf,
  RESPONSE_STATUS_KEY,
  statusChange,
  talkErrorKey,
} from './actions';
import type { StatusAction } from './view';

const done: StatusAction = { to: 'done', offline: false, words: 'aid.actions.done', confirm: true };
const offline: StatusAction = { ...done, offline: true };
const date = 'post_1.20261203T100000Z';
const responder = { responder: { accountId: 'acc_1', handle: 'rae' } };

describe('talkErrorKey', () => {
  it('words each failure of talk.ts calmly, and a server code as errorKey does', () => {
    expect(talkErrorKey('keys_changed')).toBe('aid.post.keysChanged');
    expect(talkErrorKey('keys_invalid')).toBe('aid.post.keysInvalid');
    expect(talkErrorKey('unknown')).toBe('aid.errors.not_found');
    expect(talkErrorKey('network')).toBe('aid.errors.network');
    expect(talkErrorKey('rate_limited')).toBe('aid.errors.rate_limited');
    expect(talkErrorKey('closed')).toBe('aid.errors.response_closed');
    expect(talkErrorKey('problem')).toBe('aid.errors.other');
    expect(talkErrorKey({ code: 'not_found' })).toBe('aid.errors.not_found');
    expect(talkErrorKey({ code: 'something_new' })).toBe('aid.errors.other');
  });
});

describe('RESPONSE_STATUS_KEY', () => {
  it('names every response status', () => {
    expect(Object.keys(RESPONSE_STATUS_KEY).sort()).toEqual([
      'declined',
      'talking',
      'waiting',
      'withdrawn',
    ]);
  });
});

describe('statusChange and chooseChange', () => {
  it('send only what the API takes, for the whole post or one date', () => {
    expect(statusChange(done)).toEqual({ to: 'done' });
    expect(statusChange(offline)).toEqual({ to: 'done', offline: true });
    expect(statusChange(offline, date)).toEqual({ to: 'done', offline: true, occurrenceId: date });
    expect(chooseChange(responder)).toEqual({ to: 'helping', partnerId: 'acc_1' });
    expect(chooseChange(responder, date)).toEqual({
      to: 'helping',
      partnerId: 'acc_1',
      occurrenceId: date,
    });
  });

  it('are accepted by the API schema', () => {
    const id = '01JCZ7Q8M5V0T3K6N9W2X4Y1AB';
    const id2 = `${id}.20261203T100000Z`;
    for (const body of [
      statusChange(offline, id2),
      statusChange(done),
      chooseChange({ responder: { accountId: id, handle: 'rae' } }, id2),
    ])
      expect(changeStatusSchema.safeParse(body).success).toBe(true);
  });
});

describe('conversationOf', () => {
  it('finds the conversation a response opened, or null', () => {
    const rs = [
      { id: 'r1', conversationId: null },
      { id: 'r2', conversationId: 'c2' },
    ];
    expect(conversationOf(rs, 'r2')).toBe('c2');
    expect(conversationOf(rs, 'r1')).toBeNull();
    expect(conversationOf(rs, 'r3')).toBeNull();
  });
});
