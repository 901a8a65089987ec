/**
 * Reach-out notes (and a location) go into each recipient's shared collection through the
 * sharing code (web/src/lib/circles/sharing.ts `sealReachoutNote`: sealed in this browser into
 * `to-<member>-<generation>`, synced, and the member given the collection's key if they did not
 * hold it yet) — before the reach-out is posted. Someone whose keys changed gets no note; the
 * person is told who, on the reach-out's page.
 */
import type { ReachoutNote } from '$core/circles/items';
import { circlesApi, type PersonWire } from '$lib/circles/api';
import { unlockedKeys } from '$lib/vault/state.svelte';
import type { Vault } from '$lib/vault/sync/vault';

/** Per reach-out (this tab): the people a note could not be sealed for. */
const unsealed = new Map<string, readonly string[]>();
export const unsealedFor = (reachoutId: string): readonly string[] =>
  unsealed.get(reachoutId) ?? [];

/** Seals the note for `recipients`; false only when nothing could be tried (locked). */
export async function sealNote(
  vault: Vault,
  reachoutId: string,
  recipients: readonly PersonWire[],
  note: ReachoutNote,
): Promise<boolean> {
  const keys = unlockedKeys();
  if (keys === null) return false;
  // The sharing code (HPKE, signing) loads only when a note is sent.
  const { sealReachoutNote, serverCollectionKeys } = await import('$lib/circles/sharing');
  const r = await sealReachoutNote(
    { api: circlesApi(), vault, me: keys, collectionKey: serverCollectionKeys(keys) },
    { reachoutId, recipients, note },
  );
  unsealed.set(
    reachoutId,
    recipients.filter((p) => !r.sealedFor.includes(p.accountId)).map((p) => p.accountId),
  );
  return true;
}
