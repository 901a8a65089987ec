/**
 * The group a `/groups/[slug]/**` page is about, loaded once by `routes/groups/[slug]/+layout.svelte`
 * and shared with every page below it (About, Conversations, Meetings, Manage) through a Svelte
 * context. A page reads it with `currentGroup()`:
 *
 *   const group = currentGroup();            // { state, reload(), replace(page) }
 *   group.state.status === 'ready'           // then group.state.group is the GroupPageWire
 *   isMember(group.state.group)              // a member (membership not null)
 *   isFacilitator(...) / canModerate(...)    // roles, for showing the tools they can use
 *
 * The layout only renders its children once the state is `ready`, so a child page may rely on
 * `group.state.group` being there (use `readyGroup(group)` for a typed read). An invite-only group
 * and an unknown slug are the same `not-found` (the server answers 404 to both for outsiders).
 * After a change a page may `replace()` the group with the page the server answered, or
 * `reload()` it.
 */
import { createContext } from 'svelte';
import type { GroupPageWire } from '$core/groups/api';
import { isId } from '$core/crypto/ids';
import { api, type ApiClient } from '../api/client';
import { groupsApi } from './api';

export type CurrentGroupState =
  | { readonly status: 'loading' }
  /** No answer (offline, server down): groups need a connection. */
  | { readonly status: 'offline' }
  | { readonly status: 'signed-out' }
  /** Unknown slug, or an invite-only group I am neither in nor invited to. */
  | { readonly status: 'not-found' }
  | { readonly status: 'error'; readonly code: string }
  | { readonly status: 'ready'; readonly group: GroupPageWire };

export interface CurrentGroup {
  /** Reactive (a `$state` in the layout). */
  readonly state: CurrentGroupState;
  /** Asks the server again (after a join, a role change, a new agreement). */
  readonly reload: () => Promise<void>;
  /** Uses a group page the server just answered (most writes answer with one). */
  readonly replace: (group: GroupPageWire) => void;
}

/** Reads a group by its slug into a state a page can show. */
export async function loadGroup(slug: string, client: ApiClient = api): Promise<CurrentGroupState> {
  const r = await groupsApi(client).bySlug(slug);
  if (r.ok) return { status: 'ready', group: r.value };
  if (r.code === 'network') return { status: 'offline' };
  if (r.status === 401) return { status: 'signed-out' };
  if (r.status === 404 || r.code === 'invalid_input') return { status: 'not-found' };
  return { status: 'error', code: r.code };
}

/**
 * Reads a group by its slug, or, when no group has that slug and it has the shape of an id, by its
 * id: notifications link to `/groups/<id>/…` (an id says nothing about the group, a slug may), and
 * the page then moves to the slug's address (`moveTo`).
 */
export async function loadGroupBySlugOrId(
  slugOrId: string,
  client: ApiClient = api,
): Promise<{ state: CurrentGroupState; moveTo: string | null }> {
  const state = await loadGroup(slugOrId, client);
  if (state.status !== 'not-found' || !isId(slugOrId)) return { state, moveTo: null };
  const r = await groupsApi(client).byId(slugOrId);
  if (!r.ok) return { state, moveTo: null };
  return { state: { status: 'ready', group: r.value }, moveTo: r.value.slug };
}

export const isMember = (group: GroupPageWire): boolean => group.membership !== null;
export const isFacilitator = (group: GroupPageWire): boolean =>
  group.membership?.role === 'facilitator';
/** Moderators and facilitators. */
export const canModerate = (group: GroupPageWire): boolean =>
  group.membership?.role === 'facilitator' || group.membership?.role === 'moderator';

const [getCurrentGroup, setCurrentGroup] = createContext<CurrentGroup>();

/** For the `[slug]` layout: makes the group available to the pages below it. */
export const provideCurrentGroup = setCurrentGroup;

/** The group the current `/groups/[slug]/**` page is about (call during component setup). */
export const currentGroup = getCurrentGroup;

/** The loaded group (the layout renders its pages only when it is ready). */
export function readyGroup(current: CurrentGroup): GroupPageWire {
  if (current.state.status !== 'ready') throw new Error('The group is not loaded yet');
  return current.state.group;
}
