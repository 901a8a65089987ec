import type { SyncResult } from './engine';

/** Where `online` and `focus` events come from (`window` in the browser). */
export interface OnlineEvents {
  addEventListener(type: 'online' | 'focus', listener: () => void): void;
  removeEventListener(type: 'online' | 'focus', listener: () => void): void;
}

export interface SchedulerOptions {
  /** Wait after a local change before syncing, so a burst of changes goes in one push. */
  readonly debounceMs?: number;
  /** First retry after a network failure; doubles on each failure up to `maxBackoffMs`. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly events?: OnlineEvents;
  /**
   * After a successful sync, sync again after this long to pick up other devices' changes
   * (0 or unset: never by itself). Skipped while `visible()` says the page is hidden.
   */
  readonly pollMs?: number;
  readonly visible?: () => boolean;
  /** 0 ≤ r < 1, for jitter (tests pass a constant). */
  readonly random?: () => number;
}

/**
 * When to sync: at start, on `online` and `focus`, shortly after local changes (debounced),
 * every `pollMs` while the page is visible, and after a network failure with exponential
 * back-off (with jitter). Other failures (signed out, vault full) wait for the next change,
 * `online` or `focus` event rather than retrying in a loop.
 */
export class SyncScheduler {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private stopped = true;
  private readonly onOnline = () => {
    this.failures = 0;
    this.schedule(0);
  };
  private readonly onFocus = () => {
    if (this.failures === 0) this.schedule(0);
  };

  constructor(
    private readonly sync: () => Promise<SyncResult>,
    private readonly opts: SchedulerOptions = {},
    private readonly onResult: (result: SyncResult) => void = () => undefined,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.opts.events?.addEventListener('online', this.onOnline);
    this.opts.events?.addEventListener('focus', this.onFocus);
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.opts.events?.removeEventListener('online', this.onOnline);
    this.opts.events?.removeEventListener('focus', this.onFocus);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A local change happened: sync soon. */
  request(): void {
    this.schedule(this.opts.debounceMs ?? 300);
  }

  /** The delay before the next retry after `failures` network failures in a row. */
  backoff(failures: number): number {
    const min = this.opts.minBackoffMs ?? 1_000;
    const max = this.opts.maxBackoffMs ?? 5 * 60_000;
    const base = Math.min(max, min * 2 ** Math.max(0, failures - 1));
    const jitter = 0.5 + 0.5 * (this.opts.random ?? Math.random)();
    return Math.round(base * jitter);
  }

  private schedule(delayMs: number, poll = false): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run(poll);
    }, delayMs);
  }

  private async run(poll: boolean): Promise<void> {
    const pollMs = this.opts.pollMs ?? 0;
    if (poll && this.opts.visible?.() === false) {
      // Hidden: look again later (a `focus` syncs at once when the person comes back).
      this.schedule(pollMs, true);
      return;
    }
    let result: SyncResult;
    try {
      result = await this.sync();
    } catch {
      // An unexpected failure (IndexedDB, a bug): treat like a network failure, retry later.
      result = { ok: false, error: { kind: 'offline' } };
    }
    this.onResult(result);
    if (result.ok) {
      this.failures = 0;
      // Unless a change asked for a sync meanwhile, look for other devices' changes later.
      if (pollMs > 0 && this.timer === undefined) this.schedule(pollMs, true);
    } else if (result.error.kind === 'offline') {
      this.failures++;
      this.schedule(this.backoff(this.failures));
    }
  }
}
