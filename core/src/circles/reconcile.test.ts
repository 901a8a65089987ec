import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newPlan, T1 } from '../plans/test-support/index.js';
import { snapshotArb } from '../plans/test-support/arbitraries.js';
import type { PlanSnapshot, Section } from '../plans/schema.js';
import { memberCollectionId, type CircleGrant, type Daily } from './items.js';
import {
  canonicalJson,
  desiredCopies,
  isSettled,
  reconcile,
  type ExistingCollection,
  type MemberChanges,
  type ReconcileInput,
} from './reconcile.js';

type World = Omit<ReconcileInput, 'existing' | 'grants'> & {
  grants: CircleGrant[];
  existing: Map<string, ExistingCollection[]>;
};

/** What the web app does with the changes (sharing.ts), on an in-memory copy of the vault. */
function apply(world: World, changes: readonly MemberChanges[]): World {
  const existing = new Map(world.existing);
  const grants = world.grants.map((g) => {
    const c = changes.find((x) => x.memberId === g.memberId && x.collection !== null);
    return c === undefined ? g : { ...g, generation: c.generation };
  });
  for (const c of changes) {
    let cols = (existing.get(c.memberId) ?? []).filter(
      (col) => !c.drop.includes(memberCollectionId(c.memberId, col.generation)),
    );
    if (c.collection !== null && c.writes.length > 0) {
      const at = cols.find((col) => col.generation === c.generation) ?? {
        generation: c.generation,
        items: [],
      };
      const items = new Map(at.items.map((i) => [i.itemId, i]));
      for (const w of c.writes)
        items.set(w.itemId, { itemId: w.itemId, type: w.type, value: w.value });
      cols = [
        ...cols.filter((col) => col !== at),
        { generation: c.generation, items: [...items.values()] },
      ];
    }
    if (cols.length > 0) existing.set(c.memberId, cols);
    else existing.delete(c.memberId);
  }
  return { ...world, grants, existing };
}

const MEMBERS = ['m1', 'm2', 'm3'];
const dailyArb: fc.Arbitrary<Daily | null> = fc.option(
  fc.record({ date: fc.constant('2026-11-24'), word: fc.constantFrom('ok', 'tired', 'low') }),
  { nil: null },
);

const grantsArb = (plans: PlanSnapshot[]) => {
  const refs = plans.flatMap((p) =>
    p.sections.map((s) => ({ planId: p.plan.id, sectionId: s.id })),
  );
  const pool = [...refs, { planId: 'gone', sectionId: 'gone' }];
  return fc.tuple(
    ...MEMBERS.map((memberId) =>
      fc.record({
        memberId: fc.constant(memberId),
        sections: fc.subarray(pool),
        daily: fc.boolean(),
        contact: fc.boolean(),
        generation: fc.integer({ min: 1, max: 3 }),
      }),
    ),
  );
};

/** Plans, then a first state reached by reconciling some earlier grants, then new grants and plans. */
const worldArb: fc.Arbitrary<{ before: World; after: World }> = fc
  .uniqueArray(snapshotArb, { minLength: 1, maxLength: 3, selector: (s) => s.plan.id })
  .chain((plans) =>
    fc.record({
      plans: fc.constant(plans),
      earlier: grantsArb(plans),
      later: grantsArb(plans),
      members: fc.subarray(MEMBERS),
      daily: dailyArb,
      contact: fc.constantFrom('', 'text me first'),
      flip: fc.array(fc.nat(), { maxLength: 4 }),
    }),
  )
  .map(({ plans, earlier, later, members, daily, contact, flip }) => {
    const start: World = {
      grants: earlier,
      members: new Set(MEMBERS),
      plans,
      contact,
      daily,
      existing: new Map(),
    };
    const before = apply(start, reconcile(start));
    // The owner edits: some sections change who may see them.
    const edited = plans.map((p) => ({
      ...p,
      sections: p.sections.map((s, i): Section =>
        flip.includes(i)
          ? { ...s, visibility: s.visibility === 'private' ? 'supporters' : 'private' }
          : s,
      ),
    }));
    const after: World = {
      ...before,
      grants: later.map((g) => ({
        ...g,
        generation: before.grants.find((b) => b.memberId === g.memberId)?.generation ?? 1,
      })),
      members: new Set(members),
      plans: edited,
    };
    return { before, after };
  });

const sectionsWritten = (changes: readonly MemberChanges[]) =>
  changes.flatMap((c) =>
    c.writes
      .filter((w) => w.type === 'circle.shared-section')
      .map((w) => (w.value as { section: Section }).section),
  );

describe('reconcile', () => {
  it('never copies a private section or a private entry', () => {
    fc.assert(
      fc.property(worldArb, ({ before, after }) => {
        for (const world of [before, after]) {
          for (const section of sectionsWritten(reconcile(world))) {
            expect(section.visibility).toBe('supporters');
            if (section.kind !== 'text') {
              for (const e of section.entries) expect(e.visibility).toBe('supporters');
            }
          }
        }
      }),
    );
  });

  it('after applying, each member holds exactly what their grant allows, and nothing is left to do', () => {
    fc.assert(
      fc.property(worldArb, ({ after }) => {
        const done = apply(after, reconcile(after));
        expect(isSettled(reconcile(done))).toBe(true);
        for (const memberId of MEMBERS) {
          const grant = done.grants.find((g) => g.memberId === memberId);
          const cols = done.existing.get(memberId) ?? [];
          if (!done.members.has(memberId) || grant === undefined) {
            expect(cols).toEqual([]);
            continue;
          }
          expect(cols.length).toBeLessThanOrEqual(1);
          const held = new Map(
            (cols[0]?.items ?? []).map((i) => [i.itemId, canonicalJson(i.value)]),
          );
          const want = new Map(
            [...desiredCopies(grant, done.plans, done.contact, done.daily).values()].map((w) => [
              w.itemId,
              canonicalJson(w.value),
            ]),
          );
          expect(held).toEqual(want);
          if (cols[0] !== undefined) expect(cols[0].generation).toBe(grant.generation);
        }
      }),
    );
  });

  it('taking anything away always makes a new generation, and only then', () => {
    fc.assert(
      fc.property(worldArb, ({ after }) => {
        for (const c of reconcile(after)) {
          const grant = after.grants.find((g) => g.memberId === c.memberId);
          if (!after.members.has(c.memberId) || grant === undefined) continue;
          const cols = after.existing.get(c.memberId) ?? [];
          const current = Math.max(grant.generation, ...cols.map((col) => col.generation));
          const held = cols.find((col) => col.generation === current)?.items ?? [];
          const want = desiredCopies(grant, after.plans, after.contact, after.daily);
          const lost = held.some((i) => {
            const w = want.get(i.itemId);
            if (w === undefined) return true;
            const ids = (v: unknown) => {
              const s = (v as { section?: Section }).section;
              return s === undefined || s.kind === 'text' ? [] : s.entries.map((e) => e.id);
            };
            const kept = new Set(ids(w.value));
            return (
              ids(i.value).some((id) => !kept.has(id)) ||
              (i.value as { section?: Section }).section?.kind !==
                (w.value as { section?: Section }).section?.kind
            );
          });
          expect(c.rekey).toBe(lost);
          if (c.rekey) {
            expect(c.generation).toBe(current + 1);
            expect(c.collection).toBe(memberCollectionId(c.memberId, current + 1));
            // The collection under the key they held is deleted whole.
            expect(c.drop).toContain(memberCollectionId(c.memberId, current));
          }
        }
      }),
    );
  });

  it('a member granted nothing keeps the reach-out notes sent to them, and only those', () => {
    const note = { itemId: 'r1', type: 'reachout.note', value: { note: 'call me' } };
    const base = {
      grants: [],
      members: new Set(['m1']),
      plans: [],
      contact: 'text',
      daily: null,
    };
    // Only notes: nothing to do (the collection stays, as it is).
    const onlyNotes = { ...base, existing: new Map([['m1', [{ generation: 2, items: [note] }]]]) };
    expect(isSettled(reconcile(onlyNotes))).toBe(true);
    // Notes and something no longer granted: a new generation with the notes alone.
    const contact = { itemId: 'contact', type: 'circle.contact', value: { reach: 'text' } };
    const both = {
      ...base,
      existing: new Map([['m1', [{ generation: 2, items: [note, contact] }]]]),
    };
    expect(reconcile(both)).toEqual([
      {
        memberId: 'm1',
        collection: 'to-m1-3',
        generation: 3,
        rekey: true,
        writes: [{ itemId: 'r1', type: 'reachout.note', value: { note: 'call me' } }],
        drop: ['to-m1-2'],
      },
    ]);
    // No longer in the circle: everything goes, notes too.
    expect(reconcile({ ...onlyNotes, members: new Set() })).toMatchObject([
      { memberId: 'm1', collection: null, drop: ['to-m1-2'] },
    ]);
  });

  it('a removed supporter loses every collection; notes of reach-outs survive a re-key', () => {
    const plan = newPlan('crisis');
    const section = { ...plan.sections[0]!, visibility: 'supporters' } as Section;
    const plans = [{ ...plan, sections: [section] }];
    const grant: CircleGrant = {
      memberId: 'm1',
      sections: [{ planId: plan.plan.id, sectionId: section.id }],
      daily: false,
      contact: true,
      generation: 1,
    };
    const note = { itemId: 'r1', type: 'reachout.note', value: { note: 'call me' } };
    const world = {
      grants: [grant],
      members: new Set(['m1']),
      plans,
      contact: 'text',
      daily: null,
      existing: new Map([['m1', [{ generation: 1, items: [note] }]]]),
    };
    const first = reconcile(world);
    expect(first).toMatchObject([{ rekey: false, generation: 1, drop: [] }]);
    const shared = apply(world, first);

    // Contact no longer shared: new generation, the note comes along.
    const fewer = reconcile({ ...shared, grants: [{ ...grant, contact: false }] });
    expect(fewer).toMatchObject([{ rekey: true, generation: 2, drop: ['to-m1-1'] }]);
    expect(fewer[0]?.writes.map((w) => w.itemId).sort()).toEqual([section.id, 'r1'].sort());

    // The section made private with the same grant: taken away too.
    const privateNow = [{ ...plan, sections: [{ ...section, visibility: 'private' } as Section] }];
    expect(reconcile({ ...shared, plans: privateNow })).toMatchObject([
      { rekey: true, generation: 2 },
    ]);

    // Out of the circle: everything dropped, nothing written.
    expect(reconcile({ ...shared, members: new Set() })).toEqual([
      {
        memberId: 'm1',
        collection: null,
        generation: 1,
        rekey: false,
        writes: [],
        drop: ['to-m1-1'],
      },
    ]);

    // An edit of what they may see is written in place.
    const edited = [
      { ...plan, sections: [{ ...section, title: 'Changed', updatedAt: T1 } as Section] },
    ];
    const write = reconcile({ ...shared, plans: edited });
    expect(write).toMatchObject([{ rekey: false, generation: 1 }]);
    expect(write[0]?.writes.map((w) => w.itemId)).toEqual([section.id]);
  });
});
