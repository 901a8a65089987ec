/**
 * Plan history: versions (whole-plan snapshots), readable diffs, restore, retention, and when
 * autosave should make a version.
 *
 * Coalescing rule (`shouldSnapshot`): autosave writes the plan and its sections on every change,
 * but a version is made only when the content changed since the last version AND either
 *   - there is no version yet, or
 *   - the person leaves the editor (`reason: 'leave'`: navigating away, closing the tab, the page
 *     becoming hidden), or
 *   - at least SNAPSHOT_INTERVAL_MS (10 minutes) passed since the last version (a clock that
 *     went backwards by as much counts too, so a skewed clock can't stop versions for ever).
 * So an hour of steady typing makes about six versions, and every editing session ends in one.
 */
import { diffArrays, diffWordsWithSpace } from 'diff';
import { generateId } from '../crypto/ids.js';
import { err, ok, type Result } from '../result.js';
import { checkSnapshot, type PlanError } from './ops.js';
import {
  type Entry,
  type PlanSnapshot,
  type PlanVersion,
  type Section,
  type Visibility,
} from './schema.js';

export const SNAPSHOT_INTERVAL_MS = 10 * 60 * 1000;

/** A version of the plan as it is now. */
export function makeVersion(
  snapshot: PlanSnapshot,
  now: string,
  note?: string,
  options: { id?: string; restoredFrom?: string } = {},
): PlanVersion {
  return {
    v: 1,
    id: options.id ?? generateId(),
    planId: snapshot.plan.id,
    savedAt: now,
    ...(note === undefined ? {} : { note }),
    ...(options.restoredFrom === undefined ? {} : { restoredFrom: options.restoredFrom }),
    snapshot: structuredClone(snapshot),
  };
}

/** Whether autosave should also make a version now (see the rule at the top of this file). */
export function shouldSnapshot(
  lastVersionAt: string | null,
  now: string,
  changed: boolean,
  reason: 'edit' | 'leave' = 'edit',
): boolean {
  if (!changed) return false;
  if (lastVersionAt === null || reason === 'leave') return true;
  const elapsed = Date.parse(now) - Date.parse(lastVersionAt);
  if (Number.isNaN(elapsed)) return true;
  return Math.abs(elapsed) >= SNAPSHOT_INTERVAL_MS;
}

const newestFirst = (a: { id: string; savedAt: string }, b: { id: string; savedAt: string }) =>
  a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/**
 * The versions to delete so that at most `keepVersions` remain: the oldest ones, oldest first.
 * The newest version is never among them, whatever `keepVersions` says.
 */
export function versionsToPrune<V extends { readonly id: string; readonly savedAt: string }>(
  versions: readonly V[],
  keepVersions: number,
): V[] {
  const keep = Math.max(1, Math.floor(Number.isFinite(keepVersions) ? keepVersions : 1));
  return versions.slice().sort(newestFirst).slice(keep).reverse();
}

// ---------------------------------------------------------------------------------------------
// Diff

export interface WordChange {
  readonly op: 'same' | 'added' | 'removed';
  readonly text: string;
}

export interface Change<T> {
  readonly from: T;
  readonly to: T;
}

export interface FieldChange {
  /** `text`, `name`, `reach`, `role`, `helps`, `hinders`, `involve`, `stance` or `visibility`. */
  readonly field: string;
  readonly from: string;
  readonly to: string;
  /** Word-level changes, for the free-text fields. */
  readonly words?: readonly WordChange[];
}

export type EntryChange =
  | {
      readonly type: 'added';
      readonly entryId: string;
      readonly index: number;
      readonly entry: Entry;
    }
  | {
      readonly type: 'removed';
      readonly entryId: string;
      /** Index in the older snapshot. */
      readonly index: number;
      readonly entry: Entry;
    }
  | {
      readonly type: 'changed';
      readonly entryId: string;
      readonly index: number;
      /** Its place among the entries both snapshots share changed. */
      readonly moved: boolean;
      readonly fields: readonly FieldChange[];
    };

export type SectionChange =
  | {
      readonly type: 'added';
      readonly sectionId: string;
      readonly index: number;
      readonly section: Section;
    }
  | {
      readonly type: 'removed';
      readonly sectionId: string;
      /** Index in the older snapshot. */
      readonly index: number;
      readonly section: Section;
    }
  | {
      readonly type: 'changed';
      readonly sectionId: string;
      /** Index in the newer snapshot. */
      readonly index: number;
      /** The newer title. */
      readonly title: string;
      readonly renamed?: Change<string>;
      /** Its place among the sections both snapshots share changed. */
      readonly moved: boolean;
      readonly visibility?: Change<Visibility>;
      /** Word-level changes of a text body. */
      readonly body?: readonly WordChange[];
      readonly entries: readonly EntryChange[];
    };

export interface PlanDiff {
  /** False when the two snapshots have the same content (times aside). */
  readonly changed: boolean;
  readonly title?: Change<string>;
  readonly pinned?: Change<boolean>;
  readonly keepVersions?: Change<number>;
  /** Added and changed sections in the newer order, then removed ones in the older order. */
  readonly sections: readonly SectionChange[];
}

/** Word diff; falls back to "all removed, all added" when the texts are too different to diff fast. */
export function diffWords(from: string, to: string): WordChange[] {
  if (from === to) return from === '' ? [] : [{ op: 'same', text: from }];
  const changes = diffWordsWithSpace(from, to, { timeout: 250 });
  if (changes === undefined) {
    return [
      ...(from === '' ? [] : [{ op: 'removed' as const, text: from }]),
      ...(to === '' ? [] : [{ op: 'added' as const, text: to }]),
    ];
  }
  return changes.map((c) => ({
    op: c.added ? 'added' : c.removed ? 'removed' : 'same',
    text: c.value,
  }));
}

/** Ids whose relative order differs between two lists (the ones not on a longest common run). */
function movedIds(from: readonly string[], to: readonly string[]): Set<string> {
  const inTo = new Set(to);
  const inFrom = new Set(from);
  const a = from.filter((id) => inTo.has(id));
  const b = to.filter((id) => inFrom.has(id));
  const moved = new Set<string>();
  for (const change of diffArrays(a, b)) {
    if (change.added || change.removed) for (const id of change.value) moved.add(id);
  }
  return moved;
}

const TEXT_FIELDS = new Set(['text', 'name', 'reach', 'role', 'helps', 'hinders']);

function entryFieldChanges(a: Entry, b: Entry): FieldChange[] {
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
  fields.delete('id');
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const from = (a as unknown as Record<string, string | undefined>)[field] ?? '';
    const to = (b as unknown as Record<string, string | undefined>)[field] ?? '';
    if (from === to) continue;
    changes.push(
      TEXT_FIELDS.has(field)
        ? { field, from, to, words: diffWords(from, to) }
        : { field, from, to },
    );
  }
  return changes;
}

function diffEntries(a: readonly Entry[], b: readonly Entry[]): EntryChange[] {
  const before = new Map(a.map((e, i) => [e.id, { e, i }]));
  const after = new Set(b.map((e) => e.id));
  const moved = movedIds(
    a.map((e) => e.id),
    b.map((e) => e.id),
  );
  const changes: EntryChange[] = [];
  b.forEach((entry, index) => {
    const old = before.get(entry.id);
    if (!old) {
      changes.push({ type: 'added', entryId: entry.id, index, entry });
      return;
    }
    const fields = entryFieldChanges(old.e, entry);
    const isMoved = moved.has(entry.id);
    if (fields.length > 0 || isMoved) {
      changes.push({ type: 'changed', entryId: entry.id, index, moved: isMoved, fields });
    }
  });
  a.forEach((entry, index) => {
    if (!after.has(entry.id)) changes.push({ type: 'removed', entryId: entry.id, index, entry });
  });
  return changes;
}

const entriesOf = (s: Section): readonly Entry[] => (s.kind === 'text' ? [] : s.entries);

/** A readable, structured diff from `a` (older) to `b` (newer). */
export function diffSnapshots(a: PlanSnapshot, b: PlanSnapshot): PlanDiff {
  const before = new Map(a.sections.map((s, i) => [s.id, { s, i }]));
  const moved = movedIds(a.plan.sectionIds, b.plan.sectionIds);
  const sections: SectionChange[] = [];
  const replaced = new Set<string>();
  b.sections.forEach((section, index) => {
    const old = before.get(section.id);
    if (!old || old.s.kind !== section.kind) {
      if (old) replaced.add(section.id);
      sections.push({ type: 'added', sectionId: section.id, index, section });
      return;
    }
    const from = old.s;
    const body =
      from.kind === 'text' && section.kind === 'text' && from.body !== section.body
        ? diffWords(from.body, section.body)
        : undefined;
    const entries = diffEntries(entriesOf(from), entriesOf(section));
    const isMoved = moved.has(section.id);
    const renamed = from.title !== section.title;
    const visibility = from.visibility !== section.visibility;
    if (body || entries.length > 0 || isMoved || renamed || visibility) {
      sections.push({
        type: 'changed',
        sectionId: section.id,
        index,
        title: section.title,
        ...(renamed ? { renamed: { from: from.title, to: section.title } } : {}),
        moved: isMoved,
        ...(visibility ? { visibility: { from: from.visibility, to: section.visibility } } : {}),
        ...(body ? { body } : {}),
        entries,
      });
    }
  });
  const after = new Set(b.sections.map((s) => s.id));
  a.sections.forEach((section, index) => {
    if (!after.has(section.id) || replaced.has(section.id)) {
      sections.push({ type: 'removed', sectionId: section.id, index, section });
    }
  });
  const pa = a.plan;
  const pb = b.plan;
  const title = pa.title !== pb.title ? { from: pa.title, to: pb.title } : undefined;
  const pinned = pa.pinned !== pb.pinned ? { from: pa.pinned, to: pb.pinned } : undefined;
  const keep =
    pa.retention.keepVersions !== pb.retention.keepVersions
      ? { from: pa.retention.keepVersions, to: pb.retention.keepVersions }
      : undefined;
  return {
    changed:
      sections.length > 0 || title !== undefined || pinned !== undefined || keep !== undefined,
    ...(title ? { title } : {}),
    ...(pinned ? { pinned } : {}),
    ...(keep ? { keepVersions: keep } : {}),
    sections,
  };
}

/** True when the content differs (times aside): what `shouldSnapshot` calls `changed`. */
export const contentChanged = (a: PlanSnapshot, b: PlanSnapshot): boolean =>
  diffSnapshots(a, b).changed;

export interface Restored {
  /** The plan with the old version's content: same plan id, creation time, pin and retention. */
  readonly snapshot: PlanSnapshot;
  /** A version of the plan as it was just before the restore, so nothing is lost. */
  readonly before: PlanVersion;
  /** The restore itself, as a new version (`restoredFrom` = the old version's id), saved 1 ms later. */
  readonly version: PlanVersion;
  /** Sections of the current plan that the restored one doesn't have: delete their items. */
  readonly removedSectionIds: readonly string[];
}

/**
 * Restores an old version's content (title and sections, with their ids) into the current plan.
 * Pin and retention stay as they are now: they are settings, not content.
 */
export function restoreVersion(
  current: PlanSnapshot,
  version: PlanVersion,
  now: string,
  options: { note?: string; beforeNote?: string; newId?: () => string } = {},
): Result<Restored, PlanError> {
  const newId = options.newId ?? (() => generateId());
  const id = current.plan.id;
  const old = version.snapshot;
  const sections = old.sections.map((s) => ({ ...structuredClone(s), planId: id, updatedAt: now }));
  const checked = checkSnapshot({
    plan: {
      ...old.plan,
      id,
      createdAt: current.plan.createdAt,
      updatedAt: now,
      pinned: current.plan.pinned,
      retention: current.plan.retention,
      sectionIds: sections.map((s) => s.id),
    },
    sections,
  });
  if (!checked.ok) return checked;
  const savedAt = Date.parse(now);
  if (Number.isNaN(savedAt)) {
    return err({ code: 'invalid', issues: [{ path: 'now', message: 'must be a time' }] });
  }
  const later = new Date(savedAt + 1).toISOString();
  const kept = new Set(checked.value.plan.sectionIds);
  return ok({
    snapshot: checked.value,
    before: makeVersion(current, now, options.beforeNote, { id: newId() }),
    version: makeVersion(checked.value, later, options.note, {
      id: newId(),
      restoredFrom: version.id,
    }),
    removedSectionIds: current.plan.sectionIds.filter((s) => !kept.has(s)),
  });
}
