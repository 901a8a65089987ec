/**
 * Which of my collections each member can read now: the newest generation of
 * `to-<memberId>-<generation>` that I share with them (core/src/circles/items.ts), from my
 * outgoing share rows. A member with no share has nothing to read a note from.
 *
 * An adapter until the sharing code (web/src/lib/circles/sharing.ts) offers this itself.
 */
import { parseMemberCollectionId } from '$core/circles/items';
import type { ShareWire } from '$lib/circles/api';

export function currentCollections(outgoing: readonly ShareWire[]): Map<string, string> {
  const best = new Map<string, { generation: number; collection: string }>();
  for (const s of outgoing) {
    const parsed = parseMemberCollectionId(s.collection);
    if (parsed === null || parsed.memberId !== s.memberId) continue;
    const seen = best.get(s.memberId);
    if (seen === undefined || parsed.generation > seen.generation) {
      best.set(s.memberId, { generation: parsed.generation, collection: s.collection });
    }
  }
  return new Map([...best].map(([member, b]) => [member, b.collection]));
}

/** The newest generation of the owner's collection for me, from my incoming share rows. */
export function sharedWithMe(incoming: readonly ShareWire[], ownerId: string, me: string) {
  return (
    currentCollections(incoming.filter((s) => s.ownerId === ownerId && s.memberId === me)).get(
      me,
    ) ?? null
  );
}
