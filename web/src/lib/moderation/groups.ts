/**
 * The names and pages of the groups that reports, notes and log rows name by id. Each group is
 * asked for once; one I can no longer see (left, removed, invite-only) is simply missing, and the
 * pages say "a group" instead.
 */
import { api, type ApiClient } from '../api/client';
import { groupsApi } from '../groups/api';

export interface GroupRef {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

/** The groups among `ids` I can see, by id. */
export async function groupRefs(
  ids: Iterable<string | null>,
  client: ApiClient = api,
): Promise<Map<string, GroupRef>> {
  const calls = groupsApi(client);
  const wanted = [...new Set([...ids].filter((id): id is string => id !== null))];
  const found = await Promise.all(wanted.map((id) => calls.byId(id)));
  const out = new Map<string, GroupRef>();
  for (const r of found) {
    if (r.ok) out.set(r.value.id, { id: r.value.id, slug: r.value.slug, name: r.value.name });
  }
  return out;
}
