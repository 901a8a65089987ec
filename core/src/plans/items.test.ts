import { describe, expect, it } from 'vitest';
import { utf8 } from '../crypto/canonical.js';
import {
  assembleSnapshot,
  decodePlanItem,
  decodeVersionSummary,
  encodePlanItem,
  snapshotItems,
} from './items.js';
import { makeVersion } from './versions.js';
import { addSection } from './ops.js';
import { ITEM_TYPE_PATTERN } from '../crypto/ids.js';
import { PLAN_COLLECTION, PLAN_ITEM_TYPES } from './schema.js';
import { must, newPlan, T1 } from './test-support/index.js';

describe('plan vault items', () => {
  it('types are valid vault item types', () => {
    for (const type of Object.values(PLAN_ITEM_TYPES)) expect(type).toMatch(ITEM_TYPE_PATTERN);
    expect(PLAN_COLLECTION).toBe('plans');
  });

  it('encode and decode every item of a plan', () => {
    const s = newPlan('crisis');
    const items = snapshotItems(s);
    expect(items.map((i) => i.type)).toEqual(['plan', ...s.sections.map(() => 'plan.section')]);
    for (const item of items) {
      expect(decodePlanItem(item.type, encodePlanItem(item.value))).toEqual({
        ok: true,
        value: item,
      });
    }
  });

  it('refuse unknown types, bad UTF-8, bad JSON and bad shapes', () => {
    const s = newPlan();
    expect(decodePlanItem('journal', encodePlanItem(s.plan))).toEqual({
      ok: false,
      error: { code: 'unknown_type', type: 'journal' },
    });
    expect(decodePlanItem('plan', new Uint8Array([0xff, 0xfe]))).toEqual({
      ok: false,
      error: { code: 'not_json' },
    });
    expect(decodePlanItem('plan', utf8('{'))).toEqual({ ok: false, error: { code: 'not_json' } });
    const wrong = decodePlanItem('plan.section', encodePlanItem(s.plan));
    expect(wrong.ok || wrong.error.code).toBe('invalid');
  });

  it('assemble a snapshot in plan order, reporting missing and unlisted sections', () => {
    const s = newPlan('safety');
    const extra = must(
      addSection(s, { kind: 'text', title: 'x', now: T1, id: 'extra' }),
    ).sections.at(-1)!;
    const shuffled = [...s.sections.slice(1).reverse(), extra];
    const { snapshot, missing, orphans } = assembleSnapshot(s.plan, shuffled);
    expect(missing).toEqual([s.sections[0]!.id]);
    expect(orphans).toEqual(['extra']);
    expect(snapshot.sections.map((x) => x.id)).toEqual([...s.plan.sectionIds.slice(1), 'extra']);
    expect(snapshot.plan.sectionIds).toEqual(snapshot.sections.map((x) => x.id));
    const whole = assembleSnapshot(s.plan, s.sections.slice().reverse());
    expect(whole.snapshot).toEqual(s);
  });

  it('read a version summary without its snapshot', () => {
    const s = newPlan();
    const v = makeVersion(s, T1, 'a note', { id: 'v1' });
    expect(decodeVersionSummary(encodePlanItem(v))).toEqual({
      ok: true,
      value: { v: 1, id: 'v1', planId: s.plan.id, savedAt: T1, note: 'a note' },
    });
    expect(decodeVersionSummary(utf8('{"v":1}')).ok).toBe(false);
    expect(decodeVersionSummary(utf8('nope')).ok).toBe(false);
  });
});
