/**
 * What every aid page needs first: the boards I can use (with my roles there), the categories
 * (built-in and the instance's own) and the zones. One load, as a state the pages switch on.
 */
import { BUILTIN_CATEGORIES } from '$core/aid/api';
import type { AidApi, AreaWire, CategoryWire, CommunityWire } from './api';
import { categoryWords, type Words } from './view';

export interface AidContext {
  readonly communities: CommunityWire[];
  readonly categories: CategoryWire[];
  /** Category id → the instance's label (null for built-ins, worded by i18n). */
  readonly labels: ReadonlyMap<string, string | null>;
  readonly areas: AreaWire[];
}

export type AidContextState =
  | { readonly status: 'loading' }
  | { readonly status: 'offline' }
  | { readonly status: 'signed-out' }
  | { readonly status: 'error' }
  | ({ readonly status: 'ready' } & AidContext);

export async function loadContext(aid: AidApi): Promise<AidContextState> {
  const [communities, categories, areas] = await Promise.all([
    aid.communities(),
    aid.categories(),
    aid.areas(),
  ]);
  for (const r of [communities, categories, areas]) {
    if (r.ok) continue;
    if (r.code === 'network') return { status: 'offline' };
    if (r.status === 401) return { status: 'signed-out' };
    return { status: 'error' };
  }
  if (!communities.ok || !categories.ok || !areas.ok) return { status: 'error' };
  return {
    status: 'ready',
    communities: communities.value.communities,
    categories: categories.value.categories,
    labels: new Map(categories.value.categories.map((c) => [c.id, c.label])),
    areas: areas.value.areas,
  };
}

/** The board to show: the one asked for if I can use it, else the first turned on. */
export function chooseCommunity(communities: readonly CommunityWire[], wanted: string): string {
  if (communities.some((c) => c.community === wanted)) return wanted;
  return (communities.find((c) => c.enabled) ?? communities[0])?.community ?? wanted;
}

/** The categories to pick from: the built-ins, then the instance's own that are not retired. */
export function categoryChoices(ctx: AidContext | null): { id: string; words: Words }[] {
  if (ctx === null) return [];
  const ids = [
    ...BUILTIN_CATEGORIES,
    ...ctx.categories.filter((c) => !c.builtin && !c.retired).map((c) => c.id),
  ];
  return ids.map((id) => ({ id, words: categoryWords(id, ctx.labels) }));
}
