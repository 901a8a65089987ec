/**
 * Verifying a member's keys (docs/PROTOCOL.md §12.4). A fingerprint (crypto/identity.ts) is 60
 * digits shown as 12 groups of 5; two people compare it in person, or one scans the other's QR
 * code, whose text is
 *
 *     tend-fingerprint:1:<account id>:<60 digits>
 *
 * Scanning compares the code with the fingerprint pinned for that account (circle.pin): the
 * account id must be the one being verified and every digit must match.
 */
import { err, ok, type Result } from '../result.js';
import { ID_PATTERN } from '../crypto/ids.js';

export const FINGERPRINT_GROUPS = 12;
export const FINGERPRINT_GROUP_DIGITS = 5;
export const FINGERPRINT_DIGITS = FINGERPRINT_GROUPS * FINGERPRINT_GROUP_DIGITS;
export const FINGERPRINT_QR_PREFIX = 'tend-fingerprint';
export const FINGERPRINT_QR_VERSION = 1;

/**
 * The 60 digits of a fingerprint however it was written (spaces, dashes or line breaks between
 * groups), or null when it is not exactly 60 digits.
 */
export function fingerprintDigits(text: string): string | null {
  const digits = text.replace(/[\s-]/g, '');
  return /^\d{60}$/.test(digits) ? digits : null;
}

/** The 12 groups of 5 digits, for showing a fingerprint in a grid. */
export function fingerprintGroups(fingerprint: string): string[] {
  const digits = fingerprintDigits(fingerprint);
  if (digits === null) throw new TypeError('not a fingerprint');
  return digits.match(/\d{5}/g) ?? [];
}

/** The fingerprint as `fingerprint()` writes it: 12 groups separated by single spaces. */
export function formatFingerprint(fingerprint: string): string {
  return fingerprintGroups(fingerprint).join(' ');
}

/** Two fingerprints are the same when their 60 digits are. */
export function sameFingerprint(a: string, b: string): boolean {
  const x = fingerprintDigits(a);
  return x !== null && x === fingerprintDigits(b);
}

/** The QR code's text for one account's fingerprint. */
export function encodeFingerprintPayload(accountId: string, fingerprint: string): string {
  if (!ID_PATTERN.test(accountId)) throw new TypeError('account id is not valid');
  const digits = fingerprintDigits(fingerprint);
  if (digits === null) throw new TypeError('not a fingerprint');
  return `${FINGERPRINT_QR_PREFIX}:${String(FINGERPRINT_QR_VERSION)}:${accountId}:${digits}`;
}

export interface ScannedFingerprint {
  readonly accountId: string;
  /** Formatted: 12 groups of 5. */
  readonly fingerprint: string;
}

export type FingerprintPayloadError =
  /** some other QR code (a web address, a ticket…) */
  | 'not_tend'
  /** a Tend fingerprint code of a version this client does not read */
  | 'unsupported_version'
  /** starts like one but is damaged */
  | 'bad_format';

/** Reads a scanned QR code's text strictly: nothing before, after or in between. */
export function parseFingerprintPayload(
  text: string,
): Result<ScannedFingerprint, FingerprintPayloadError> {
  const parts = text.split(':');
  if (parts[0] !== FINGERPRINT_QR_PREFIX) return err('not_tend');
  if (parts.length < 2 || !/^[1-9]\d{0,8}$/.test(parts[1] ?? '')) return err('bad_format');
  if (parts[1] !== String(FINGERPRINT_QR_VERSION)) return err('unsupported_version');
  if (parts.length !== 4) return err('bad_format');
  const accountId = parts[2] ?? '';
  const digits = parts[3] ?? '';
  if (!ID_PATTERN.test(accountId) || !/^\d{60}$/.test(digits)) return err('bad_format');
  return ok({ accountId, fingerprint: formatFingerprint(digits) });
}

export type ScanComparison =
  /** the code is this person's and every digit matches the pinned fingerprint */
  | { readonly result: 'match' }
  /** the code is someone else's (another account) */
  | { readonly result: 'other_person'; readonly accountId: string }
  /** the code is this person's account but the digits differ: do not trust these keys */
  | { readonly result: 'mismatch' }
  /** not a readable Tend fingerprint code */
  | { readonly result: 'unreadable'; readonly reason: FingerprintPayloadError };

/** Compares a scanned QR code with the fingerprint pinned for `pinned.accountId`. */
export function compareScanned(
  scannedText: string,
  pinned: { readonly accountId: string; readonly fingerprint: string },
): ScanComparison {
  const scanned = parseFingerprintPayload(scannedText.trim());
  if (!scanned.ok) return { result: 'unreadable', reason: scanned.error };
  if (scanned.value.accountId !== pinned.accountId) {
    return { result: 'other_person', accountId: scanned.value.accountId };
  }
  return sameFingerprint(scanned.value.fingerprint, pinned.fingerprint)
    ? { result: 'match' }
    : { result: 'mismatch' };
}
