/** An invitation link opened while signed out, kept for this tab (sessionStorage) to come back to. */
export const PENDING_JOIN_KEY = 'tend.pendingJoin';

/** The kept link's path and fragment, if it is one of Tend's join links. */
export function pendingJoin(): string | null {
  try {
    const kept = sessionStorage.getItem(PENDING_JOIN_KEY);
    return kept !== null && /^\/circle\/join\/[A-Za-z0-9_-]{43}#[A-Za-z0-9_-]{43}$/.test(kept)
      ? kept
      : null;
  } catch {
    return null;
  }
}
