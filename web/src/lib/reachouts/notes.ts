/**
 * Reach-out notes (and a location) are sealed into each recipient's shared collection
 * `to-<memberId>` (docs/CIRCLES.md, type `reachout.note`, item id = reach-out id), so only the
 * people reached, holding that collection's share key, can open them. Written through the vault
 * (sealed in this browser), then synced before the reach-out is posted.
 */
import { z } from 'zod';
import { parseJsonItem } from '$core/vault/json-item';
import type { Vault } from '$lib/vault/sync/vault';
import type { ReachoutNote } from './compose';

export const NOTE_TYPE = 'reachout.note';
export const AFTERWORD_TYPE = 'reachout.afterword';
export const sharedCollectionOf = (memberId: string) => `to-${memberId}`;

export const noteSchema = z.object({
  note: z.string().max(4000).optional(),
  location: z
    .object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      accuracyMetres: z.number().min(0),
    })
    .optional(),
});

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** Seals the note for each recipient; false if any could not be written. */
export async function sealNotes(
  vault: Pick<Vault, 'put'>,
  reachoutId: string,
  recipients: readonly string[],
  note: ReachoutNote,
): Promise<boolean> {
  const plaintext = encode(noteSchema.parse(note));
  for (const memberId of recipients) {
    const r = await vault.put(sharedCollectionOf(memberId), NOTE_TYPE, reachoutId, plaintext);
    if (!r.ok) return false;
  }
  return true;
}

export function readNote(plaintext: Uint8Array): ReachoutNote | null {
  const parsed = parseJsonItem(noteSchema, plaintext);
  return parsed.ok ? parsed.value : null;
}

const afterwordSchema = z.object({ text: z.string().max(20_000), updatedAt: z.string() });

/** The person's own note for afterwards (collection `circle`, never shared). */
export async function readAfterword(
  vault: Pick<Vault, 'list'>,
  reachoutId: string,
): Promise<string> {
  const listing = await vault.list('circle', AFTERWORD_TYPE);
  const item = listing.items.find((i) => i.itemId === reachoutId);
  if (item === undefined) return '';
  const parsed = parseJsonItem(afterwordSchema, item.plaintext);
  return parsed.ok ? parsed.value.text : '';
}

export async function saveAfterword(
  vault: Pick<Vault, 'put'>,
  reachoutId: string,
  text: string,
): Promise<boolean> {
  const value = { text, updatedAt: new Date().toISOString() };
  return (await vault.put('circle', AFTERWORD_TYPE, reachoutId, encode(value))).ok;
}
