import type { SyncResult } from './engine';

/** Where `online` events come from (`window` in the browser). */
export interface OnlineEvents {
  addEventListener(type: 'online', listener: () => void): void;
  removeEventListener(type: 'online', listener: () => void): void;
}

export interface SchedulerOptions {
  /** Wait after a local change before syncing, so a burst of changes goes in one push. */
  readonly debounceMs?: number;
  /** First retry after a network failure; doubles on each failure up to `maxBackoffMs`. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly events?: OnlineEvents;
  /** 0 ≤ r < 1, for jitter (tests pass a constant). */
  readonly random?: () => number;
}

/**
 * When to sync: at start, on `online`, shortly after local changes (debounced), and after a
 * network failure with exponential back-off (with jitter). Other failures (signed out, vault
 * full) wait for the next change or `online` event rather than retrying in a loop.
 */
export class SyncScheduler {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private stopped = true;
  private readonly onOnline = () => {
    this.failures = 0;
    this.schedule(0);
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
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.opts.events?.removeEventListener('online', this.onOnline);
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

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
  }

  private async run(): Promise<void> {
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
    } else if (result.error.kind === 'offline') {
      this.failures++;
      this.schedule(this.backoff(this.failures));
    }
  }
}
