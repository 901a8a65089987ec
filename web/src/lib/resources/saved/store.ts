/**
 * The person's saved places through the vault (docs/RESOURCES.md, "What is readable by whom"):
 * one encrypted item of type `resources.saved` in the collection `resources`, its id random (never
 * a resource id). Each entry keeps a copy of the resource as last fetched, which is what opens
 * offline. Copies are refreshed from the whole directory's changes feed, never by asking the
 * server for this person's resources.
 *
 * Writes go to this device's encrypted store and outbox at once (`vault.put`). If two devices each
 * started a list before syncing, the lists are read as one (entries joined by resource, the newer
 * copy kept) and written back as one item.
 */
import { generateId } from '$core/crypto/ids';
import type { ResourceWire } from '$core/resources/api';
import {
  SAVED_COLLECTION,
  SAVED_ITEM_TYPE,
  SAVED_LIMITS,
  decodeSavedList,
  emptySavedList,
  encodeSavedList,
  refreshSaved,
  savedListSchema,
  type SavedEntry,
  type SavedList,
} from '$core/resources/saved';
import type { ApiResult } from '../../api/client';
import type { Vault } from '../../vault/sync/vault';

/** The part of the Vault (sync/vault.ts) the saved list uses. */
export type SavedVault = Pick<Vault, 'list' | 'put' | 'delete'>;

export interface LoadedSaved {
  /** The item holding the list; null while nothing was ever saved on this account. */
  readonly itemId: string | null;
  readonly list: SavedList;
  /** Other items of the type, joined into this one on the next write. */
  readonly extra: readonly string[];
  /** The list has a change not synced yet. */
  readonly pending: boolean;
  /** Items that did not open or validate (kept as they are). */
  readonly problems: number;
}

export type SavedError =
  'full' | 'too_large' | 'not_saved' | 'invalid' | 'network' | 'server' | (string & {});

export type SavedResult<T = LoadedSaved> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SavedError };

const newer = (a: SavedEntry, b: SavedEntry) =>
  b.copy.version > a.copy.version ||
  (b.copy.version === a.copy.version && b.refreshedAt > a.refreshedAt)
    ? b
    : a;

/** Reads the saved list (several items, from devices that did not sync yet, read as one). */
export async function loadSaved(vault: SavedVault): Promise<LoadedSaved> {
  const listing = await vault.list(SAVED_COLLECTION, SAVED_ITEM_TYPE);
  const items = [...listing.items].sort((a, b) => a.itemId.localeCompare(b.itemId));
  let problems = listing.failures.length;
  const lists: { itemId: string; list: SavedList; pending: boolean }[] = [];
  for (const item of items) {
    const decoded = decodeSavedList(item.plaintext);
    if (decoded.ok) lists.push({ itemId: item.itemId, list: decoded.value, pending: item.pending });
    else problems += 1;
  }
  const first = lists[0];
  if (first === undefined) {
    return { itemId: null, list: emptySavedList(), extra: [], pending: false, problems };
  }
  const byId = new Map<string, SavedEntry>();
  for (const { list } of lists) {
    for (const e of list.entries) {
      const had = byId.get(e.resourceId);
      byId.set(e.resourceId, had === undefined ? e : newer(had, e));
    }
  }
  return {
    itemId: first.itemId,
    list: { v: 1, entries: [...byId.values()].slice(0, SAVED_LIMITS.entries) },
    extra: lists.slice(1).map((l) => l.itemId),
    pending: lists.some((l) => l.pending),
    problems,
  };
}

/** Writes the list (checked, within the size limit) and folds any extra items into it. */
async function write(vault: SavedVault, from: LoadedSaved, list: SavedList): Promise<SavedResult> {
  const checked = savedListSchema.safeParse(list);
  if (!checked.success) return { ok: false, error: 'invalid' };
  const bytes = encodeSavedList(checked.data);
  if (bytes.byteLength > SAVED_LIMITS.maxItemBytes) return { ok: false, error: 'too_large' };
  const itemId = from.itemId ?? generateId();
  const r = await vault.put(SAVED_COLLECTION, SAVED_ITEM_TYPE, itemId, bytes);
  if (!r.ok) return { ok: false, error: r.error };
  for (const id of from.extra) await vault.delete(SAVED_COLLECTION, id);
  return {
    ok: true,
    value: { itemId, list: checked.data, extra: [], pending: true, problems: from.problems },
  };
}

/** Reads, changes one entry with `change`, writes. */
async function updateEntry(
  vault: SavedVault,
  resourceId: string,
  change: (e: SavedEntry) => SavedEntry | null,
): Promise<SavedResult> {
  const now = await loadSaved(vault);
  const at = now.list.entries.findIndex((e) => e.resourceId === resourceId);
  const entry = now.list.entries[at];
  if (entry === undefined) return { ok: false, error: 'not_saved' };
  const next = change(entry);
  const entries = [...now.list.entries];
  if (next === null) entries.splice(at, 1);
  else entries[at] = next;
  return write(vault, now, { ...now.list, entries });
}

export const findEntry = (list: SavedList, resourceId: string): SavedEntry | undefined =>
  list.entries.find((e) => e.resourceId === resourceId);

/**
 * Saves a resource with a copy of it as fetched now (again: the copy is replaced, the person's
 * note and choices kept). `full` past 200 places, `too_large` past the item's size limit.
 */
export async function saveResource(
  vault: SavedVault,
  resource: ResourceWire,
  nowIso: string,
): Promise<SavedResult> {
  const now = await loadSaved(vault);
  const had = findEntry(now.list, resource.id);
  if (had === undefined && now.list.entries.length >= SAVED_LIMITS.entries) {
    return { ok: false, error: 'full' };
  }
  const entry: SavedEntry = had
    ? { ...had, copy: resource, refreshedAt: nowIso }
    : {
        resourceId: resource.id,
        savedAt: nowIso,
        note: null,
        inCrisisView: false,
        visibility: 'private',
        copy: resource,
        refreshedAt: nowIso,
        crisisChanged: false,
      };
  const entries = had
    ? now.list.entries.map((e) => (e.resourceId === resource.id ? entry : e))
    : [...now.list.entries, entry];
  return write(vault, now, { ...now.list, entries });
}

/**
 * A newer version of a saved resource seen on its page: the copy is brought up to date as the
 * changes feed would (`refreshSaved`: newer versions only, `crisisChanged` when a crisis fact's
 * value changed). Nothing is written when it is not saved or not newer.
 */
export async function updateCopy(
  vault: SavedVault,
  resource: ResourceWire,
  nowIso: string,
): Promise<SavedResult<LoadedSaved & { refreshed: boolean }>> {
  const now = await loadSaved(vault);
  const { list, refreshed } = refreshSaved(now.list, [resource], nowIso);
  if (refreshed.length === 0) return { ok: true, value: { ...now, refreshed: false } };
  const w = await write(vault, now, list);
  return w.ok ? { ok: true, value: { ...w.value, refreshed: true } } : w;
}

/** Takes a place off the list (its note and copy go with it). */
export const unsave = (vault: SavedVault, resourceId: string): Promise<SavedResult> =>
  updateEntry(vault, resourceId, () => null);

/** The person's own words about a place (empty: none). */
export function setNote(vault: SavedVault, resourceId: string, note: string): Promise<SavedResult> {
  const trimmed = note.trim();
  if (trimmed.length > SAVED_LIMITS.note) return Promise.resolve({ ok: false, error: 'invalid' });
  return updateEntry(vault, resourceId, (e) => ({ ...e, note: trimmed === '' ? null : trimmed }));
}

/** Shown in "when things are hard" and on the pocket card, or not. */
export const setCrisisView = (
  vault: SavedVault,
  resourceId: string,
  inCrisisView: boolean,
): Promise<SavedResult> => updateEntry(vault, resourceId, (e) => ({ ...e, inCrisisView }));

/** The person has seen that what it does in a crisis changed. */
export const acknowledgeCrisisChange = (
  vault: SavedVault,
  resourceId: string,
): Promise<SavedResult> => updateEntry(vault, resourceId, (e) => ({ ...e, crisisChanged: false }));

/** Where this device keeps its place in the changes feed (per saved item). */
export interface CursorStore {
  get(itemId: string): string | undefined;
  set(itemId: string, cursor: string): void;
}

const CURSOR_KEY = 'tend.resources.changesCursor.';

/** The cursor in this browser's localStorage (a number; nothing about what was saved). */
export const localCursor: CursorStore = {
  get(itemId) {
    try {
      return localStorage.getItem(CURSOR_KEY + itemId) ?? undefined;
    } catch {
      return undefined;
    }
  },
  set(itemId, cursor) {
    try {
      localStorage.setItem(CURSOR_KEY + itemId, cursor);
    } catch {
      // Private mode or storage full: the next refresh reads the feed from the start.
    }
  },
};

export type FetchChanges = (
  since: string | undefined,
) => Promise<ApiResult<{ changes: ResourceWire[]; cursor: string; complete: boolean }>>;

/** At most this many pages of the feed in one refresh (500 each: far past any directory). */
const MAX_PAGES = 50;

/**
 * Reads the changes feed from this device's cursor to the end (page after page while
 * `complete` is false), applies it to the copies (`refreshSaved`), and writes the list when any
 * copy changed. Entries whose resource did not change keep their `refreshedAt`.
 */
export async function refreshFromChanges(
  vault: SavedVault,
  fetchChanges: FetchChanges,
  nowIso: string,
  cursors: CursorStore = localCursor,
): Promise<SavedResult<LoadedSaved & { refreshed: string[] }>> {
  const first = await loadSaved(vault);
  if (first.itemId === null || first.list.entries.length === 0) {
    return { ok: true, value: { ...first, refreshed: [] } };
  }
  const itemId = first.itemId;
  let since = cursors.get(itemId);
  const saved = new Set(first.list.entries.map((e) => e.resourceId));
  const changed = new Map<string, ResourceWire>();
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const r = await fetchChanges(since);
    if (!r.ok) return { ok: false, error: r.code === 'network' ? 'network' : 'server' };
    for (const c of r.value.changes) if (saved.has(c.id)) changed.set(c.id, c);
    since = r.value.cursor;
    if (r.value.complete) break;
  }
  // Read again: the person may have changed the list while the feed was read.
  const now = await loadSaved(vault);
  const { list, refreshed } = refreshSaved(now.list, [...changed.values()], nowIso);
  let result: LoadedSaved = now;
  if (refreshed.length > 0 || now.extra.length > 0) {
    const w = await write(vault, now, list);
    if (!w.ok) return w;
    result = w.value;
  }
  if (since !== undefined) cursors.set(result.itemId ?? itemId, since);
  return { ok: true, value: { ...result, refreshed } };
}
