/**
 * Reach-out notes (and a location) are sealed into each recipient's shared collection (docs/
 * CIRCLES.md, type `reachout.note`, item id = reach-out id), so only the people reached, holding
 * that collection's share key, can open them. Written through the vault (sealed in this browser),
 * then synced before the reach-out is posted. The owner's note for afterwards is
 * `reachout.afterword` in their own `circle` collection, never shared.
 */
import {
  CIRCLE_COLLECTION,
  CIRCLE_ITEM_TYPES,
  decodeCircleItem,
  encodeCircleItem,
  type ReachoutNote,
} from '$core/circles/items';
import type { Vault } from '$lib/vault/sync/vault';

/**
 * Seals the note into `collectionFor(memberId)` for each recipient; false if a note could not be
 * encoded or written (nothing is posted then).
 */
export async function sealNotes(
  vault: Pick<Vault, 'put'>,
  reachoutId: string,
  recipients: readonly string[],
  note: ReachoutNote,
  collectionFor: (memberId: string) => Promise<string | null>,
): Promise<boolean> {
  const plaintext = encodeCircleItem(CIRCLE_ITEM_TYPES.note, note);
  if (!plaintext.ok) return false;
  for (const memberId of recipients) {
    const collection = await collectionFor(memberId);
    // Someone with nothing shared yet has no collection to read a note from: they see the level.
    if (collection === null) continue;
    const r = await vault.put(collection, CIRCLE_ITEM_TYPES.note, reachoutId, plaintext.value);
    if (!r.ok) return false;
  }
  return true;
}

export function readNote(plaintext: Uint8Array): ReachoutNote | null {
  const parsed = decodeCircleItem(CIRCLE_ITEM_TYPES.note, plaintext);
  return parsed.ok ? parsed.value : null;
}

export async function readAfterword(
  vault: Pick<Vault, 'list'>,
  reachoutId: string,
): Promise<string> {
  const listing = await vault.list(CIRCLE_COLLECTION, CIRCLE_ITEM_TYPES.afterword);
  const item = listing.items.find((i) => i.itemId === reachoutId);
  if (item === undefined) return '';
  const parsed = decodeCircleItem(CIRCLE_ITEM_TYPES.afterword, item.plaintext);
  return parsed.ok ? parsed.value.text : '';
}

export async function saveAfterword(
  vault: Pick<Vault, 'put'>,
  reachoutId: string,
  text: string,
): Promise<boolean> {
  const value = encodeCircleItem(CIRCLE_ITEM_TYPES.afterword, {
    text,
    updatedAt: new Date().toISOString(),
  });
  if (!value.ok) return false;
  return (await vault.put(CIRCLE_COLLECTION, CIRCLE_ITEM_TYPES.afterword, reachoutId, value.value))
    .ok;
}
