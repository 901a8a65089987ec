/**
 * What a suggestion or a version changes (docs/RESOURCES.md, "Keepers, suggestions, history").
 *
 * `diffResources(before, after)` lists field changes: leaves of the content by path, where lists
 * of things with ids (phones, locations, weekly openings, closures) are matched by id
 * (`phones[id=…].number`), so a reordered or inserted phone is not "everything changed"; lists of
 * plain values (kinds, languages, days) are compared whole; a changed order of an id list is one
 * change at `<list>#order`. Changed text carries word-level parts (`diffWords`, jsdiff, as plans).
 *
 * `rebaseSuggestion(base, suggested, current)` applies a suggestion written against an older
 * version to the current one, field by top-level field: a field the suggestion changed is taken
 * from it; others stay as they are now. Fields changed both in the suggestion and since its base
 * (differently) are returned as conflicts for the keeper to settle on the page.
 */
import { diffWords } from '../plans/versions.js';
import type { FieldChange, ResourceContent } from './api.js';

type Leaf = string | number | boolean | null | readonly unknown[];

const isPlainList = (v: readonly unknown[]) =>
  !v.some((x) => typeof x === 'object' && x !== null && 'id' in x);

function flatten(value: unknown, path: string, out: Map<string, Leaf>): void {
  if (Array.isArray(value)) {
    if (isPlainList(value)) {
      out.set(path, value);
      return;
    }
    out.set(`${path}#order`, value.map((x) => (x as { id: string }).id).join(','));
    for (const x of value as { id: string }[]) flatten(x, `${path}[id=${x.id}]`, out);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(path, null);
    for (const [k, v] of entries) flatten(v, path ? `${path}.${k}` : k, out);
    return;
  }
  out.set(path, value as Leaf);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Field changes from `before` (null: a new resource) to `after`, in the order of `after`. */
export function diffResources(
  before: ResourceContent | null,
  after: ResourceContent,
): FieldChange[] {
  const a = new Map<string, Leaf>();
  const b = new Map<string, Leaf>();
  if (before) flatten(before, '', a);
  flatten(after, '', b);
  const changes: FieldChange[] = [];
  for (const [path, v] of b) {
    if (!a.has(path)) {
      if (v === null || (Array.isArray(v) && v.length === 0)) continue;
      if (path.endsWith('#order')) continue;
      changes.push({ path, change: 'added', before: null, after: v, words: null });
    } else if (!same(a.get(path), v)) {
      const old = a.get(path);
      const orderOnly =
        path.endsWith('#order') &&
        typeof old === 'string' &&
        typeof v === 'string' &&
        same(old.split(',').sort(), v.split(',').sort());
      if (path.endsWith('#order') && !orderOnly) continue; // items added or removed say it
      changes.push({
        path,
        change: 'changed',
        before: old,
        after: v,
        words:
          typeof old === 'string' && typeof v === 'string' && !path.endsWith('#order')
            ? diffWords(old, v)
            : null,
      });
    }
  }
  for (const [path, v] of a) {
    if (b.has(path) || path.endsWith('#order')) continue;
    if (v === null || (Array.isArray(v) && v.length === 0)) continue;
    changes.push({ path, change: 'removed', before: v, after: null, words: null });
  }
  return changes;
}

export interface Rebased {
  readonly content: ResourceContent;
  /** Top-level fields the suggestion changed that also changed since its base, differently. */
  readonly conflicts: (keyof ResourceContent)[];
}

/** A suggestion written against `base`, applied to `current` field by top-level field. */
export function rebaseSuggestion(
  base: ResourceContent,
  suggested: ResourceContent,
  current: ResourceContent,
): Rebased {
  const content = { ...current } as Record<keyof ResourceContent, unknown>;
  const conflicts: (keyof ResourceContent)[] = [];
  for (const key of Object.keys(suggested) as (keyof ResourceContent)[]) {
    if (same(base[key], suggested[key])) continue;
    if (!same(base[key], current[key]) && !same(current[key], suggested[key])) conflicts.push(key);
    content[key] = suggested[key];
  }
  return { content: content as ResourceContent, conflicts };
}
