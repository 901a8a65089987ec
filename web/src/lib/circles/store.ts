/**
 * The owner's circle items in their private `circle` collection (core/src/circles/items.ts):
 * people on the pod map, settings, pins, grants, link shares and notes for afterwards. Writes go
 * to this device's encrypted store and outbox at once (`vault.put`), so the circle works offline.
 * Reads never drop what they cannot understand: such items are reported in `problems` and left
 * untouched in the vault.
 */
import {
  CIRCLE_COLLECTION,
  CIRCLE_ITEM_TYPES,
  DAILY_ITEM_ID,
  EMPTY_CIRCLE_SETTINGS,
  SETTINGS_ITEM_ID,
  decodeCircleItem,
  encodeCircleItem,
  memberCollectionId,
  pinItemId,
  type Afterword,
  type CircleDecodeError,
  type CircleGrant,
  type CircleItemType,
  type CircleItemValues,
  type CircleLink,
  type CirclePerson,
  type CirclePin,
  type CircleSettings,
  type Daily,
} from '$core/circles/items';
import { generateId } from '$core/crypto/ids';
import { err, ok, type Result } from '$core/result';
import { scanTypes, type ScanProblem } from '../vault/scan';
import type { Vault } from '../vault/sync/vault';

/** The part of the Vault (sync/vault.ts) the circle uses. */
export type CircleVault = Pick<Vault, 'get' | 'list' | 'put' | 'delete'>;

/** Types kept in the owner's `circle` collection. */
export const OWN_TYPES = [
  CIRCLE_ITEM_TYPES.person,
  CIRCLE_ITEM_TYPES.settings,
  CIRCLE_ITEM_TYPES.pin,
  CIRCLE_ITEM_TYPES.grant,
  CIRCLE_ITEM_TYPES.link,
  CIRCLE_ITEM_TYPES.afterword,
  CIRCLE_ITEM_TYPES.daily,
] as const satisfies readonly CircleItemType[];
export type OwnType = (typeof OWN_TYPES)[number];

export type Problem = ScanProblem<OwnType, CircleDecodeError>;

/** Reads one item of the `circle` collection: null when there is none. */
export async function readItem<T extends CircleItemType>(
  vault: Pick<Vault, 'get'>,
  type: T,
  itemId: string,
  collection: string = CIRCLE_COLLECTION,
): Promise<Result<CircleItemValues[T] | null, 'unreadable' | CircleDecodeError['code']>> {
  const got = await vault.get(collection, type, itemId);
  if (!got.ok) return err('unreadable');
  if (got.value === undefined) return ok(null);
  const decoded = decodeCircleItem(type, got.value.plaintext);
  return decoded.ok ? ok(decoded.value) : err(decoded.error.code);
}

/** Checks and writes one item (encrypted, queued for sync); false when it could not be. */
export async function writeItem<T extends CircleItemType>(
  vault: Pick<Vault, 'put'>,
  type: T,
  itemId: string,
  value: CircleItemValues[T],
  collection: string = CIRCLE_COLLECTION,
): Promise<boolean> {
  const bytes = encodeCircleItem(type, value);
  if (!bytes.ok) return false;
  return (await vault.put(collection, type, itemId, bytes.value)).ok;
}

/** Removes one item; one already gone is fine. */
export async function removeItem(
  vault: Pick<Vault, 'delete'>,
  itemId: string,
  collection: string = CIRCLE_COLLECTION,
): Promise<boolean> {
  const r = await vault.delete(collection, itemId);
  return r.ok || r.error === 'not_found';
}

export interface PersonEntry extends CirclePerson {
  readonly id: string;
  readonly pending: boolean;
}

export interface CircleScan {
  /** Sorted by name. */
  readonly people: readonly PersonEntry[];
  readonly settings: CircleSettings;
  /** By account id. */
  readonly pins: ReadonlyMap<string, CirclePin>;
  /** By member id. */
  readonly grants: ReadonlyMap<string, CircleGrant>;
  readonly links: readonly CircleLink[];
  readonly afterwords: ReadonlyMap<string, Afterword>;
  /** Today's word or colour, as the owner last set it (copied to members whose grant allows). */
  readonly daily: Daily | null;
  readonly pending: ReadonlySet<string>;
  readonly conflicted: ReadonlySet<string>;
  readonly problems: readonly Problem[];
}

type Decoded = { [T in OwnType]: { type: T; id: string; value: CircleItemValues[T] } }[OwnType];

/** Reads the owner's whole `circle` collection. */
export async function scanCircle(vault: Pick<Vault, 'list'>): Promise<CircleScan> {
  const listings = new Map(
    await Promise.all(
      OWN_TYPES.map(async (t) => [t, await vault.list(CIRCLE_COLLECTION, t)] as const),
    ),
  );
  const listed = (type: string) => listings.get(type as OwnType) ?? { items: [], failures: [] };
  // The shared reader finds what is pending, conflicted or does not read; the values are
  // paired with their item ids here.
  const s = await scanTypes(
    { list: (_collection, type) => Promise.resolve(listed(type)) },
    CIRCLE_COLLECTION,
    OWN_TYPES,
    OWN_TYPES,
    (type, plaintext) => decodeCircleItem(type, plaintext),
  );
  const decoded: Decoded[] = [];
  for (const type of OWN_TYPES) {
    for (const item of listed(type).items) {
      const value = decodeCircleItem(type, item.plaintext);
      if (value.ok) decoded.push({ type, id: item.itemId, value: value.value } as Decoded);
    }
  }
  const people: PersonEntry[] = [];
  let settings = EMPTY_CIRCLE_SETTINGS;
  const pins = new Map<string, CirclePin>();
  const grants = new Map<string, CircleGrant>();
  const links: CircleLink[] = [];
  const afterwords = new Map<string, Afterword>();
  let daily: Daily | null = null;
  for (const d of decoded) {
    switch (d.type) {
      case 'circle.person':
        people.push({ ...d.value, id: d.id, pending: s.pending.has(d.id) });
        break;
      case 'circle.settings':
        if (d.id === SETTINGS_ITEM_ID) settings = d.value;
        break;
      case 'circle.pin':
        if (pinItemId(d.value.accountId) === d.id) pins.set(d.value.accountId, d.value);
        break;
      case 'circle.grant':
        if (d.value.memberId === d.id) grants.set(d.id, d.value);
        break;
      case 'circle.link':
        if (d.value.linkId === d.id) links.push(d.value);
        break;
      case 'reachout.afterword':
        afterwords.set(d.id, d.value);
        break;
      case 'circle.daily':
        if (d.id === DAILY_ITEM_ID) daily = d.value;
        break;
    }
  }
  people.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  links.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  return {
    people,
    settings,
    pins,
    grants,
    links,
    afterwords,
    daily,
    pending: s.pending,
    conflicted: s.conflicted,
    problems: s.problems,
  };
}

// ─── People ─────────────────────────────────────────────────────────────────────────────────────

/** Adds (no id) or changes someone on the pod map; the item id, or null when it failed. */
export async function savePerson(
  vault: Pick<Vault, 'put'>,
  id: string | undefined,
  person: CirclePerson,
): Promise<string | null> {
  const itemId = id ?? generateId();
  return (await writeItem(vault, CIRCLE_ITEM_TYPES.person, itemId, person)) ? itemId : null;
}

export const removePerson = (vault: Pick<Vault, 'delete'>, id: string) => removeItem(vault, id);

// ─── Settings ───────────────────────────────────────────────────────────────────────────────────

/** The reaching-out settings (empty until the person writes some). */
export async function readSettings(vault: Pick<Vault, 'get'>): Promise<CircleSettings> {
  const r = await readItem(vault, CIRCLE_ITEM_TYPES.settings, SETTINGS_ITEM_ID);
  return r.ok && r.value !== null ? r.value : EMPTY_CIRCLE_SETTINGS;
}

export const saveSettings = (vault: Pick<Vault, 'put'>, settings: CircleSettings) =>
  writeItem(vault, CIRCLE_ITEM_TYPES.settings, SETTINGS_ITEM_ID, settings);

// ─── Grants ─────────────────────────────────────────────────────────────────────────────────────

/** What a member may see; nothing (generation 1) when there is no grant yet. */
export async function readGrant(vault: Pick<Vault, 'get'>, memberId: string): Promise<CircleGrant> {
  const r = await readItem(vault, CIRCLE_ITEM_TYPES.grant, memberId);
  return r.ok && r.value !== null && r.value.memberId === memberId
    ? r.value
    : { memberId, sections: [], daily: false, contact: false, generation: 1 };
}

/**
 * The collection the owner writes for one member now (`to-<memberId>-<generation>`), e.g. to
 * seal a reach-out note for them.
 */
export async function memberCollection(
  vault: Pick<Vault, 'get'>,
  memberId: string,
): Promise<string> {
  return memberCollectionId(memberId, (await readGrant(vault, memberId)).generation);
}

// ─── Notes for afterwards ───────────────────────────────────────────────────────────────────────

export async function readAfterword(
  vault: Pick<Vault, 'get'>,
  reachoutId: string,
): Promise<string> {
  const r = await readItem(vault, CIRCLE_ITEM_TYPES.afterword, reachoutId);
  return r.ok && r.value !== null ? r.value.text : '';
}

export const saveAfterword = (
  vault: Pick<Vault, 'put'>,
  reachoutId: string,
  text: string,
  now: Date = new Date(),
) =>
  writeItem(vault, CIRCLE_ITEM_TYPES.afterword, reachoutId, {
    text,
    updatedAt: now.toISOString(),
  });
