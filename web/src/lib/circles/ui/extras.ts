/**
 * What the pod map shows beside each person, read from the owner's `circle` collection: whether
 * their key is verified (circle.pin) and what they can see (circle.grant).
 */
import { z } from 'zod';
import { parseJsonItem } from '$core/vault/json-item';
import type { Vault } from '$lib/vault/sync/vault';
import { CIRCLE_COLLECTION, type Sees } from './pod';

const pinSchema = z.looseObject({
  accountId: z.string(),
  fingerprint: z.string(),
  verifiedAt: z.string().nullable(),
});
const grantSchema = z.looseObject({
  memberId: z.string(),
  sections: z.array(z.looseObject({ planId: z.string(), sectionId: z.string() })),
  daily: z.boolean(),
  contact: z.boolean(),
});

export interface MapExtras {
  readonly verified: ReadonlySet<string>;
  readonly sees: ReadonlyMap<string, Sees>;
}

export async function readMapExtras(vault: Pick<Vault, 'list'>): Promise<MapExtras> {
  const [pins, grants] = await Promise.all([
    vault.list(CIRCLE_COLLECTION, 'circle.pin'),
    vault.list(CIRCLE_COLLECTION, 'circle.grant'),
  ]);
  const verified = new Set<string>();
  for (const item of pins.items) {
    const pin = parseJsonItem(pinSchema, item.plaintext);
    if (pin.ok && pin.value.verifiedAt !== null) verified.add(pin.value.accountId);
  }
  const sees = new Map<string, Sees>();
  for (const item of grants.items) {
    const grant = parseJsonItem(grantSchema, item.plaintext);
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
