/**
 * What the pod map shows beside each person, read from the owner's `circle` collection: whether
 * their key is verified (circle.pin) and what they can see (circle.grant).
 */
import { CIRCLE_COLLECTION, CIRCLE_ITEM_TYPES, decodeCircleItem } from '$core/circles/items';
import type { Vault } from '$lib/vault/sync/vault';
import type { Sees } from './pod';

export interface MapExtras {
  readonly verified: ReadonlySet<string>;
  readonly sees: ReadonlyMap<string, Sees>;
}

export async function readMapExtras(vault: Pick<Vault, 'list'>): Promise<MapExtras> {
  const [pins, grants] = await Promise.all([
    vault.list(CIRCLE_COLLECTION, CIRCLE_ITEM_TYPES.pin),
    vault.list(CIRCLE_COLLECTION, CIRCLE_ITEM_TYPES.grant),
  ]);
  const verified = new Set<string>();
  for (const item of pins.items) {
    const pin = decodeCircleItem(CIRCLE_ITEM_TYPES.pin, item.plaintext);
    if (pin.ok && pin.value.verifiedAt !== null) verified.add(pin.value.accountId);
  }
  const sees = new Map<string, Sees>();
  for (const item of grants.items) {
    const grant = decodeCircleItem(CIRCLE_ITEM_TYPES.grant, item.plaintext);
    if (grant.ok) {
      sees.set(grant.value.memberId, {
        sections: grant.value.sections.length,
        daily: grant.value.daily,
        contact: grant.value.contact,
      });
    }
  }
  return { verified, sees };
}
