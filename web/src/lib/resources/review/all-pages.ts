/**
 * Reads every page of a cursor-paged list (up to `maxPages`), for the keepers' queue, which shows
 * open suggestions newest first while the server pages them oldest first.
 */
import type { ApiResult } from '../../api/client';

export async function allPages<T>(
  fetchPage: (
    cursor: string | undefined,
  ) => Promise<ApiResult<{ items: T[]; next: string | null }>>,
  maxPages = 25,
): Promise<ApiResult<T[]>> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const r = await fetchPage(cursor);
    if (!r.ok) return r;
    items.push(...r.value.items);
    if (r.value.next === null) break;
    cursor = r.value.next;
  }
  return { ok: true, status: 200, value: items };
}
