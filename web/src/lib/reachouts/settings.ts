/**
 * What the reach-out page reads from the person's own `circle` collection: their reaching-out
 * settings (`circle.settings`: who is reached first and next for each level, after how many
 * minutes, the resources shown while they wait) and their pod map (names and how to reach people).
 * All of it is in this device's vault, so it opens offline.
 *
 * Items are checked with their core schemas (core/src/circles/items.ts).
 */
import { REACHOUT_LEVELS, type ReachoutLevel } from '$core/circles/api';
import { CIRCLE_ITEM_TYPES, decodeCircleItem, SETTINGS_ITEM_ID } from '$core/circles/items';
import { CIRCLE_COLLECTION, listPeople, type Person, type PodVault } from '$lib/circles/ui/pod';

export interface LevelSettings {
  /** Account ids reached at once. */
  readonly first: readonly string[];
  /** Account ids reached if nobody answers within `afterMinutes`. */
  readonly next: readonly string[];
  readonly afterMinutes: number | null;
}

export interface ReachSettings {
  readonly levels: Partial<Record<ReachoutLevel, LevelSettings>>;
  readonly reach: string;
  readonly resources: readonly { readonly name: string; readonly reach: string }[];
}

export const EMPTY_SETTINGS: ReachSettings = { levels: {}, reach: '', resources: [] };

/**
 * Reads `circle.settings`. People in it may be named by account id or by the pod map entry's id;
 * both become account ids (entries without an account cannot be reached by Tend and are left out).
 */
export function readSettings(plaintext: Uint8Array, people: readonly Person[]): ReachSettings {
  const parsed = decodeCircleItem(CIRCLE_ITEM_TYPES.settings, plaintext);
  if (!parsed.ok) return EMPTY_SETTINGS;
  const byEntry = new Map(
    people.filter((p) => p.accountId !== undefined).map((p) => [p.id, p.accountId as string]),
  );
  const toAccounts = (list: readonly string[] | undefined) => [
    ...new Set((list ?? []).map((id) => byEntry.get(id) ?? id)),
  ];
  const levels: Partial<Record<ReachoutLevel, LevelSettings>> = {};
  for (const level of REACHOUT_LEVELS) {
    const l = parsed.value.levels?.[level];
    if (l === undefined) continue;
    levels[level] = {
      first: toAccounts(l.first),
      next: toAccounts(l.next),
      afterMinutes: l.afterMinutes,
    };
  }
  return {
    levels,
    reach: parsed.value.reach,
    resources: parsed.value.resources.filter((r) => r.name !== '' || r.reach !== ''),
  };
}

export interface OwnCircle {
  readonly settings: ReachSettings;
  readonly people: readonly Person[];
}

/** The person's settings and pod map, from this device (works offline). */
export async function loadOwnCircle(vault: PodVault): Promise<OwnCircle> {
  const [{ people }, listing] = await Promise.all([
    listPeople(vault),
    vault.list(CIRCLE_COLLECTION, CIRCLE_ITEM_TYPES.settings),
  ]);
  const item = listing.items.find((i) => i.itemId === SETTINGS_ITEM_ID) ?? listing.items[0];
  return { people, settings: item ? readSettings(item.plaintext, people) : EMPTY_SETTINGS };
}
