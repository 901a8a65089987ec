/**
 * What a supporter may read of the person who reached out, in the order the supporter view shows
 * it (core/src/circles/supporter-view.ts): wishes and what they do not want, their steps for
 * supporters, how to reach them, the note and location. The items come from the circle's
 * incoming reader (web/src/lib/circles/incoming.ts); this part only decodes and orders them.
 */
import {
  CIRCLE_ITEM_TYPES,
  decodeCircleItem,
  type Contact,
  type ReachoutNote,
  type SharedSection,
} from '$core/circles/items';
import { supporterView, type SupporterView } from '$core/circles/supporter-view';

/** One opened item of the owner's shared collection for me. */
export interface SharedItem {
  readonly itemId: string;
  readonly type: string;
  readonly plaintext: Uint8Array;
}

export type SharedReader = (
  ownerId: string,
) => Promise<{ ok: true; items: readonly SharedItem[] } | { ok: false }>;

export interface SupporterContent extends SupporterView {
  /** The shared collection could not be opened (not the same as nothing shared). */
  readonly unopened: boolean;
}

/** Decodes the opened items and orders them for the supporter view (pure). */
export function supporterContent(
  items: readonly SharedItem[],
  reachoutId: string,
): SupporterContent {
  const sections: SharedSection[] = [];
  let contact: Contact | null = null;
  let note: ReachoutNote | null = null;
  for (const item of items) {
    if (item.type === CIRCLE_ITEM_TYPES.sharedSection) {
      const s = decodeCircleItem(CIRCLE_ITEM_TYPES.sharedSection, item.plaintext);
      if (s.ok) sections.push(s.value);
    } else if (item.type === CIRCLE_ITEM_TYPES.contact) {
      const c = decodeCircleItem(CIRCLE_ITEM_TYPES.contact, item.plaintext);
      if (c.ok) contact = c.value;
    } else if (item.type === CIRCLE_ITEM_TYPES.note && item.itemId === reachoutId) {
      const n = decodeCircleItem(CIRCLE_ITEM_TYPES.note, item.plaintext);
      if (n.ok) note = n.value;
    }
  }
  return { ...supporterView({ sections, contact, note }), unopened: false };
}

export const NOTHING: SupporterContent = { ...supporterContent([], ''), unopened: false };

export async function openSharedFor(
  reader: SharedReader,
  ownerId: string,
  reachoutId: string,
): Promise<SupporterContent> {
  const r = await reader(ownerId);
  if (!r.ok) return { ...NOTHING, unopened: true };
  return supporterContent(r.items, reachoutId);
}
