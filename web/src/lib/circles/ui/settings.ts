/**
 * The owner's reaching-out settings (`circle.settings`, item `settings`, in the private `circle`
 * collection) and today's "how I'm doing" (`circle.daily`, item `daily`, in the same collection;
 * copied by the sharing code only to the people whose grant says so).
 */
import {
  CIRCLE_COLLECTION,
  CIRCLE_ITEM_TYPES,
  DAILY_COLOURS,
  DAILY_ITEM_ID,
  EMPTY_CIRCLE_SETTINGS,
  SETTINGS_ITEM_ID,
  decodeCircleItem,
  encodeCircleItem,
  type CircleSettings,
  type Daily,
} from '$core/circles/items';
import type { Vault } from '$lib/vault/sync/vault';

export { DAILY_COLOURS, type CircleSettings, type Daily };

export async function readSettings(vault: Pick<Vault, 'get'>): Promise<CircleSettings> {
  const r = await vault.get(CIRCLE_COLLECTION, CIRCLE_ITEM_TYPES.settings, SETTINGS_ITEM_ID);
  if (!r.ok || r.value === undefined) return EMPTY_CIRCLE_SETTINGS;
  const decoded = decodeCircleItem(CIRCLE_ITEM_TYPES.settings, r.value.plaintext);
  return decoded.ok ? decoded.value : EMPTY_CIRCLE_SETTINGS;
}

export async function writeSettings(
  vault: Pick<Vault, 'put'>,
  settings: CircleSettings,
): Promise<boolean> {
  const encoded = encodeCircleItem(CIRCLE_ITEM_TYPES.settings, settings);
  if (!encoded.ok) return false;
  const r = await vault.put(
    CIRCLE_COLLECTION,
    CIRCLE_ITEM_TYPES.settings,
    SETTINGS_ITEM_ID,
    encoded.value,
  );
  return r.ok;
}

export async function readDaily(vault: Pick<Vault, 'get'>): Promise<Daily | null> {
  const r = await vault.get(CIRCLE_COLLECTION, CIRCLE_ITEM_TYPES.daily, DAILY_ITEM_ID);
  if (!r.ok || r.value === undefined) return null;
  const decoded = decodeCircleItem(CIRCLE_ITEM_TYPES.daily, r.value.plaintext);
  return decoded.ok ? decoded.value : null;
}

/** Writes today's word or colour; with neither, the item is deleted. */
export async function writeDaily(
  vault: Pick<Vault, 'get' | 'put' | 'delete'>,
  daily: Daily | null,
): Promise<boolean> {
  if (daily === null || (daily.word === undefined && daily.colour === undefined)) {
    const existing = await readDaily(vault);
    if (existing === null) return true;
    return (await vault.delete(CIRCLE_COLLECTION, DAILY_ITEM_ID)).ok;
  }
  const encoded = encodeCircleItem(CIRCLE_ITEM_TYPES.daily, daily);
  if (!encoded.ok) return false;
  const r = await vault.put(
    CIRCLE_COLLECTION,
    CIRCLE_ITEM_TYPES.daily,
    DAILY_ITEM_ID,
    encoded.value,
  );
  return r.ok;
}
