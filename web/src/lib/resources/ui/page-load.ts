/**
 * What the directory's pages share when they load: the person's directory roles (for the
 * sub-navigation) fetched alongside the page's own answer, and a failed answer put the way every
 * page says it — "not found" for a missing or malformed id, otherwise offline or an error.
 */
import type { ApiFailure, ApiResult } from '../../api/client';
import type { DirectoryRoles, ResourcesApi } from '$lib/resources/api';

export type Roles = Pick<DirectoryRoles, 'keeper' | 'admin'>;

/** The states every directory page can be in besides its own ready state. */
export type PageView =
  | { readonly status: 'loading' }
  | { readonly status: 'not-found' }
  | { readonly status: 'not-keeper' }
  | { readonly status: 'failed'; readonly key: string };

/** The message id for a failed answer: offline when nothing answered, otherwise an error. */
export const failedKey = (code: string): string =>
  code === 'network' ? 'resources.state.offline' : 'resources.state.error';

/** A failed answer as a page state: not found for the given statuses, otherwise failed. */
export function failedView(
  r: Pick<ApiFailure, 'status' | 'code'>,
  notFound: readonly number[] = [400, 404],
): PageView {
  return notFound.includes(r.status)
    ? { status: 'not-found' }
    : { status: 'failed', key: failedKey(r.code) };
}

/** The person's roles (null when they could not be read) and the page's own answer, together. */
export async function withRoles<T>(
  api: Pick<ResourcesApi, 'me'>,
  answer: Promise<ApiResult<T>>,
): Promise<{ roles: Roles | null; answer: ApiResult<T> }> {
  const [me, a] = await Promise.all([api.me(), answer]);
  return { roles: me.ok ? me.value : null, answer: a };
}
