import type { NotifySettingsWire } from '../../core/src/circles/api.js';
import type { NotifySettingsResponse } from '../../core/src/notify/api.js';
import { err, ok, type Result } from '../../core/src/result.js';
import type { Db } from '../db/database.js';
import {
  accountEmail,
  countSubscriptions,
  deleteOwnSubscription,
  findSettings,
  saveSettings,
  upsertSubscription,
} from './repository.js';

/** Whether `timeZone` is an IANA zone this server knows (Intl refuses anything else). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Email on, push on, no quiet hours, not paused: until the person says otherwise. */
export async function readSettings(
  db: Db,
  accountId: string,
  emailServer: boolean,
): Promise<NotifySettingsResponse> {
  const [row, email, pushDevices] = await Promise.all([
    findSettings(db, accountId),
    accountEmail(db, accountId),
    countSubscriptions(db, accountId),
  ]);
  const quietHours =
    row !== undefined &&
    row.quiet_start !== null &&
    row.quiet_end !== null &&
    row.time_zone !== null
      ? { start: row.quiet_start, end: row.quiet_end, timeZone: row.time_zone }
      : null;
  return {
    email: (row?.email ?? 1) === 1,
    push: (row?.push ?? 1) === 1,
    quietHours,
    pausedUntil: row?.paused_until ?? null,
    hasEmail: email !== null,
    emailServer,
    pushDevices,
  };
}

export type SettingsFailure =
  | { readonly kind: 'unknown_time_zone'; readonly timeZone: string }
  | { readonly kind: 'empty_quiet_hours' };

export async function writeSettings(
  db: Db,
  accountId: string,
  s: NotifySettingsWire,
  now: Date,
): Promise<Result<void, SettingsFailure>> {
  if (s.quietHours !== null) {
    if (!isTimeZone(s.quietHours.timeZone)) {
      return err({ kind: 'unknown_time_zone', timeZone: s.quietHours.timeZone });
    }
    if (s.quietHours.start === s.quietHours.end) return err({ kind: 'empty_quiet_hours' });
  }
  await saveSettings(db, {
    account_id: accountId,
    email: s.email ? 1 : 0,
    push: s.push ? 1 : 0,
    quiet_start: s.quietHours?.start ?? null,
    quiet_end: s.quietHours?.end ?? null,
    time_zone: s.quietHours?.timeZone ?? null,
    // Stored as the same ISO form the outbox compares with (`toISOString`).
    paused_until: s.pausedUntil === null ? null : new Date(s.pausedUntil).toISOString(),
    updated_at: now.toISOString(),
  });
  return ok(undefined);
}

export async function addPushSubscription(
  db: Db,
  accountId: string,
  sub: { endpoint: string; keys: { p256dh: string; auth: string } },
  now: Date,
): Promise<void> {
  await upsertSubscription(
    db,
    accountId,
    { endpoint: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth },
    now,
  );
}

/** Only the account's own subscription; someone else's (or none) is `not_found`. */
export async function removePushSubscription(
  db: Db,
  accountId: string,
  endpoint: string,
): Promise<Result<void, { readonly kind: 'not_found' }>> {
  return (await deleteOwnSubscription(db, accountId, endpoint))
    ? ok(undefined)
    : err({ kind: 'not_found' });
}
