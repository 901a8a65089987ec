import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addEntry,
  addSection,
  moveEntry,
  moveSection,
  removeEntry,
  removeSection,
  renamePlan,
  renameSection,
  setPinned,
  setVisibility,
  updateEntry,
  updateSection,
} from './ops.js';
import type { PlanSnapshot, Section } from './schema.js';
import { must, newPlan, T0, T1, T2 } from './test-support/index.js';
import {
  contentChanged,
  diffSnapshots,
  diffWords,
  makeVersion,
  restoreVersion,
  shouldSnapshot,
  versionsToPrune,
} from './versions.js';

const byKey = (s: PlanSnapshot, key: string): Section => s.sections.find((x) => x.key === key)!;

describe('versions', () => {
  it('makeVersion copies the snapshot', () => {
    const s = newPlan();
    const v = makeVersion(s, T1, 'first draft', { id: 'v1' });
    expect(v).toEqual({
      v: 1,
      id: 'v1',
      planId: s.plan.id,
      savedAt: T1,
      note: 'first draft',
      snapshot: s,
    });
    expect(v.snapshot).not.toBe(s);
    expect(makeVersion(s, T1).id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect('note' in makeVersion(s, T1)).toBe(false);
  });

  describe('shouldSnapshot', () => {
    it('never when nothing changed', () => {
      expect(shouldSnapshot(null, T1, false)).toBe(false);
      expect(shouldSnapshot(T0, T2, false, 'leave')).toBe(false);
    });
    it('the first change, on leaving, and at most every 10 minutes otherwise', () => {
      expect(shouldSnapshot(null, T1, true)).toBe(true);
      expect(shouldSnapshot(T0, T1, true)).toBe(false); // 5 minutes
      expect(shouldSnapshot(T0, T1, true, 'leave')).toBe(true);
      expect(shouldSnapshot(T0, '2026-11-24T10:09:59.999Z', true)).toBe(false);
      expect(shouldSnapshot(T0, '2026-11-24T10:10:00.000Z', true)).toBe(true);
      expect(shouldSnapshot(T2, T0, true)).toBe(true); // clock went back 20 minutes
      expect(shouldSnapshot('garbage', T0, true)).toBe(true);
    });
    it('makes about one version per 10 minutes of steady typing', () => {
      let last: string | null = null;
      let count = 0;
      for (let second = 0; second < 3600; second += 2) {
        const now = new Date(Date.parse(T0) + second * 1000).toISOString();
        if (shouldSnapshot(last, now, true)) {
          last = now;
          count++;
        }
      }
      expect(count).toBe(6);
    });
  });

  describe('versionsToPrune', () => {
    const versions = Array.from({ length: 15 }, (_, i) => ({
      id: `v${String(i).padStart(2, '0')}`,
      savedAt: new Date(Date.parse(T0) + i * 60_000).toISOString(),
    }));
    const shuffled = [...versions.slice(7), ...versions.slice(0, 7).reverse()];

    it('the oldest beyond the limit, oldest first', () => {
      expect(versionsToPrune(shuffled, 10).map((v) => v.id)).toEqual([
        'v00',
        'v01',
        'v02',
        'v03',
        'v04',
      ]);
      expect(versionsToPrune(shuffled, 15)).toEqual([]);
      expect(versionsToPrune([], 10)).toEqual([]);
    });
    it('never the newest', () => {
      for (const keep of [0, -3, 0.5, Number.NaN]) {
        const pruned = versionsToPrune(shuffled, keep);
        expect(pruned).toHaveLength(14);
        expect(pruned.map((v) => v.id)).not.toContain('v14');
      }
    });
    it('breaks ties in time by id', () => {
      const same = [
        { id: 'b', savedAt: T0 },
        { id: 'a', savedAt: T0 },
        { id: 'c', savedAt: T0 },
      ];
      expect(versionsToPrune(same, 1).map((v) => v.id)).toEqual(['a', 'b']);
    });
  });

  describe('diffSnapshots', () => {
    it('nothing changed', () => {
      const s = newPlan();
      expect(diffSnapshots(s, s)).toEqual({ changed: false, sections: [] });
      // a touch that changes only times is not a change
      const touched = must(
        updateSection(s, s.sections[0]!.id, { title: s.sections[0]!.title }, T2),
      );
      expect(contentChanged(s, touched)).toBe(false);
    });

    it('plan title, pin', () => {
      const a = newPlan();
      const b = must(setPinned(must(renamePlan(a, 'New', T1)), true, T1));
      expect(diffSnapshots(a, b)).toMatchObject({
        changed: true,
        title: { from: 'My plan', to: 'New' },
        pinned: { from: false, to: true },
        sections: [],
      });
    });

    it('added, removed, renamed and moved sections', () => {
      const a = newPlan('safety');
      const [first, second, third] = a.sections;
      let b = must(addSection(a, { kind: 'text', title: 'Notes', now: T1, id: 'notes', at: 1 }));
      b = must(removeSection(b, second!.id, T1));
      b = must(renameSection(b, third!.id, 'Who I can call', T1));
      b = must(moveSection(b, first!.id, 4, T1));
      const d = diffSnapshots(a, b);
      expect(d.changed).toBe(true);
      expect(d.sections).toEqual([
        { type: 'added', sectionId: 'notes', index: 0, section: b.sections[0] },
        {
          type: 'changed',
          sectionId: third!.id,
          index: 1,
          title: 'Who I can call',
          renamed: { from: 'People and places that help me feel better', to: 'Who I can call' },
          moved: false,
          entries: [],
        },
        {
          type: 'changed',
          sectionId: first!.id,
          index: 4,
          title: first!.title,
          moved: true,
          entries: [],
        },
        { type: 'removed', sectionId: second!.id, index: 1, section: second },
      ]);
    });

    it('word-level changes in a text body', () => {
      let a = newPlan();
      const well = byKey(a, 'well').id;
      a = must(updateSection(a, well, { body: 'I like long walks by the sea.' }, T1));
      const b = must(updateSection(a, well, { body: 'I like short walks by the river.' }, T2));
      const [change] = diffSnapshots(a, b).sections;
      expect(change).toMatchObject({ type: 'changed', sectionId: well });
      const body = change?.type === 'changed' ? change.body! : [];
      expect(body.filter((w) => w.op === 'removed').map((w) => w.text.trim())).toEqual([
        'long',
        'sea',
      ]);
      expect(body.filter((w) => w.op === 'added').map((w) => w.text.trim())).toEqual([
        'short',
        'river',
      ]);
    });

    it('entries added, removed, changed, moved, and visibility', () => {
      let a = newPlan();
      const involve = byKey(a, 'involve').id;
      a = must(addEntry(a, involve, { name: 'Sam', reach: '0123' }, T1, { id: 'sam' }));
      a = must(addEntry(a, involve, { name: 'Lee' }, T1, { id: 'lee' }));
      a = must(addEntry(a, involve, { name: 'Kim' }, T1, { id: 'kim' }));
      a = must(addEntry(a, involve, { name: 'Ana' }, T1, { id: 'ana' }));
      let b = must(updateEntry(a, involve, 'sam', { reach: '0456', involve: 'no' }, T2));
      b = must(removeEntry(b, involve, 'lee', T2));
      b = must(addEntry(b, involve, { name: 'Jo' }, T2, { id: 'jo' }));
      b = must(moveEntry(b, involve, 'ana', 0, T2));
      b = must(setVisibility(b, involve, null, 'supporters', T2));
      const [change] = diffSnapshots(a, b).sections;
      expect(change).toMatchObject({
        type: 'changed',
        visibility: { from: 'private', to: 'supporters' },
        entries: [
          { type: 'changed', entryId: 'ana', index: 0, moved: true, fields: [] },
          {
            type: 'changed',
            entryId: 'sam',
            index: 1,
            moved: false,
            fields: [
              {
                field: 'reach',
                from: '0123',
                to: '0456',
                words: [
                  { op: 'removed', text: '0123' },
                  { op: 'added', text: '0456' },
                ],
              },
              { field: 'involve', from: 'yes', to: 'no' },
            ],
          },
          { type: 'added', entryId: 'jo', index: 3 },
          { type: 'removed', entryId: 'lee', index: 1 },
        ],
      });
    });

    it('word changes rebuild both texts (property)', () => {
      fc.assert(
        fc.property(fc.string(), fc.string(), (from, to) => {
          const words = diffWords(from, to);
          const old = words
            .filter((w) => w.op !== 'added')
            .map((w) => w.text)
            .join('');
          const neu = words
            .filter((w) => w.op !== 'removed')
            .map((w) => w.text)
            .join('');
          expect([old, neu]).toEqual([from, to]);
        }),
      );
    });

    it('a long, completely different body still diffs quickly', () => {
      const a = Array.from({ length: 6000 }, (_, i) => `a${i}`).join(' ');
      const b = Array.from({ length: 6000 }, (_, i) => `b${i}`).join(' ');
      const started = Date.now();
      const words = diffWords(a, b);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(
        words
          .filter((w) => w.op !== 'added')
          .map((w) => w.text)
          .join(''),
      ).toBe(a);
    });
  });

  describe('restoreVersion', () => {
    it('brings back old content under the same plan id, and versions both sides', () => {
      let s = newPlan();
      const well = byKey(s, 'well').id;
      s = must(updateSection(s, well, { body: 'Version one' }, T1));
      const old = makeVersion(s, T1, undefined, { id: 'old' });
      let now = must(updateSection(s, well, { body: 'Version two' }, T2));
      now = must(removeSection(now, byKey(now, 'said').id, T2));
      now = must(addSection(now, { kind: 'text', title: 'New bit', now: T2, id: 'newbit' }));
      now = must(setPinned(now, true, T2));
      const at = '2026-11-24T11:00:00.000Z';
      const ids = ['before', 'after'];
      const r = must(restoreVersion(now, old, at, { note: 'restored', newId: () => ids.shift()! }));
      expect(r.snapshot.plan.id).toBe(now.plan.id);
      expect(r.snapshot.plan.createdAt).toBe(now.plan.createdAt);
      expect(r.snapshot.plan.updatedAt).toBe(at);
      expect(r.snapshot.plan.pinned).toBe(true); // settings stay
      expect(byKey(r.snapshot, 'well')).toMatchObject({ body: 'Version one', updatedAt: at });
      expect(r.snapshot.plan.sectionIds).toEqual(s.plan.sectionIds);
      expect(r.removedSectionIds).toEqual(['newbit']);
      expect(diffSnapshots(s, r.snapshot)).toMatchObject({
        pinned: { from: false, to: true },
        sections: [],
      });
      expect(r.before).toMatchObject({ id: 'before', savedAt: at, snapshot: now });
      expect(r.version).toMatchObject({
        id: 'after',
        restoredFrom: 'old',
        note: 'restored',
        savedAt: '2026-11-24T11:00:00.001Z',
        snapshot: r.snapshot,
      });
      expect(versionsToPrune([old, r.before, r.version], 1)).toEqual([old, r.before]);
    });
  });
});
