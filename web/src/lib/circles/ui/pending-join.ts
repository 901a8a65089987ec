/** An invitation link opened while signed out, kept for this tab (sessionStorage) to come back to. */
export const PENDING_JOIN_KEY = 'tend.pendingJoin';

const JOIN_LINK = /^\/circle\/join\/([A-Za-z0-9_-]{43})(#[A-Za-z0-9_-]{43})$/;

/** The kept link's path and fragment, if it is one of Tend's join links. */
export function pendingJoin(): string | null {
  try {
    const kept = sessionStorage.getItem(PENDING_JOIN_KEY);
    return kept !== null && JOIN_LINK.test(kept) ? kept : null;
  } catch {
    return null;
  }
}

/** A kept join link in two parts: the token for the route, and the `#key` that stays in the tab. */
export interface PendingJoinParts {
  readonly token: string;
  readonly fragment: string;
}

/**
 * The kept join link split for `resolve('/circle/join/[token]', { token })` plus its fragment,
 * or null when this tab keeps none (or something that is not one of Tend's join links).
 */
export function pendingJoinParts(kept: string | null = pendingJoin()): PendingJoinParts | null {
  const m = kept === null ? null : JOIN_LINK.exec(kept);
  return m?.[1] !== undefined && m[2] !== undefined ? { token: m[1], fragment: m[2] } : null;
}

/** What the server says of the kept invitation: still open (from whom), gone, or unknown now. */
export type PendingJoinState =
  | { readonly kind: 'open'; readonly handle: string }
  | { readonly kind: 'gone' }
  | { readonly kind: 'unknown' };

/**
 * Reads the server's answer for a kept link (`GET /api/v1/circles/links/:token`): open with the
 * inviter's handle; gone when it was answered, withdrawn or has expired (404, 410 or no longer
 * pending); unknown when offline or something else went wrong, so the link is still offered.
 */
export function pendingJoinState(
  answer:
    | { readonly ok: true; readonly value: { status: string; owner: { handle: string } } }
    | { readonly ok: false; readonly status: number },
): PendingJoinState {
  if (answer.ok) {
    return answer.value.status === 'pending'
      ? { kind: 'open', handle: answer.value.owner.handle }
      : { kind: 'gone' };
  }
  return answer.status === 404 || answer.status === 410 ? { kind: 'gone' } : { kind: 'unknown' };
}
