import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followSharing } from './auto-share';

type State = { version: number; changed: string[] };

/** A vault that only announces changes, as Vault.subscribe does (the current state at once). */
function fakeVault() {
  let state: State = { version: 0, changed: [] };
  const listeners = new Set<(s: State) => void>();
  return {
    subscribe(run: (s: State) => void) {
      listeners.add(run);
      run(state);
      return () => listeners.delete(run);
    },
    change(...collections: string[]) {
      state = { version: state.version + 1, changed: collections };
      for (const run of listeners) run(state);
    },
    listeners,
  };
}

describe('followSharing', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once shortly after the vault opens', async () => {
    const vault = fakeVault();
    const run = vi.fn(async () => undefined);
    followSharing(vault, run, { openDelayMs: 3000, delayMs: 2000 });
    await vi.advanceTimersByTimeAsync(2999);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('runs after plan changes, once per quiet spell, and not for other collections', async () => {
    const vault = fakeVault();
    const run = vi.fn(async () => undefined);
    followSharing(vault, run, { openDelayMs: 10, delayMs: 2000 });
    await vi.advanceTimersByTimeAsync(10);
    expect(run).toHaveBeenCalledTimes(1);

    vault.change('checkins');
    vault.change('to-someone-1');
    await vi.advanceTimersByTimeAsync(5000);
    expect(run).toHaveBeenCalledTimes(1);

    // Typing: saves every second; one run two seconds after the last.
    for (let i = 0; i < 5; i++) {
      vault.change('plans');
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('never overlaps runs; a change during a run asks for exactly one more', async () => {
    const vault = fakeVault();
    let finish: () => void = () => undefined;
    let active = 0;
    let most = 0;
    const run = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          active += 1;
          most = Math.max(most, active);
          finish = () => {
            active -= 1;
            resolve();
          };
        }),
    );
    followSharing(vault, run, { openDelayMs: 0, delayMs: 100 });
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
    vault.change('plans');
    await vi.advanceTimersByTimeAsync(100);
    vault.change('plans');
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(2);
    finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).toHaveBeenCalledTimes(2);
    expect(most).toBe(1);
  });

  it('keeps going after a run that throws', async () => {
    const vault = fakeVault();
    const run = vi.fn(async () => {
      throw new Error('offline');
    });
    followSharing(vault, run, { openDelayMs: 0, delayMs: 10 });
    await vi.advanceTimersByTimeAsync(0);
    vault.change('plans');
    await vi.advanceTimersByTimeAsync(10);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('runs when the browser comes back online', async () => {
    const vault = fakeVault();
    const events = new EventTarget();
    const run = vi.fn(async () => undefined);
    const stop = followSharing(vault, run, { openDelayMs: 0, delayMs: 10, events });
    await vi.advanceTimersByTimeAsync(0);
    events.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(10);
    expect(run).toHaveBeenCalledTimes(2);
    stop();
    events.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('stops: no pending run fires and the vault is no longer watched', async () => {
    const vault = fakeVault();
    const run = vi.fn(async () => undefined);
    const stop = followSharing(vault, run, { openDelayMs: 50, delayMs: 10 });
    stop();
    expect(vault.listeners.size).toBe(0);
    vault.change('plans');
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).not.toHaveBeenCalled();
  });
});
