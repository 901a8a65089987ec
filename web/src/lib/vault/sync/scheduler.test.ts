import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { SyncResult } from './engine';
import { SyncScheduler, type OnlineEvents } from './scheduler';

const offline: SyncResult = { ok: false, error: { kind: 'offline' } };
const done: SyncResult = {
  ok: true,
  value: { pushed: 0, pulled: 0, conflicts: 0, rejected: [], tooLarge: [] },
};

class Events implements OnlineEvents {
  listeners = new Map<() => void, 'online' | 'focus'>();
  addEventListener(type: 'online' | 'focus', l: () => void) {
    this.listeners.set(l, type);
  }
  removeEventListener(_type: 'online' | 'focus', l: () => void) {
    this.listeners.delete(l);
  }
  fire(type: 'online' | 'focus' = 'online') {
    for (const [l, t] of this.listeners) if (t === type) l();
  }
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

it('syncs at start, debounces bursts of changes, and syncs on `online`', async () => {
  const sync = vi.fn(async () => done);
  const events = new Events();
  const s = new SyncScheduler(sync, { debounceMs: 300, events });
  s.start();
  await vi.advanceTimersByTimeAsync(0);
  expect(sync).toHaveBeenCalledTimes(1);
  s.request();
  s.request();
  await vi.advanceTimersByTimeAsync(200);
  s.request();
  await vi.advanceTimersByTimeAsync(299);
  expect(sync).toHaveBeenCalledTimes(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(sync).toHaveBeenCalledTimes(2);
  events.fire();
  await vi.advanceTimersByTimeAsync(0);
  expect(sync).toHaveBeenCalledTimes(3);
  s.stop();
  expect(events.listeners.size).toBe(0);
  s.request();
  await vi.advanceTimersByTimeAsync(10_000);
  expect(sync).toHaveBeenCalledTimes(3);
});

it('retries network failures with exponential back-off, capped, and resets on success', async () => {
  const results = [offline, offline, offline, done];
  const sync = vi.fn(async () => results.shift() ?? done);
  const s = new SyncScheduler(sync, { minBackoffMs: 1000, maxBackoffMs: 3000, random: () => 1 });
  expect([1, 2, 3, 4, 10].map((n) => s.backoff(n))).toEqual([1000, 2000, 3000, 3000, 3000]);
  s.start();
  await vi.advanceTimersByTimeAsync(0);
  expect(sync).toHaveBeenCalledTimes(1);
  await vi.advanceTimersByTimeAsync(1000);
  expect(sync).toHaveBeenCalledTimes(2);
  await vi.advanceTimersByTimeAsync(1999);
  expect(sync).toHaveBeenCalledTimes(2);
  await vi.advanceTimersByTimeAsync(1);
  expect(sync).toHaveBeenCalledTimes(3);
  await vi.advanceTimersByTimeAsync(3000);
  expect(sync).toHaveBeenCalledTimes(4);
  // Success: no more retries until something asks.
  await vi.advanceTimersByTimeAsync(60_000);
  expect(sync).toHaveBeenCalledTimes(4);
  s.stop();
});

it('does not retry in a loop when signed out', async () => {
  const sync = vi.fn(async (): Promise<SyncResult> => ({
    ok: false,
    error: { kind: 'signed_out' },
  }));
  const s = new SyncScheduler(sync);
  s.start();
  await vi.advanceTimersByTimeAsync(600_000);
  expect(sync).toHaveBeenCalledTimes(1);
  s.stop();
});

it('polls for other devices while visible, not while hidden, and syncs when focused', async () => {
  const sync = vi.fn(async () => done);
  const events = new Events();
  let visible = true;
  const s = new SyncScheduler(sync, { events, pollMs: 30_000, visible: () => visible });
  s.start();
  await vi.advanceTimersByTimeAsync(0);
  expect(sync).toHaveBeenCalledTimes(1);
  await vi.advanceTimersByTimeAsync(29_999);
  expect(sync).toHaveBeenCalledTimes(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(sync).toHaveBeenCalledTimes(2);
  visible = false;
  await vi.advanceTimersByTimeAsync(120_000);
  expect(sync).toHaveBeenCalledTimes(2);
  visible = true;
  events.fire('focus');
  await vi.advanceTimersByTimeAsync(0);
  expect(sync).toHaveBeenCalledTimes(3);
  // A change during the wait is synced soon, and polling carries on after it.
  await vi.advanceTimersByTimeAsync(10_000);
  s.request();
  await vi.advanceTimersByTimeAsync(300);
  expect(sync).toHaveBeenCalledTimes(4);
  await vi.advanceTimersByTimeAsync(30_000);
  expect(sync).toHaveBeenCalledTimes(5);
  s.stop();
  expect(events.listeners.size).toBe(0);
  await vi.advanceTimersByTimeAsync(120_000);
  expect(sync).toHaveBeenCalledTimes(5);
});
