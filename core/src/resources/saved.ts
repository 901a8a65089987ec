/**
 * A person's saved resources (docs/RESOURCES.md, "What is readable by whom"): one vault item of
 * type `resources.saved` in collection `resources`, UTF-8 JSON, encrypted in the browser like plans.
 * The server stores its ciphertext and never learns who saved what. The item's id is random (never
 * a resource id). Each entry keeps a copy of the resource as last fetched, which is what opens
 * offline; copies are refreshed from the directory's changes feed (`refreshSaved`), never by
 * asking the server for this person's resources by id.
 */
import { z } from 'zod';
import { utf8 } from '../crypto/canonical.js';
import { parseJsonItem, type JsonItemError } from '../vault/json-item.js';
import type { Result } from '../result.js';
import { prose, resourceWireSchema, type ResourceWire } from './api.js';
import { CRISIS_FACTS } from './crisis.js';
import { uuidSchema } from './hours-schema.js';

export const SAVED_COLLECTION = 'resources';
export const SAVED_ITEM_TYPE = 'resources.saved';
export const SAVED_LIMITS = {
  entries: 200,
  note: 1_000,
  /** The web app refuses to save more past this (under the vault's 1 MiB envelope). */
  maxItemBytes: 768 * 1024,
} as const;

export const savedEntrySchema = z.strictObject({
  resourceId: uuidSchema,
  savedAt: z.iso.datetime(),
  /** The person's own words about it ("ask for Jo", "they were kind"). */
  note: prose(SAVED_LIMITS.note).nullable(),
  /** Shown in "when things are hard" and on the crisis plan's pocket card. */
  inCrisisView: z.boolean(),
  /** Private unless the person shares it with supporters (then its name and ways to reach only). */
  visibility: z.enum(['private', 'supporters']),
  /** The resource as last fetched: what opens offline. */
  copy: resourceWireSchema,
  refreshedAt: z.iso.datetime(),
  /** Crisis facts whose value changed since the person saved or last looked; cleared when seen. */
  crisisChanged: z.boolean(),
});
export type SavedEntry = z.infer<typeof savedEntrySchema>;

export const savedListSchema = z.strictObject({
  v: z.literal(1),
  entries: z
    .array(savedEntrySchema)
    .max(SAVED_LIMITS.entries)
    .refine((es) => new Set(es.map((e) => e.resourceId)).size === es.length, {
      message: 'must not save a resource twice',
    }),
});
export type SavedList = z.infer<typeof savedListSchema>;

export const emptySavedList = (): SavedList => ({ v: 1, entries: [] });

export const encodeSavedList = (list: SavedList): Uint8Array => utf8(JSON.stringify(list));
export const decodeSavedList = (bytes: Uint8Array): Result<SavedList, JsonItemError> =>
  parseJsonItem(savedListSchema, bytes);

/** The entries for the crisis view, in the person's order. */
export const crisisViewEntries = (list: SavedList): SavedEntry[] =>
  list.entries.filter((e) => e.inCrisisView);

const crisisValues = (r: ResourceWire) =>
  CRISIS_FACTS.map((f) => r.content.crisis.facts[f].value).join(',');

/**
 * Applies a page of the changes feed to the saved copies: entries whose resource changed get the
 * new copy (older or equal versions are ignored); `crisisChanged` is set when a crisis fact's value
 * changed. Returns the new list and the ids refreshed; the list is unchanged when none were saved.
 */
export function refreshSaved(
  list: SavedList,
  changes: readonly ResourceWire[],
  nowIso: string,
): { list: SavedList; refreshed: string[] } {
  const byId = new Map(changes.map((c) => [c.id, c]));
  const refreshed: string[] = [];
  const entries = list.entries.map((e) => {
    const fresh = byId.get(e.resourceId);
    if (!fresh || fresh.version <= e.copy.version) return e;
    refreshed.push(e.resourceId);
    return {
      ...e,
      copy: fresh,
      refreshedAt: nowIso,
      crisisChanged: e.crisisChanged || crisisValues(fresh) !== crisisValues(e.copy),
    };
  });
  return refreshed.length ? { list: { ...list, entries }, refreshed } : { list, refreshed };
}
