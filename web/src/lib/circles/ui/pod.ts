/**
 * What the pod map pages need from the owner's `circle` collection, in one place, so the pages
 * stay the same whichever store module provides it.
 */
export const RINGS = ['pod', 'could-be', 'network'] as const;
export type Ring = (typeof RINGS)[number];

export const OFFER_KINDS = [
  'listen',
  'check-in',
  'visit',
  'bring-food',
  'stay-over',
  'transport',
  'childcare',
  'money',
  'advocacy',
  'appointments',
] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

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

// ─── Reading and writing people (adapter over the vault until the circle store lands) ───────────

import { z } from 'zod';
import { parseJsonItem } from '$core/vault/json-item';
import { generateId } from '$core/crypto/ids';
import type { Vault } from '$lib/vault/sync/vault';

export const CIRCLE_COLLECTION = 'circle';
const PERSON = 'circle.person';

const personSchema = z.object({
  name: z.string().min(1).max(200),
  ring: z.enum(RINGS),
  offers: z.array(z.enum(OFFER_KINDS)),
  offerNotes: z.string().max(2000),
  availability: z.string().max(2000),
  reach: z.string().max(2000),
  accountId: z.string().optional(),
  handle: z.string().optional(),
  invitationId: z.string().optional(),
  invitationKey: z.string().optional(),
});
export type PersonItem = z.infer<typeof personSchema>;
export interface Person extends PersonItem {
  readonly id: string;
  readonly pending: boolean;
}

export type PodVault = Pick<Vault, 'list' | 'put' | 'delete'>;

export async function listPeople(
  vault: PodVault,
): Promise<{ people: Person[]; unreadable: number }> {
  const listing = await vault.list(CIRCLE_COLLECTION, PERSON);
  const people: Person[] = [];
  // Items of the collection's other types also fail to open as a person, so only an item that
  // opened but does not read as one counts as a problem here.
  let unreadable = 0;
  for (const item of listing.items) {
    const parsed = parseJsonItem(personSchema, item.plaintext);
    if (parsed.ok) people.push({ ...parsed.value, id: item.itemId, pending: item.pending });
    else unreadable += 1;
  }
  people.sort((a, b) => a.name.localeCompare(b.name));
  return { people, unreadable };
}

export async function savePerson(
  vault: PodVault,
  id: string | undefined,
  value: PersonItem,
): Promise<{ ok: true; id: string } | { ok: false }> {
  const itemId = id ?? generateId();
  const plaintext = new TextEncoder().encode(JSON.stringify(personSchema.parse(value)));
  const r = await vault.put(CIRCLE_COLLECTION, PERSON, itemId, plaintext);
  return r.ok ? { ok: true, id: itemId } : { ok: false };
}

export async function removePerson(vault: PodVault, id: string): Promise<boolean> {
  return (await vault.delete(CIRCLE_COLLECTION, id)).ok;
}

/** What one person can see of the owner's (from their grant), for the map. */
export interface Sees {
  sections: number;
  daily: boolean;
  contact: boolean;
}
