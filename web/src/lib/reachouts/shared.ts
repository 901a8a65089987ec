/**
 * What a supporter may read of the person who reached out: the plan sections, "how to reach me"
 * and the reach-out's note that the person sealed into the shared collection `to-<my id>`
 * (docs/CIRCLES.md), put in the order the supporter view shows them — wishes and what they do not
 * want first, then their steps for supporters.
 *
 * Opening the collection is a `SharedReader` (./incoming.ts); this part is pure.
 */
import { CIRCLE_ITEM_TYPES, decodeCircleItem } from '$core/circles/items';
import type { Section } from '$core/plans/index';
import type { ReachoutNote } from '$core/circles/items';

/** One opened item of the owner's shared collection for me. */
export interface SharedItem {
  readonly itemId: string;
  readonly type: string;
  readonly plaintext: Uint8Array;
}

export type SharedReader = (
  ownerId: string,
) => Promise<{ ok: true; items: readonly SharedItem[] } | { ok: false }>;

export interface SharedSection {
  readonly key: string | null;
  readonly section: Section;
}

export interface SupporterContent {
  /** What they want and what they don't (crisis-plan wishes), shown first. */
  readonly wishes: readonly SharedSection[];
  /** Their steps for supporters. */
  readonly steps: readonly SharedSection[];
  readonly contact: string | null;
  readonly note: ReachoutNote | null;
  /** The shared collection could not be opened (not the same as nothing shared). */
  readonly unopened: boolean;
}

export const NOTHING: SupporterContent = {
  wishes: [],
  steps: [],
  contact: null,
  note: null,
  unopened: false,
};

/** Crisis-plan parts that say what the person wants and does not want. */
const WISH_KEYS = new Set(['involve', 'helps', 'places', 'treatments', 'wishes', 'dontWant']);

function sectionOf(bytes: Uint8Array): SharedSection | null {
  const parsed = decodeCircleItem(CIRCLE_ITEM_TYPES.sharedSection, bytes);
  if (!parsed.ok) return null;
  return { key: parsed.value.section.key ?? null, section: parsed.value.section };
}

/** Sorts opened items into the supporter view (pure; unknown items are left out). */
export function supporterContent(
  items: readonly SharedItem[],
  reachoutId: string,
): SupporterContent {
  const wishes: SharedSection[] = [];
  const steps: SharedSection[] = [];
  let contact: string | null = null;
  let note: ReachoutNote | null = null;
  for (const item of items) {
    if (item.type === 'circle.shared-section') {
      const s = sectionOf(item.plaintext);
      if (s === null) continue;
      (s.key !== null && WISH_KEYS.has(s.key) ? wishes : steps).push(s);
    } else if (item.type === 'circle.contact') {
      const c = decodeCircleItem(CIRCLE_ITEM_TYPES.contact, item.plaintext);
      const text = c.ok ? c.value.reach : undefined;
      if (typeof text === 'string' && text.trim() !== '') contact = text;
    } else if (item.type === 'reachout.note' && item.itemId === reachoutId) {
      const n = decodeCircleItem(CIRCLE_ITEM_TYPES.note, item.plaintext);
      note = n.ok ? n.value : null;
    }
  }
  return { wishes, steps, contact, note, unopened: false };
}

export async function openSharedFor(
  reader: SharedReader,
  ownerId: string,
  reachoutId: string,
): Promise<SupporterContent> {
  const r = await reader(ownerId);
  if (!r.ok) return { ...NOTHING, unopened: true };
  return supporterContent(r.items, reachoutId);
}
