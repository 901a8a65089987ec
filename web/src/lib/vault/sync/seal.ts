import type { VaultStore } from '../store/store';
import {
  openEnvelope,
  readEnvelopeHeader,
  sealEnvelope,
  type EnvelopeBinding,
  type EnvelopeError,
  type Result,
} from './core';
import type { CollectionKey, KeyLookup } from './keyring';

export const binding = (
  ownerId: string,
  collectionId: string,
  itemId: string,
  itemType: string,
): EnvelopeBinding => ({ ownerId, collectionId, itemId, itemType });

/** Seals one revision (`sequence` = the revision it will have) under a collection key. */
export function seal(
  b: EnvelopeBinding,
  key: CollectionKey,
  sequence: number,
  plaintext: Uint8Array,
): Result<Uint8Array, 'too_large'> {
  return sealEnvelope({
    binding: b,
    collectionKey: key.key,
    keyId: key.keyId,
    sequence,
    plaintext,
  });
}

/** Opens a version this device wrote itself (outbox, conflict): no high-water marks apply. */
export function openOwn(
  b: EnvelopeBinding,
  envelope: Uint8Array,
  sequence: number,
  keys: KeyLookup,
): Result<Uint8Array, EnvelopeError> {
  const opened = openEnvelope({
    envelope,
    binding: b,
    collectionKeys: keys,
    expectedSequence: sequence,
  });
  return opened.ok ? { ok: true, value: opened.value.plaintext } : opened;
}

/**
 * Re-seals the collection's outbox entries that are not sealed under `target` (after a re-key,
 * or when the collection key made here lost to another device's): each is opened with `from`
 * and sealed again for the same revision. Entries that do not open are left as they are.
 */
export async function resealOutbox(
  store: VaultStore,
  accountId: string,
  collection: string,
  from: KeyLookup,
  target: CollectionKey,
  dropPendingKey: boolean,
): Promise<number> {
  const updates: { id: number; envelope: Uint8Array }[] = [];
  for (const entry of await store.outbox()) {
    if (entry.collection !== collection || entry.envelope === null || entry.type === null) continue;
    const header = readEnvelopeHeader(entry.envelope);
    if (!header.ok || (header.value.keyId === target.keyId && !dropPendingKey)) continue;
    const b = binding(accountId, collection, entry.itemId, entry.type);
    const sequence = entry.baseRevision + 1;
    const plaintext = openOwn(b, entry.envelope, sequence, from);
    if (!plaintext.ok) continue;
    const sealed = seal(b, target, sequence, plaintext.value);
    plaintext.value.fill(0);
    if (sealed.ok) updates.push({ id: entry.id, envelope: sealed.value });
  }
  await store.replaceOutboxEnvelopes(updates, dropPendingKey ? collection : undefined);
  return updates.length;
}
