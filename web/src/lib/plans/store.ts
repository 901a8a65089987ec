/**
 * Plans through the vault: every plan, section and version is its own encrypted item in the
 * collection `plans` (core/src/plans/schema.ts). Writes go to this device's encrypted store and
 * outbox at once (`vault.put`), so nothing typed is lost on a reload or offline; the sync follows.
 *
 * Reads never drop what they cannot understand: an item that does not open (tampered, from a
 * newer Tend, of an unknown type) or does not validate is reported in `problems`, and is left
 * untouched in the vault.
 */
import {
  PLAN_COLLECTION,
  PLAN_ITEM_TYPES,
  assembleSnapshot,
  decodePlanItem,
  encodePlanItem,
  type DecodeError,
  type Plan,
  type PlanSnapshot,
  type PlanVersion,
  type Section,
} from '$core/plans/index';
import { scanTypes, type ScanProblem } from '../vault/scan';
import type { Vault } from '../vault/sync/vault';

/** The part of the Vault (sync/vault.ts) the plans use. */
export type PlanVault = Pick<Vault, 'get' | 'list' | 'put' | 'delete'>;

type PlanType = (typeof PLAN_ITEM_TYPES)[keyof typeof PLAN_ITEM_TYPES];
const TYPES: readonly PlanType[] = [
  PLAN_ITEM_TYPES.plan,
  PLAN_ITEM_TYPES.section,
  PLAN_ITEM_TYPES.version,
];

/** Something in the vault the plans could not use; it is kept as it is. */
export type Problem =
  | ScanProblem<PlanType, DecodeError>
  /** The plan lists a section this device does not have (not synced yet, or lost). */
  | { readonly itemId: string; readonly kind: 'missing' };

export type SaveError = { readonly itemId: string; readonly error: string };

export interface Scan {
  readonly plans: readonly Plan[];
  readonly sections: readonly Section[];
  readonly versions: readonly PlanVersion[];
  /** Items with a local change the server has not applied yet. */
  readonly pending: ReadonlySet<string>;
  /** Items with an unresolved conflict (both versions kept; see the conflicts page). */
  readonly conflicted: ReadonlySet<string>;
  readonly problems: readonly Problem[];
}

/**
 * Reads the plan items of the given types. The vault opens an item as one type at a time, so an
 * item is a problem only when it opens as none of the plan types (all three are tried then).
 */
export async function scan(vault: PlanVault, types: readonly PlanType[] = TYPES): Promise<Scan> {
  const s = await scanTypes(vault, PLAN_COLLECTION, types, TYPES, decodePlanItem);
  const plans: Plan[] = [];
  const sections: Section[] = [];
  const versions: PlanVersion[] = [];
  for (const v of s.values) {
    if (v.type === 'plan') plans.push(v.value);
    else if (v.type === 'plan.section') sections.push(v.value);
    else versions.push(v.value);
  }
  return { plans, sections, versions, ...s };
}

const newestFirst = (a: { updatedAt: string }, b: { updatedAt: string }) =>
  b.updatedAt.localeCompare(a.updatedAt);

/** Every plan on this device (newest change first), and whatever could not be read. */
export async function listPlans(
  vault: PlanVault,
): Promise<{ plans: Plan[]; problems: readonly Problem[] }> {
  const s = await scan(vault);
  return { plans: [...s.plans].sort(newestFirst), problems: s.problems };
}

export interface LoadedPlan {
  readonly snapshot: PlanSnapshot;
  /** The plan or one of its sections has a change not synced yet. */
  readonly pending: boolean;
  /** The plan or one of its sections has two versions to choose between. */
  readonly conflicted: boolean;
  readonly problems: readonly Problem[];
}

/** One plan with its sections, in order; undefined when this device has no such plan. */
export async function loadPlan(vault: PlanVault, planId: string): Promise<LoadedPlan | undefined> {
  const s = await scan(vault, [PLAN_ITEM_TYPES.plan, PLAN_ITEM_TYPES.section]);
  const plan = s.plans.find((p) => p.id === planId);
  if (plan === undefined) return undefined;
  const assembled = assembleSnapshot(plan, s.sections);
  const ids = [plan.id, ...assembled.snapshot.plan.sectionIds];
  return {
    snapshot: assembled.snapshot,
    pending: ids.some((id) => s.pending.has(id)),
    conflicted: ids.some((id) => s.conflicted.has(id)),
    problems: [
      ...assembled.missing.map((itemId): Problem => ({ itemId, kind: 'missing' })),
      ...s.problems.filter(
        (p) =>
          p.kind === 'invalid' &&
          p.type === PLAN_ITEM_TYPES.section &&
          plan.sectionIds.includes(p.itemId),
      ),
    ],
  };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes what changed between `previous` (what is stored; undefined for a new plan) and `next`:
 * changed sections, then the plan; sections no longer in the plan are deleted (a version made
 * before keeps them). Each write is encrypted and queued on this device before this returns.
 */
export async function savePlan(
  vault: PlanVault,
  next: PlanSnapshot,
  previous?: PlanSnapshot,
): Promise<{ ok: true; written: number } | { ok: false; errors: SaveError[] }> {
  const before = new Map((previous?.sections ?? []).map((s) => [s.id, s]));
  const errors: SaveError[] = [];
  let written = 0;
  const put = async (type: PlanType, value: Plan | Section | PlanVersion) => {
    const r = await vault.put(PLAN_COLLECTION, type, value.id, encodePlanItem(value));
    if (r.ok) written += 1;
    else errors.push({ itemId: value.id, error: r.error });
  };
  for (const section of next.sections) {
    if (!sameJson(section, before.get(section.id))) await put(PLAN_ITEM_TYPES.section, section);
  }
  if (!sameJson(next.plan, previous?.plan)) await put(PLAN_ITEM_TYPES.plan, next.plan);
  const kept = new Set(next.plan.sectionIds);
  for (const id of before.keys()) {
    if (kept.has(id)) continue;
    const r = await vault.delete(PLAN_COLLECTION, id);
    if (r.ok) written += 1;
    else if (r.error !== 'not_found') errors.push({ itemId: id, error: r.error });
  }
  return errors.length === 0 ? { ok: true, written } : { ok: false, errors };
}

/** A plan's saved versions, newest first. */
export async function listVersions(vault: PlanVault, planId: string): Promise<PlanVersion[]> {
  const s = await scan(vault, [PLAN_ITEM_TYPES.version]);
  return s.versions
    .filter((v) => v.planId === planId)
    .sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

/** Stores one version (its id is its item id). */
export async function putVersion(
  vault: PlanVault,
  version: PlanVersion,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const r = await vault.put(
    PLAN_COLLECTION,
    PLAN_ITEM_TYPES.version,
    version.id,
    encodePlanItem(version),
  );
  return r.ok ? { ok: true } : { ok: false, error: r.error };
}

/** Deletes versions by id (pruning by retention); ones already gone are fine. */
export async function deleteVersions(vault: PlanVault, ids: readonly string[]): Promise<void> {
  for (const id of ids) await vault.delete(PLAN_COLLECTION, id);
}

/** Deletes a plan with its sections and every version of it, from this device and (by sync) all. */
export async function deletePlan(vault: PlanVault, planId: string): Promise<void> {
  const s = await scan(vault);
  const plan = s.plans.find((p) => p.id === planId);
  const ids = new Set([
    ...(plan ? [planId, ...plan.sectionIds] : []),
    ...s.sections.filter((x) => x.planId === planId).map((x) => x.id),
    ...s.versions.filter((x) => x.planId === planId).map((x) => x.id),
  ]);
  // Ones already gone (or never synced here) answer not_found: nothing to do for them.
  for (const id of ids) await vault.delete(PLAN_COLLECTION, id);
}
