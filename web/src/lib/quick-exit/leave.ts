/**
 * Leaves Tend at once: hides everything on the page, forgets this tab's session data, and replaces
 * the current history entry with a neutral website (so Back does not return to this page).
 */
export function leaveQuickly(url: string): void {
  try {
    document.title = '';
    document.body.replaceChildren();
  } catch {
    // Keep going: leaving matters more than tidying up.
  }
  clearSession();
  // The router saves scroll positions into sessionStorage as the page unloads; these listeners
  // are added after its own, so they run last and leave the storage empty.
  for (const type of ['beforeunload', 'pagehide', 'visibilitychange'] as const) {
    addEventListener(type, clearSession);
  }
  location.replace(url);
}

function clearSession(): void {
  try {
    sessionStorage.clear();
  } catch {
    // Storage may be disabled.
  }
}
