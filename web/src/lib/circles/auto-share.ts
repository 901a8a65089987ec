/**
 * Keeps what members see in step with the plans (docs/CIRCLES.md "When the sharing code runs"):
 * once shortly after the vault opens (finishing any run that stopped half-way, and catching edits
 * made offline or on another device), and again a little after every change to the plans
 * collection — a save here or another device's edit arriving by sync. Runs never overlap; a change
 * during a run asks for one more run after it; so does coming back online. The app loads this module only once the vault is
 * open (app.svelte.ts), so it stays out of the first visit's download.
 */
import { PLAN_COLLECTION } from '$core/plans/schema';

export interface AutoShareOptions {
  /** Quiet time after the last change before a run. */
  readonly delayMs?: number;
  /** Delay of the first run after the vault opens. */
  readonly openDelayMs?: number;
  /** Collections whose changes start a run. */
  readonly collections?: readonly string[];
  /** Where `online` is announced (the window): coming back online starts a run too. */
  readonly events?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
}

export const AUTO_SHARE_DELAY_MS = 2_000;
export const AUTO_SHARE_OPEN_DELAY_MS = 3_000;

interface Watched {
  subscribe(
    run: (state: { readonly version: number; readonly changed: readonly string[] }) => void,
  ): () => void;
}

/**
 * Calls `run` (the sharing code) as described above until the returned stop function is called.
 * `run` must not throw; its outcome is the sharing pages' business, not this scheduler's.
 */
export function followSharing(
  vault: Watched,
  run: () => Promise<unknown>,
  opts: AutoShareOptions = {},
): () => void {
  const delayMs = opts.delayMs ?? AUTO_SHARE_DELAY_MS;
  const watched = new Set(opts.collections ?? [PLAN_COLLECTION]);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let again = false;

  const start = async () => {
    timer = null;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await run();
    } catch {
      // The next change or the next open tries again.
    } finally {
      running = false;
    }
    if (again && !stopped) {
      again = false;
      schedule(delayMs);
    }
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => void start(), ms);
  };

  let seen = -1;
  const unsubscribe = vault.subscribe((state) => {
    if (seen === -1) schedule(opts.openDelayMs ?? AUTO_SHARE_OPEN_DELAY_MS);
    else if (state.version !== seen && state.changed.some((c) => watched.has(c))) {
      schedule(delayMs);
    }
    seen = state.version;
  });
  const online = () => schedule(delayMs);
  opts.events?.addEventListener('online', online);

  return () => {
    stopped = true;
    opts.events?.removeEventListener('online', online);
    if (timer !== null) clearTimeout(timer);
    timer = null;
    unsubscribe();
  };
}
