/**
 * What each member's shared collection should hold, and the writes, re-keys and dropped collections that get
 * it there (docs/CIRCLES.md, docs/PROTOCOL.md §12.3). Pure: the web app gathers the inputs from
 * the vault and applies the result (web/src/lib/circles/sharing.ts).
 *
 * Rules:
 * - Only what is for supporters is ever copied: a granted section is copied as its part for
 *   supporters (plans/essentials.ts `supportersPart`: private wins, for the section and for each
 *   entry); a private section is not copied at all.
 * - A member's copies live in `to-<memberId>-<generation>`. Nothing is ever deleted from a
 *   collection a member holds the key to: when anything they could see is taken away (an item no longer allowed, or entries gone from a copied section), they get a NEW
 *   generation: a new collection with a new key (and a new share key), everything they may still
 *   see written there, and the old collection deleted. So nothing written after a removal is
 *   readable with a key they held before it.
 * - Someone no longer in the circle loses every collection. A member without a grant is treated
 *   as granted nothing: their collection keeps only reach-out notes (re-keyed if anything else
 *   was in it).
 * - Reach-out notes (`reachout.note`) are written by reach-outs, not by grants: they are kept,
 *   and carried over to a new generation.
 */
import { supportersPart } from '../plans/essentials.js';
import type { PlanSnapshot, Section } from '../plans/schema.js';
import {
  CIRCLE_ITEM_TYPES,
  CONTACT_ITEM_ID,
  DAILY_ITEM_ID,
  memberCollectionId,
  type CircleGrant,
  type Daily,
  type SharedSection,
} from './items.js';

/** One copy as it is (decoded value; undefined when it did not open or read). */
export interface ExistingCopy {
  readonly itemId: string;
  readonly type: string;
  readonly value: unknown;
}

/** One of a member's collections as it is. */
export interface ExistingCollection {
  readonly generation: number;
  readonly items: readonly ExistingCopy[];
}

export interface ReconcileInput {
  /** The owner's grants (circle.grant items). */
  readonly grants: readonly CircleGrant[];
  /** Account ids of the people in the owner's circle now; grants of anyone else are ignored. */
  readonly members: ReadonlySet<string>;
  /** The owner's plans as they are now. */
  readonly plans: readonly PlanSnapshot[];
  /** "How to reach me" (circle.settings `reach`); empty: nothing to share. */
  readonly contact: string;
  /** Today's word or colour, if the owner set one. */
  readonly daily: Daily | null;
  /** Every member collection that exists, by member id. */
  readonly existing: ReadonlyMap<string, readonly ExistingCollection[]>;
}

export type CopyType =
  | typeof CIRCLE_ITEM_TYPES.sharedSection
  | typeof CIRCLE_ITEM_TYPES.contact
  | typeof CIRCLE_ITEM_TYPES.daily
  | typeof CIRCLE_ITEM_TYPES.note;

export interface CopyWrite {
  readonly itemId: string;
  readonly type: CopyType;
  readonly value: unknown;
}

export interface MemberChanges {
  readonly memberId: string;
  /**
   * The collection the member's copies are in after these changes (null: they should have
   * none, e.g. no longer a member).
   */
  readonly collection: string | null;
  /** Its generation: save it in the member's grant when it differs from the grant's. */
  readonly generation: number;
  /** A new generation: make the collection, write, share its key, then drop the old ones. */
  readonly rekey: boolean;
  /** Items written into `collection`. */
  readonly writes: readonly CopyWrite[];
  /** Whole collections to delete, and stop sharing. */
  readonly drop: readonly string[];
}

/** What one member may see now: item id → copy. */
export function desiredCopies(
  grant: CircleGrant,
  plans: readonly PlanSnapshot[],
  contact: string,
  daily: Daily | null,
): Map<string, CopyWrite> {
  const out = new Map<string, CopyWrite>();
  const byPlan = new Map(plans.map((p) => [p.plan.id, p]));
  for (const ref of grant.sections) {
    const plan = byPlan.get(ref.planId);
    const section = plan?.sections.find((s) => s.id === ref.sectionId);
    if (plan === undefined || section === undefined || out.has(section.id)) continue;
    const part = supportersPart(section);
    if (part === null) continue;
    const value: SharedSection = {
      planId: plan.plan.id,
      templateId: plan.plan.templateId,
      section: part,
    };
    out.set(section.id, { itemId: section.id, type: CIRCLE_ITEM_TYPES.sharedSection, value });
  }
  if (grant.contact && contact.trim() !== '') {
    out.set(CONTACT_ITEM_ID, {
      itemId: CONTACT_ITEM_ID,
      type: CIRCLE_ITEM_TYPES.contact,
      value: { reach: contact },
    });
  }
  if (grant.daily && daily !== null) {
    out.set(DAILY_ITEM_ID, { itemId: DAILY_ITEM_ID, type: CIRCLE_ITEM_TYPES.daily, value: daily });
  }
  return out;
}

/** JSON with object keys sorted, to compare values whatever order their keys were written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

/** Entry ids of a copied section (none for text sections or values that do not read). */
function entryIds(value: unknown): Set<string> {
  const section = (value as { section?: Section } | undefined)?.section;
  if (section === undefined || section.kind === 'text' || !Array.isArray(section.entries)) {
    return new Set();
  }
  return new Set(section.entries.map((e) => e.id));
}

/** Whether going from `before` to `after` takes away something the member could see. */
function takesAway(before: ExistingCopy, after: CopyWrite | undefined): boolean {
  if (after === undefined) return true;
  if (before.type !== after.type) return true;
  if (after.type !== CIRCLE_ITEM_TYPES.sharedSection) return false;
  const kept = entryIds(after.value);
  for (const id of entryIds(before.value)) if (!kept.has(id)) return true;
  const wasText = (before.value as { section?: Section } | undefined)?.section?.kind === 'text';
  const isText = (after.value as { section: Section }).section.kind === 'text';
  return wasText !== isText;
}

/** The writes, re-keys and dropped collections that make every member's copies match their grant. */
export function reconcile(input: ReconcileInput): MemberChanges[] {
  const grants = new Map(
    input.grants.filter((g) => input.members.has(g.memberId)).map((g) => [g.memberId, g]),
  );
  const ids = [...new Set([...grants.keys(), ...input.existing.keys()])].sort();
  const changes: MemberChanges[] = [];
  for (const memberId of ids) {
    const existing = [...(input.existing.get(memberId) ?? [])].sort(
      (a, b) => a.generation - b.generation,
    );
    // A member with no grant sees nothing but the reach-out notes sent to them.
    const grant =
      grants.get(memberId) ??
      (input.members.has(memberId) && existing.length > 0
        ? nothingGranted(memberId, existing)
        : undefined);
    if (grant === undefined) {
      if (existing.length > 0) {
        changes.push({
          memberId,
          collection: null,
          generation: existing.at(-1)?.generation ?? 1,
          rekey: false,
          writes: [],
          drop: existing.map((c) => memberCollectionId(memberId, c.generation)),
        });
      }
      continue;
    }
    changes.push(forMember(memberId, grant, existing, input));
  }
  return changes;
}

function nothingGranted(memberId: string, existing: readonly ExistingCollection[]): CircleGrant {
  const generation = Math.max(...existing.map((c) => c.generation));
  return { memberId, sections: [], daily: false, contact: false, generation };
}

function forMember(
  memberId: string,
  grant: CircleGrant,
  existing: readonly ExistingCollection[],
  input: ReconcileInput,
): MemberChanges {
  const desired = desiredCopies(grant, input.plans, input.contact, input.daily);
  const current = Math.max(grant.generation, ...existing.map((c) => c.generation));
  const here = existing.find((c) => c.generation === current)?.items ?? [];
  const older = existing.filter((c) => c.generation !== current);
  // Notes are carried (newest generation wins), never taken away by a grant.
  const notes = new Map<string, ExistingCopy>();
  for (const c of existing) {
    for (const item of c.items) {
      if (item.type === CIRCLE_ITEM_TYPES.note) notes.set(item.itemId, item);
    }
  }
  const held = here.filter((i) => i.type !== CIRCLE_ITEM_TYPES.note);
  const rekey = held.some((i) => takesAway(i, desired.get(i.itemId)));

  if (rekey) {
    const generation = current + 1;
    const writes: CopyWrite[] = [
      ...desired.values(),
      ...[...notes.values()]
        .filter((n) => n.value !== undefined)
        .map((n) => ({ itemId: n.itemId, type: CIRCLE_ITEM_TYPES.note, value: n.value })),
    ];
    return {
      memberId,
      collection: memberCollectionId(memberId, generation),
      generation,
      rekey: true,
      writes,
      drop: existing.map((c) => memberCollectionId(memberId, c.generation)),
    };
  }

  const byId = new Map(held.map((i) => [i.itemId, i]));
  const writes: CopyWrite[] = [];
  for (const want of desired.values()) {
    const have = byId.get(want.itemId);
    if (
      have === undefined ||
      have.value === undefined ||
      canonicalJson(have.value) !== canonicalJson(want.value)
    ) {
      writes.push(want);
    }
  }
  // Notes only in an older collection move to the current one.
  const hereNotes = new Set(
    here.filter((i) => i.type === CIRCLE_ITEM_TYPES.note).map((i) => i.itemId),
  );
  for (const n of notes.values()) {
    if (!hereNotes.has(n.itemId) && n.value !== undefined) {
      writes.push({ itemId: n.itemId, type: CIRCLE_ITEM_TYPES.note, value: n.value });
    }
  }
  return {
    memberId,
    collection: memberCollectionId(memberId, current),
    generation: current,
    rekey: false,
    writes,
    drop: older.map((c) => memberCollectionId(memberId, c.generation)),
  };
}

/** Whether a plan leaves nothing to do. */
export const isSettled = (changes: readonly MemberChanges[]): boolean =>
  changes.every((c) => !c.rekey && c.writes.length === 0 && c.drop.length === 0);
