/**
 * Check-in items ↔ vault plaintext: one item per tracker, check-in, journal entry, experiment
 * and watched pattern, each UTF-8 JSON, in collection `checkins`.
 */
import { utf8 } from '../crypto/canonical.js';
import { err, ok, type Result } from '../result.js';
import { parseJsonItem } from '../vault/json-item.js';
import type { z } from 'zod';
import {
  type CHECKIN_ITEM_TYPES,
  MAX_ITEM_BYTES,
  checkinSchema,
  experimentSchema,
  journalSchema,
  trackerSchema,
  watchSchema,
  type Checkin,
  type Experiment,
  type JournalEntry,
  type Tracker,
  type Watch,
} from './schema.js';

export type CheckinItemType = (typeof CHECKIN_ITEM_TYPES)[keyof typeof CHECKIN_ITEM_TYPES];

export type CheckinItem =
  | { readonly type: 'checkin.tracker'; readonly value: Tracker }
  | { readonly type: 'checkin'; readonly value: Checkin }
  | { readonly type: 'checkin.journal'; readonly value: JournalEntry }
  | { readonly type: 'checkin.experiment'; readonly value: Experiment }
  | { readonly type: 'checkin.watch'; readonly value: Watch };

export type CheckinDecodeError =
  | { readonly code: 'unknown_type'; readonly type: string }
  | { readonly code: 'too_large'; readonly bytes: number }
  | { readonly code: 'not_json' }
  | { readonly code: 'invalid'; readonly issues: readonly { path: string; message: string }[] };

const schemas: Record<CheckinItemType, z.ZodType> = {
  'checkin.tracker': trackerSchema,
  checkin: checkinSchema,
  'checkin.journal': journalSchema,
  'checkin.experiment': experimentSchema,
  'checkin.watch': watchSchema,
};

const isItemType = (type: string): type is CheckinItemType => Object.hasOwn(schemas, type);

/** The plaintext the vault encrypts for an item. */
export const encodeCheckinItem = (item: CheckinItem['value']): Uint8Array =>
  utf8(JSON.stringify(item));

/** Reads a decrypted item of one of the check-in types. */
export function decodeCheckinItem(
  type: string,
  bytes: Uint8Array,
): Result<CheckinItem, CheckinDecodeError> {
  if (!isItemType(type)) return err({ code: 'unknown_type', type });
  if (bytes.length > MAX_ITEM_BYTES) return err({ code: 'too_large', bytes: bytes.length });
  const parsed = parseJsonItem(schemas[type], bytes);
  if (!parsed.ok) return parsed;
  return ok({ type, value: parsed.value } as CheckinItem);
}

/** Encodes an item after checking it, so nothing invalid or too large reaches the vault. */
export function checkedEncode(item: CheckinItem): Result<Uint8Array, CheckinDecodeError> {
  const bytes = encodeCheckinItem(item.value);
  const back = decodeCheckinItem(item.type, bytes);
  return back.ok ? ok(bytes) : back;
}
