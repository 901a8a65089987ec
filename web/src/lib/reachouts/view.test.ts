import { describe, expect, it } from 'vitest';
import type { ReachoutWire } from '$core/circles/api';
import { supporterContent } from './shared';
import { escalationState, ordered, stateOf, type Recipient } from './view';

const recipient = (extra: Partial<Recipient> = {}): Recipient => ({
  accountId: 'a',
  handle: 'a',
  wave: 1,
  notifiedAt: '2026-11-24T20:00:00Z',
  held: null,
  seenAt: null,
  response: null,
  etaMinutes: null,
  respondedAt: null,
  ...extra,
});
const reachout = (extra: Partial<ReachoutWire> = {}): ReachoutWire => ({
  id: 'r',
  owner: { accountId: 'o', handle: 'o' },
  level: 'help-now',
  status: 'open',
  createdAt: '2026-11-24T20:00:00.000Z',
  closedAt: null,
  escalation: { afterMinutes: 10, escalatedAt: null },
  recipients: [recipient()],
  ...extra,
});

describe('reach-out view', () => {
  it('says where each person is, most telling first', () => {
    expect(stateOf(recipient({ notifiedAt: null, wave: 2 })).id).toBe('reachouts.mine.notYet');
    expect(stateOf(recipient()).id).toBe('reachouts.mine.notSeen');
    expect(stateOf(recipient({ seenAt: '2026-11-24T20:01:00Z' })).id).toBe('reachouts.mine.seen');
    expect(stateOf(recipient({ response: 'calling' })).id).toBe('reachouts.responses.calling');
    expect(stateOf(recipient({ response: 'on-my-way', etaMinutes: 20 }))).toEqual({
      id: 'reachouts.mine.onMyWay',
      values: { minutes: 20 },
    });
  });

  it('escalation: waiting until a time, not needed once someone answered, done once it fired', () => {
    expect(escalationState(reachout())).toEqual({
      kind: 'waiting',
      at: new Date('2026-11-24T20:10:00.000Z'),
    });
    // opening it is not an answer; "can't right now" is not either
    expect(
      escalationState(reachout({ recipients: [recipient({ seenAt: 'x', response: 'cant' })] }))
        .kind,
    ).toBe('waiting');
    expect(escalationState(reachout({ recipients: [recipient({ response: 'seen' })] })).kind).toBe(
      'not-needed',
    );
    expect(
      escalationState(
        reachout({ escalation: { afterMinutes: 10, escalatedAt: '2026-11-24T20:10:05Z' } }),
      ).kind,
    ).toBe('done');
    expect(escalationState(reachout({ escalation: null })).kind).toBe('none');
    expect(escalationState(reachout({ status: 'resolved' })).kind).toBe('none');
  });

  it('lists open reach-outs first, then newest', () => {
    const list = [
      reachout({ id: '1', status: 'resolved', createdAt: '2026-11-24T21:00:00Z' }),
      reachout({ id: '2', createdAt: '2026-11-24T19:00:00Z' }),
      reachout({ id: '3', createdAt: '2026-11-24T20:00:00Z' }),
    ];
    expect(ordered(list).map((r) => r.id)).toEqual(['3', '2', '1']);
  });

  it('supporter content: decoded, ordered, only this reach-out’s note; bad items left out', () => {
    const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
    const shared = (id: string, key: string) =>
      enc({
        planId: 'plan1',
        planTitle: 'My crisis plan',
        templateId: 'crisis',
        section: {
          v: 1,
          id,
          planId: 'plan1',
          key,
          title: id,
          visibility: 'supporters',
          updatedAt: '2026-11-24T20:00:00.000Z',
          kind: 'text',
          body: 'x',
        },
      });
    const content = supporterContent(
      [
        {
          itemId: 's1',
          type: 'circle.shared-section',
          plaintext: shared('s1', 'stepIn'),
        },
        {
          itemId: 's2',
          type: 'circle.shared-section',
          plaintext: shared('s2', 'treatments'),
        },
        { itemId: 'contact', type: 'circle.contact', plaintext: enc({ reach: 'text me' }) },
        { itemId: 'other', type: 'reachout.note', plaintext: enc({ note: 'old' }) },
        { itemId: 'r', type: 'reachout.note', plaintext: enc({ note: 'now' }) },
        { itemId: 'bad', type: 'circle.shared-section', plaintext: new Uint8Array([0xff]) },
      ],
      'r',
    );
    // Both parts are steps, in the crisis plan's order (stepIn before treatments).
    expect(content.steps.map((w) => w.section.id)).toEqual(['s1', 's2']);
    expect(content.nothingShared).toBe(false);
    expect(content.contact).toBe('text me');
    // Only this reach-out's note, never another's.
    expect(content.note).toBe('now');
    expect(supporterContent([], 'r')).toMatchObject({
      steps: [],
      note: null,
      contact: null,
      nothingShared: true,
      unopened: false,
    });
  });
});
