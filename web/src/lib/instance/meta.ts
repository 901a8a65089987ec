/**
 * What the instance says about itself (`GET /api/v1/meta`), remembered in localStorage so the
 * quick exit goes to the instance's chosen site even offline. None of this is private: it is the
 * same for every visitor.
 */
import { DEFAULT_QUICK_EXIT_URL, safeExitUrl } from '../quick-exit/url';

export interface InstanceMeta {
  name: string;
  version: string;
  quickExitUrl: string;
}

export const META_URL = '/api/v1/meta';
export const META_STORAGE_KEY = 'tend.instance';

/** Validates an untrusted meta document; unknown fields are dropped, bad ones defaulted. */
export function parseMeta(value: unknown): InstanceMeta | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const text = (v: unknown, max: number) =>
    typeof v === 'string' && v.trim() !== '' && v.length <= max ? v.trim() : null;
  return {
    name: text(record.name, 100) ?? 'Tend',
    version: text(record.version, 50) ?? '',
    quickExitUrl: safeExitUrl(record.quickExitUrl) ?? DEFAULT_QUICK_EXIT_URL,
  };
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function readStoredMeta(store: KeyValueStore | undefined): InstanceMeta | null {
  try {
    const raw = store?.getItem(META_STORAGE_KEY);
    return raw ? parseMeta(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

export function storeMeta(store: KeyValueStore | undefined, meta: InstanceMeta): void {
  try {
    store?.setItem(META_STORAGE_KEY, JSON.stringify(meta));
  } catch {
    // Storage full or disabled (private browsing): the default exit URL still works.
  }
}

/** Fetches the instance's meta; null when offline or the server answers something unusable. */
export async function fetchMeta(fetchFn: typeof fetch): Promise<InstanceMeta | null> {
  try {
    const response = await fetchFn(META_URL, {
      headers: { accept: 'application/json' },
      cache: 'no-store',
    });
    if (!response.ok) return null;
    return parseMeta(await response.json());
  } catch {
    return null;
  }
}
