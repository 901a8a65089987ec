import { describe, expect, it } from 'vitest';
import { utf8 } from '../crypto/canonical.js';
import { CLINICAL_WORDS } from '../test-support/clinical-words.js';
import {
  CIRCLE_ITEM_TYPES,
  circleItemSchemas,
  decodeCircleItem,
  encodeCircleItem,
  memberCollectionId,
  parseMemberCollectionId,
  type CirclePerson,
} from './items.js';
import { applyOffer, compareOffer, orderOffers } from './offers.js';

const person: CirclePerson = {
  name: 'Sam',
  ring: 'pod',
  offers: ['listen', 'visit'],
  offerNotes: 'good at quiet walks',
  availability: 'evenings',
  reach: 'text first',
};

describe('circle items', () => {
  it('round-trips a person and refuses unknown offers, repeats and an empty name', () => {
    const bytes = encodeCircleItem('circle.person', person);
    expect(bytes.ok).toBe(true);
    if (!bytes.ok) return;
    expect(decodeCircleItem('circle.person', bytes.value)).toEqual({ ok: true, value: person });
    const bad = (value: unknown) =>
      decodeCircleItem('circle.person', utf8(JSON.stringify(value))).ok;
    expect(bad({ ...person, offers: ['therapy'] })).toBe(false);
    expect(bad({ ...person, offers: ['listen', 'listen'] })).toBe(false);
    expect(bad({ ...person, name: '' })).toBe(false);
    expect(bad({ ...person, ring: 'inner' })).toBe(false);
  });

  it('reports unknown types, non-JSON and oversized items', () => {
    expect(decodeCircleItem('circle.score', utf8('{}'))).toMatchObject({
      ok: false,
      error: { code: 'unknown_type' },
    });
    expect(decodeCircleItem('circle.contact', utf8('{'))).toMatchObject({
      ok: false,
      error: { code: 'not_json' },
    });
    const huge = utf8(JSON.stringify({ reach: 'x'.repeat(300_000) }));
    expect(decodeCircleItem('circle.contact', huge)).toMatchObject({
      ok: false,
      error: { code: 'too_large' },
    });
  });

  it('has no diagnosis, score or rating field in any item type', () => {
    const keys = new Set<string>();
    const walk = (schema: unknown): void => {
      const def = (schema as { def?: Record<string, unknown> }).def;
      if (def === undefined) return;
      const shape = (def as { shape?: Record<string, unknown> }).shape;
      if (shape) {
        for (const [k, v] of Object.entries(shape)) {
          keys.add(k);
          walk(v);
        }
      }
      for (const inner of ['innerType', 'in', 'out', 'element', 'valueType'] as const) {
        if (def[inner]) walk(def[inner]);
      }
    };
    for (const schema of Object.values(circleItemSchemas)) walk(schema);
    expect(keys.size).toBeGreaterThan(20);
    for (const key of keys) {
      expect(key).not.toMatch(CLINICAL_WORDS);
      expect(key).not.toMatch(/rating|severity|risk/i);
    }
  });

  it('names every type once', () => {
    const types = Object.values(CIRCLE_ITEM_TYPES);
    expect(new Set(types).size).toBe(types.length);
    expect(Object.keys(circleItemSchemas).sort()).toEqual([...types].sort());
  });

  it('a grant without a generation reads as generation 1', () => {
    const r = decodeCircleItem(
      'circle.grant',
      utf8(JSON.stringify({ memberId: 'm1', sections: [], daily: false, contact: true })),
    );
    expect(r).toMatchObject({ ok: true, value: { generation: 1 } });
  });

  it('member collection ids round-trip and stay valid ids', () => {
    const id = memberCollectionId('A'.repeat(22), 12);
    expect(id).toBe(`to-${'A'.repeat(22)}-12`);
    expect(parseMemberCollectionId(id)).toEqual({ memberId: 'A'.repeat(22), generation: 12 });
    expect(parseMemberCollectionId('to-abc-def-3')).toEqual({ memberId: 'abc-def', generation: 3 });
    expect(parseMemberCollectionId('to-abc')).toBeNull();
    expect(parseMemberCollectionId('to-abc-0')).toBeNull();
    expect(parseMemberCollectionId('circle')).toBeNull();
    expect(() => memberCollectionId('a b', 1)).toThrow();
    expect(() => memberCollectionId('a', 0)).toThrow();
    expect(() => memberCollectionId('x'.repeat(60), 1)).toThrow();
  });
});

describe('offers', () => {
  it('orders offers and drops unknown ones', () => {
    expect(orderOffers(['money', 'listen', 'nonsense', 'listen'])).toEqual(['listen', 'money']);
  });

  it('separates what was asked from what was offered beyond it', () => {
    expect(
      compareOffer({ asking: ['listen', 'visit'] }, { offers: ['transport', 'listen'] }),
    ).toEqual({ asked: ['listen'], more: ['transport'] });
  });

  it("an accepted offer takes the invitee's words and forgets the invitation", () => {
    const invited = { ...person, invitationId: 'inv1', invitationKey: 'k'.repeat(43) };
    const next = applyOffer(
      invited,
      { offers: ['money', 'listen'], offerNotes: '', availability: 'weekends', reach: '' },
      { accountId: 'acc1', handle: 'sam' },
    );
    expect(next).toEqual({
      ...person,
      offers: ['listen', 'money'],
      availability: 'weekends',
      accountId: 'acc1',
      handle: 'sam',
    });
  });
});
