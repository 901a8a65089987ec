/**
 * What the pod map pages need from the owner's `circle` collection (circle.person items,
 * core/src/circles/items.ts), in one place. The reach-out pages read people through here too.
 */
import {
  CIRCLE_COLLECTION,
  CIRCLE_ITEM_TYPES,
  OFFER_KINDS,
  RINGS,
  decodeCircleItem,
  encodeCircleItem,
  type CirclePerson,
  type OfferKind,
  type Ring,
} from '$core/circles/items';
import { generateId } from '$core/crypto/ids';
import type { Vault } from '$lib/vault/sync/vault';

export { CIRCLE_COLLECTION, OFFER_KINDS, RINGS, type OfferKind, type Ring };

/** What a person's form holds while it is being filled in. */
export interface PersonDraft {
  name: string;
  ring: Ring;
  offers: OfferKind[];
  offerNotes: string;
  availability: string;
  reach: string;
}

export const emptyDraft = (ring: Ring = 'pod'): PersonDraft => ({
  name: '',
  ring,
  offers: [],
  offerNotes: '',
  availability: '',
  reach: '',
});

export type PersonItem = CirclePerson;
export interface Person extends CirclePerson {
  readonly id: string;
  readonly pending: boolean;
}

/** What one person can see of the owner's (from their grant), for the map. */
export interface Sees {
  sections: number;
  daily: boolean;
  contact: boolean;
}

export type PodVault = Pick<Vault, 'list' | 'put' | 'delete'>;

/** Everyone on the map, by name; `unreadable` counts entries that opened but did not read. */
export async function listPeople(
  vault: Pick<Vault, 'list'>,
): Promise<{ people: Person[]; unreadable: number }> {
  const listing = await vault.list(CIRCLE_COLLECTION, CIRCLE_ITEM_TYPES.person);
  const people: Person[] = [];
  // Items of the collection's other types also fail to open as a person, so only an item that
  // opened but does not read as one counts as a problem here.
  let unreadable = 0;
  for (const item of listing.items) {
    const decoded = decodeCircleItem(CIRCLE_ITEM_TYPES.person, item.plaintext);
    if (decoded.ok) people.push({ ...decoded.value, id: item.itemId, pending: item.pending });
    else unreadable += 1;
  }
  people.sort((a, b) => a.name.localeCompare(b.name));
  return { people, unreadable };
}

export async function savePerson(
  vault: Pick<Vault, 'put'>,
  id: string | undefined,
  value: CirclePerson,
): Promise<{ ok: true; id: string } | { ok: false }> {
  const itemId = id ?? generateId();
  const encoded = encodeCircleItem(CIRCLE_ITEM_TYPES.person, value);
  if (!encoded.ok) return { ok: false };
  const r = await vault.put(CIRCLE_COLLECTION, CIRCLE_ITEM_TYPES.person, itemId, encoded.value);
  return r.ok ? { ok: true, id: itemId } : { ok: false };
}

export async function removePerson(vault: Pick<Vault, 'delete'>, id: string): Promise<boolean> {
  return (await vault.delete(CIRCLE_COLLECTION, id)).ok;
}
