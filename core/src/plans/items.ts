/**
 * Plans ↔ vault items. A plan is stored as one `plan` item, one `plan.section` item per section
 * and one `plan.version` item per saved version, each UTF-8 JSON, in collection `plans`.
 */
import { utf8 } from '../crypto/canonical.js';
import { err, ok, type Result } from '../result.js';
import { parseJsonItem } from '../vault/json-item.js';
import { z } from 'zod';
import {
  PLAN_ITEM_TYPES,
  planSchema,
  sectionSchema,
  versionSchema,
  type Plan,
  type PlanSnapshot,
  type PlanVersion,
  type Section,
} from './schema.js';

export type PlanItemType = (typeof PLAN_ITEM_TYPES)[keyof typeof PLAN_ITEM_TYPES];

export type PlanItem =
  | { readonly type: 'plan'; readonly value: Plan }
  | { readonly type: 'plan.section'; readonly value: Section }
  | { readonly type: 'plan.version'; readonly value: PlanVersion };

export type DecodeError =
  | { readonly code: 'unknown_type'; readonly type: string }
  | { readonly code: 'not_json' }
  | { readonly code: 'invalid'; readonly issues: readonly { path: string; message: string }[] };

/** The plaintext the vault encrypts for an item. */
export const encodePlanItem = (value: Plan | Section | PlanVersion): Uint8Array =>
  utf8(JSON.stringify(value));

/** Reads a decrypted item of one of the plan types. */
export function decodePlanItem(type: string, bytes: Uint8Array): Result<PlanItem, DecodeError> {
  const schema =
    type === PLAN_ITEM_TYPES.plan
      ? planSchema
      : type === PLAN_ITEM_TYPES.section
        ? sectionSchema
        : type === PLAN_ITEM_TYPES.version
          ? versionSchema
          : undefined;
  if (!schema) return err({ code: 'unknown_type', type });
  const parsed = parseJsonItem(schema, bytes);
  if (!parsed.ok) return parsed;
  return ok({ type, value: parsed.value } as PlanItem);
}

/** What a history list needs from a version, without checking its whole snapshot. */
export const versionSummarySchema = versionSchema.extend({ snapshot: z.unknown() });
export type VersionSummary = Omit<PlanVersion, 'snapshot'>;

/**
 * Reads a decrypted `plan.version` item's id, plan, time and note only (for the history list;
 * decode the item with `decodePlanItem` when it is opened, diffed or restored).
 */
export function decodeVersionSummary(bytes: Uint8Array): Result<VersionSummary, DecodeError> {
  const parsed = parseJsonItem(versionSummarySchema, bytes);
  if (!parsed.ok) return parsed;
  const { snapshot: _snapshot, ...summary } = parsed.value;
  return ok(summary);
}

/**
 * A plan's items, ready to encode: the plan and its sections. Compare with what is stored to
 * know which section items to write and which to delete (ids no longer in `plan.sectionIds`).
 */
export function snapshotItems(snapshot: PlanSnapshot): PlanItem[] {
  return [
    { type: 'plan', value: snapshot.plan },
    ...snapshot.sections.map((value) => ({ type: 'plan.section' as const, value })),
  ];
}

export interface Assembled {
  readonly snapshot: PlanSnapshot;
  /** Ids in `plan.sectionIds` with no section item (not synced yet, or lost): left out. */
  readonly missing: readonly string[];
  /** Section items of this plan that `plan.sectionIds` doesn't list (e.g. a concurrent add on
   * another device): appended at the end, so nothing written is hidden. */
  readonly orphans: readonly string[];
}

/** Builds a snapshot from a plan item and the section items that name it as their plan. */
export function assembleSnapshot(plan: Plan, sections: readonly Section[]): Assembled {
  const mine = sections.filter((s) => s.planId === plan.id);
  const byId = new Map(mine.map((s) => [s.id, s]));
  const listed = new Set(plan.sectionIds);
  const ordered = plan.sectionIds.flatMap((id) => {
    const s = byId.get(id);
    return s ? [s] : [];
  });
  const missing = plan.sectionIds.filter((id) => !byId.has(id));
  const orphans = mine.filter((s) => !listed.has(s.id));
  const all = [...ordered, ...orphans];
  return {
    snapshot: { plan: { ...plan, sectionIds: all.map((s) => s.id) }, sections: all },
    missing,
    orphans: orphans.map((s) => s.id),
  };
}
