/**
 * Check-ins through the vault: every tracker, check-in, journal entry, experiment and watched
 * pattern is its own encrypted item in the collection `checkins` (core/src/checkins/schema.ts).
 * Writes go to this device's encrypted store and outbox at once (`vault.put`), so a check-in
 * made offline is kept and synced later.
 *
 * Reads never drop what they cannot understand: an item that does not open or does not validate
 * is reported in `problems` and left untouched in the vault.
 */
import {
  CHECKIN_COLLECTION,
  CHECKIN_ITEM_TYPES,
  checkedEncode,
  dailyValues,
  decodeCheckinItem,
  defaultTrackersEn,
  makeDefaultTrackers,
  type Checkin,
  type CheckinDecodeError,
  type CheckinItem,
  type CheckinItemType,
  type DayTable,
  type Experiment,
  type JournalEntry,
  type Tracker,
  type Watch,
  type Zone,
} from '$core/checkins/index';
import { generateId } from '$core/crypto/ids';
import { scanTypes, type ScanProblem } from '../vault/scan';
import type { Vault } from '../vault/sync/vault';

/** The part of the Vault (sync/vault.ts) the check-ins use. */
export type CheckinVault = Pick<Vault, 'list' | 'put' | 'delete'> & Partial<Pick<Vault, 'sync'>>;

export const ALL_TYPES: readonly CheckinItemType[] = Object.values(CHECKIN_ITEM_TYPES);

/** Something in the vault the check-ins could not use; it is kept as it is. */
export type Problem = ScanProblem<CheckinItemType, CheckinDecodeError>;

export interface CheckinScan {
  readonly trackers: readonly Tracker[];
  /** Newest first (by `at`, the moment the check-in is about). */
  readonly checkins: readonly Checkin[];
  /** Newest first (by `at`). */
  readonly journal: readonly JournalEntry[];
  readonly experiments: readonly Experiment[];
  readonly watches: readonly Watch[];
  /** Items with a local change the server has not applied yet. */
  readonly pending: ReadonlySet<string>;
  /** Items with two versions to choose between (see the conflicts page). */
  readonly conflicted: ReadonlySet<string>;
  readonly problems: readonly Problem[];
}

const DEFAULT_ORDER = new Map(defaultTrackersEn.map((t, i) => [t.key, i]));
const defaultIndex = (id: string) => DEFAULT_ORDER.get(id) ?? DEFAULT_ORDER.size;

/** Oldest tracker first; the default ones in the default check-in's order. */
const trackerOrder = (a: Tracker, b: Tracker) =>
  a.createdAt.localeCompare(b.createdAt) ||
  defaultIndex(a.id) - defaultIndex(b.id) ||
  a.id.localeCompare(b.id);

const byAtNewestFirst = (a: { at: string }, b: { at: string }) =>
  Date.parse(b.at) - Date.parse(a.at) || b.at.localeCompare(a.at);

/** Reads the check-in items of the given types (all of them by default). */
export async function scanCheckins(
  vault: CheckinVault,
  types: readonly CheckinItemType[] = ALL_TYPES,
): Promise<CheckinScan> {
  const s = await scanTypes(vault, CHECKIN_COLLECTION, types, ALL_TYPES, decodeCheckinItem);
  const trackers: Tracker[] = [];
  const checkins: Checkin[] = [];
  const journal: JournalEntry[] = [];
  const experiments: Experiment[] = [];
  const watches: Watch[] = [];
  for (const d of s.values) {
    switch (d.type) {
      case 'checkin.tracker':
        trackers.push(d.value);
        break;
      case 'checkin':
        checkins.push(d.value);
        break;
      case 'checkin.journal':
        journal.push(d.value);
        break;
      case 'checkin.experiment':
        experiments.push(d.value);
        break;
      case 'checkin.watch':
        watches.push(d.value);
        break;
    }
  }
  trackers.sort(trackerOrder);
  checkins.sort(byAtNewestFirst);
  journal.sort(byAtNewestFirst);
  experiments.sort((a, b) => b.startsOn.localeCompare(a.startsOn));
  return { trackers, checkins, journal, experiments, watches, ...s };
}

export type SaveResult = { ok: true } | { ok: false; error: string };

/** Checks and writes one item (encrypted, queued for sync) before returning. */
export async function saveItem(vault: CheckinVault, item: CheckinItem): Promise<SaveResult> {
  const bytes = checkedEncode(item);
  if (!bytes.ok) return { ok: false, error: bytes.error.code };
  const r = await vault.put(CHECKIN_COLLECTION, item.type, item.value.id, bytes.value);
  return r.ok ? { ok: true } : { ok: false, error: r.error };
}

/** Removes one item from this device and (by sync) every device; one already gone is fine. */
export async function deleteItem(vault: CheckinVault, itemId: string): Promise<SaveResult> {
  const r = await vault.delete(CHECKIN_COLLECTION, itemId);
  return r.ok || r.error === 'not_found' ? { ok: true } : { ok: false, error: r.error };
}

export const saveTracker = (vault: CheckinVault, value: Tracker) =>
  saveItem(vault, { type: 'checkin.tracker', value });
export const saveCheckin = (vault: CheckinVault, value: Checkin) =>
  saveItem(vault, { type: 'checkin', value });
export const saveJournal = (vault: CheckinVault, value: JournalEntry) =>
  saveItem(vault, { type: 'checkin.journal', value });
export const saveExperiment = (vault: CheckinVault, value: Experiment) =>
  saveItem(vault, { type: 'checkin.experiment', value });
export const saveWatch = (vault: CheckinVault, value: Watch) =>
  saveItem(vault, { type: 'checkin.watch', value });

/** How long adding the default trackers waits for a sync that may bring them. */
const SYNC_FIRST_MS = 5_000;

/** A fresh item id (random, URL-safe; see core/src/crypto/ids.ts). */
export const newId = (): string => generateId();

/**
 * The person's trackers, adding the default ones the first time (their ids are their keys, so a
 * second device that does the same writes the same items rather than a second set). Once any
 * tracker exists, nothing is added: archived or renamed defaults stay as the person left them.
 */
export async function trackersOrDefaults(
  vault: CheckinVault,
  now: string,
  translate?: (key: string) => string,
): Promise<{ trackers: readonly Tracker[]; added: boolean }> {
  const found = () => scanCheckins(vault, [CHECKIN_ITEM_TYPES.tracker]);
  let s = await found();
  if (s.trackers.length > 0 || s.problems.length > 0) return { trackers: s.trackers, added: false };
  // None here yet: another device may already have written them (a second device opening a
  // check-in page before its first sync). Ask the server first, briefly; offline, go on.
  if (vault.sync !== undefined) {
    const synced = vault.sync().catch(() => undefined);
    await Promise.race([synced, new Promise((r) => setTimeout(r, SYNC_FIRST_MS))]);
    s = await found();
    if (s.trackers.length > 0 || s.problems.length > 0) {
      return { trackers: s.trackers, added: false };
    }
  }
  const defaults = makeDefaultTrackers(now, translate);
  for (const tracker of defaults) {
    const r = await saveTracker(vault, tracker);
    if (!r.ok) return { trackers: s.trackers, added: false };
  }
  return { trackers: defaults, added: true };
}

/** The viewer's own time zone, for bucketing check-ins into their days. */
export const deviceZone = (): Zone => ({
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
});

/** Every day's values from the person's check-ins (archived trackers included: history stays). */
export function tableOf(
  scan: Pick<CheckinScan, 'checkins' | 'trackers'>,
  zone: Zone = deviceZone(),
): DayTable {
  return dailyValues(scan.checkins, scan.trackers, zone);
}
