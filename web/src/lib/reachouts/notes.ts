/**
 * Reach-out notes (and a location) are sealed into each recipient's shared collection (docs/
 * CIRCLES.md, type `reachout.note`, item id = reach-out id), so only the people reached, holding
 * that collection's share key, can open them. Written through the vault (sealed in this browser),
 * then synced before the reach-out is posted.
 */
import { CIRCLE_ITEM_TYPES, type ReachoutNote } from '$core/circles/items';
import { writeItem } from '$lib/circles/store';
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
  for (const memberId of recipients) {
    const collection = await collectionFor(memberId);
    // Someone with nothing shared yet has no collection to read a note from: they see the level.
    if (collection === null) continue;
    if (!(await writeItem(vault, CIRCLE_ITEM_TYPES.note, reachoutId, note, collection))) {
      return false;
    }
  }
  return true;
}
