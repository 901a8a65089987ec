/**
 * Opens what the person who reached out shares with me: their newest `to-<me>-<generation>`
 * collection, with the share key they wrapped to my identity key and signed with theirs
 * (PROTOCOL §5.5). Their keys are checked against the fingerprint pinned in my own circle
 * collection (web/src/lib/circles/keys.ts: pinned on first use; a changed key is not trusted).
 * Each item is opened bound to where it must be (owner, collection, item, type), so the server
 * cannot move one item into another's place.
 *
 * An adapter: the circle's incoming reader (web/src/lib/circles/incoming.ts) is being written
 * beside this; when it lands, the supporter view reads through it instead.
 */
import { CIRCLE_ITEM_TYPES } from '$core/circles/items';
import { openEnvelope } from '$core/crypto/envelope';
import { openShareKey } from '$core/crypto/share';
import { fromBase64url } from '$core/encoding/base64url';
import { trustedKey } from '$lib/circles/keys';
import type { CircleVault } from '$lib/circles/store';
import { unlockedKeys } from '$lib/vault/state.svelte';
import { circles, sharedItems, shares } from './api';
import { sharedWithMe } from './collections';
import type { SharedReader, SharedItem } from './shared';

const TYPES = [
  CIRCLE_ITEM_TYPES.note,
  CIRCLE_ITEM_TYPES.sharedSection,
  CIRCLE_ITEM_TYPES.contact,
  CIRCLE_ITEM_TYPES.daily,
];

export function sharedReader(vault: CircleVault): SharedReader {
  return async (ownerId) => {
    const keys = unlockedKeys();
    if (keys === null) return { ok: false };
    const me = keys.accountId;
    const [list, mine] = await Promise.all([shares(), circles()]);
    if (!list.ok || !mine.ok) return { ok: false };
    const collection = sharedWithMe(list.value.incoming, ownerId, me);
    // Nothing shared with me: nothing to open (not a failure).
    if (collection === null) return { ok: true, items: [] };
    const owner = mine.value.supporting.find((m) => m.owner.accountId === ownerId)?.owner;
    if (owner === undefined) return { ok: false };
    const trusted = await trustedKey(vault, owner);
    if (!trusted.ok) return { ok: false };

    const collectionKeys = new Map<number, Uint8Array>();
    for (const row of list.value.incoming) {
      if (row.ownerId !== ownerId || row.memberId !== me || row.collection !== collection) continue;
      const wrapped = fromBase64url(row.shareKey);
      if (wrapped === undefined) continue;
      const opened = await openShareKey({
        shareId: row.shareId,
        senderId: ownerId,
        recipientId: me,
        wrapped,
        senderEd25519PublicKey: trusted.key.ed25519PublicKey,
        recipientX25519SecretKey: keys.identity.x25519SecretKey,
      });
      if (opened.ok) collectionKeys.set(opened.value.keyId, opened.value.collectionKey);
    }
    if (collectionKeys.size === 0) return { ok: false };

    const items: SharedItem[] = [];
    let since = 0;
    for (;;) {
      const page = await sharedItems(ownerId, collection, since);
      if (!page.ok) return { ok: false };
      for (const item of page.value.items) {
        if (item.envelope === null) continue;
        const envelope = fromBase64url(item.envelope);
        if (envelope === undefined) continue;
        for (const type of TYPES) {
          const opened = openEnvelope({
            envelope,
            binding: { ownerId, collectionId: collection, itemId: item.itemId, itemType: type },
            collectionKeys: (keyId) => collectionKeys.get(keyId),
            expectedSequence: item.revision,
          });
          if (opened.ok) {
            items.push({ itemId: item.itemId, type, plaintext: opened.value.plaintext });
            break;
          }
        }
      }
      if (page.value.cursor <= since || page.value.items.length === 0) break;
      since = page.value.cursor;
    }
    return { ok: true, items };
  };
}
