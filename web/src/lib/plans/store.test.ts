// Plans through a real Vault against the real server (in-process, fake IndexedDB per device).
import { describe, expect, it } from 'vitest';
import {
  PLAN_COLLECTION,
  addSection,
  createPlan,
  removeSection,
  translateEn,
  updateSection,
  type PlanSnapshot,
} from '$core/plans/index';
import { must, T1, T2 } from '$core/plans/test-support';
import { synced, useServer } from '../vault/sync/test-support/server';
import { deletePlan, listPlans, listVersions, loadPlan, putVersion, savePlan, scan } from './store';

const bytes = (s: string) => new TextEncoder().encode(s);

function crisisPlan(title = 'When I am in crisis'): PlanSnapshot {
  return must(
    createPlan({
      templateId: 'crisis',
      title,
      now: '2026-11-24T10:00:00.000Z',
      translate: translateEn,
    }),
  );
}

describe('plans store', () => {
  const fx = useServer();
  const device = () => fx.device();

  it('saves a new plan locally first, reads it back after a reload, and syncs it', async () => {
    const a = await device();
    const plan = crisisPlan();
    const first = plan.sections[0]!;
    const edited = must(updateSection(plan, first.id, { body: 'I sing **loudly**' }, T1));
    expect(await savePlan(a.vault, plan)).toEqual({ ok: true, written: plan.sections.length + 1 });
    expect(await savePlan(a.vault, edited, plan)).toEqual({ ok: true, written: 2 });

    // "Reload": the same device's storage, a new Vault, no network.
    a.d.online = false;
    const again = await a.d.open();
    fx.track(again);
    const loaded = await loadPlan(again, plan.plan.id);
    expect(loaded?.snapshot).toEqual(edited);
    expect(loaded?.pending).toBe(true);
    expect(loaded?.problems).toEqual([]);

    a.d.online = true;
    await synced(again);
    const b = await device();
    await synced(b.vault);
    const onB = await loadPlan(b.vault, plan.plan.id);
    expect(onB?.snapshot).toEqual(edited);
    expect(onB?.pending).toBe(false);
  });

  it('writes only what changed, and deletes removed sections', async () => {
    const a = await device();
    const plan = crisisPlan();
    await savePlan(a.vault, plan);
    const added = must(addSection(plan, { kind: 'list', title: 'My own list', now: T1 }));
    expect(await savePlan(a.vault, added, plan)).toEqual({ ok: true, written: 2 });
    const gone = added.sections[1]!.id;
    const removed = must(removeSection(added, gone, T2));
    expect(await savePlan(a.vault, removed, added)).toEqual({ ok: true, written: 2 });
    const loaded = await loadPlan(a.vault, plan.plan.id);
    expect(loaded?.snapshot).toEqual(removed);
    expect((await a.vault.get(PLAN_COLLECTION, 'plan.section', gone)).ok).toBe(true);
    const r = await a.vault.get(PLAN_COLLECTION, 'plan.section', gone);
    expect(r.ok && r.value).toBeUndefined();
  });

  it('lists plans newest first and reports items it cannot use without dropping them', async () => {
    const a = await device();
    const older = crisisPlan('Older');
    const newer = must(
      createPlan({ templateId: 'safety', title: 'Newer', now: T2, translate: translateEn }),
    );
    await savePlan(a.vault, older);
    await savePlan(a.vault, newer);
    // A plan item that is not valid JSON for its type, and an item of a type Tend doesn't know.
    await a.vault.put(PLAN_COLLECTION, 'plan', 'broken', bytes('{"v":2}'));
    // The unknown type comes from another device (a newer Tend): this one has never opened it.
    const newerTend = await device();
    await newerTend.vault.put(PLAN_COLLECTION, 'plan.future', 'future', bytes('{}'));
    await newerTend.vault.sync();
    await a.vault.sync();

    const { plans, problems } = await listPlans(a.vault);
    expect(plans.map((p) => p.title)).toEqual(['Newer', 'Older']);
    expect(problems.map((p) => [p.itemId, p.kind])).toEqual([
      ['broken', 'invalid'],
      ['future', 'unreadable'],
    ]);
    // Still there, untouched.
    expect((await a.vault.get(PLAN_COLLECTION, 'plan.future', 'future')).ok).toBe(true);
  });

  it('a section listed by the plan but not on this device is reported as missing', async () => {
    const a = await device();
    const plan = crisisPlan();
    await savePlan(a.vault, plan);
    const lost = plan.sections[2]!.id;
    await a.vault.delete(PLAN_COLLECTION, lost);
    const loaded = await loadPlan(a.vault, plan.plan.id);
    expect(loaded?.snapshot.sections).toHaveLength(plan.sections.length - 1);
    expect(loaded?.problems).toEqual([{ itemId: lost, kind: 'missing' }]);
  });

  it('keeps versions and deletes a plan with its sections and versions', async () => {
    const a = await device();
    const plan = crisisPlan();
    const other = crisisPlan('Another');
    await savePlan(a.vault, plan);
    await savePlan(a.vault, other);
    const v = {
      v: 1 as const,
      id: 'ver1',
      planId: plan.plan.id,
      savedAt: T1,
      snapshot: plan,
    };
    expect(await putVersion(a.vault, v)).toEqual({ ok: true });
    expect((await listVersions(a.vault, plan.plan.id)).map((x) => x.id)).toEqual(['ver1']);

    await deletePlan(a.vault, plan.plan.id);
    expect(await loadPlan(a.vault, plan.plan.id)).toBeUndefined();
    const left = await scan(a.vault);
    expect(left.plans.map((p) => p.id)).toEqual([other.plan.id]);
    expect(left.sections.every((s) => s.planId === other.plan.id)).toBe(true);
    expect(left.versions).toEqual([]);
    expect(left.problems).toEqual([]);
  });

  it('concurrent edits on two devices keep both versions (the vault reports a conflict)', async () => {
    const a = await device();
    const b = await device();
    const plan = crisisPlan();
    await savePlan(a.vault, plan);
    await synced(a.vault);
    await synced(b.vault);
    const s0 = plan.sections[0]!.id;
    await savePlan(a.vault, must(updateSection(plan, s0, { body: 'from A' }, T1)), plan);
    await savePlan(b.vault, must(updateSection(plan, s0, { body: 'from B' }, T2)), plan);
    await synced(a.vault);
    expect((await synced(b.vault)).conflicts).toBeGreaterThan(0);
    const onB = await loadPlan(b.vault, plan.plan.id);
    expect(onB?.conflicted).toBe(true);
    const conflicts = await b.vault.conflicts();
    const texts = conflicts.flatMap((c) =>
      [c.mine, c.theirs].map((side) =>
        side.ok && side.value
          ? (JSON.parse(new TextDecoder().decode(side.value)) as { body?: string }).body
          : undefined,
      ),
    );
    expect(texts).toEqual(expect.arrayContaining(['from A', 'from B']));
  });
});
