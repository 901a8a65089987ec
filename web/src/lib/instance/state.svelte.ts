import { DEFAULT_QUICK_EXIT_URL } from '../quick-exit/url';
import { fetchMeta, readStoredMeta, storeMeta, type InstanceMeta } from './meta';

function localStore(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The instance's public description: remembered from last time, refreshed when online. */
export const instance: { meta: InstanceMeta | null } = $state({
  meta: readStoredMeta(localStore()),
});

export function quickExitUrl(): string {
  return instance.meta?.quickExitUrl ?? DEFAULT_QUICK_EXIT_URL;
}

/** Asks the server for fresh meta and remembers it; keeps the old one when offline. */
export async function refreshInstance(): Promise<void> {
  const meta = await fetchMeta(fetch);
  if (meta) {
    instance.meta = meta;
    storeMeta(localStore(), meta);
  }
}
