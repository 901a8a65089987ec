import { describe, expect, it } from 'vitest';
import { followCollection } from './follow';
import type { VaultState } from './sync/vault';

function fakeVault() {
  const runs = new Set<(s: VaultState) => void>();
  let state: VaultState = {
    version: 0,
    changed: [],
    syncing: false,
    pending: 0,
    conflicts: 0,
    lastError: null,
    lastSyncedAt: null,
    lastReport: null,
  };
  return {
    subscribe(run: (s: VaultState) => void) {
      runs.add(run);
      run(state);
      return () => void runs.delete(run);
    },
    emit(next: Partial<VaultState>) {
      state = { ...state, ...next };
      for (const run of runs) run(state);
    },
  };
}

describe('followCollection', () => {
  it('reads at once, then only when its collection changes, until stopped', () => {
    const vault = fakeVault();
    const calls: boolean[] = [];
    const stop = followCollection(vault, 'checkins', (first) => calls.push(first));
    expect(calls).toEqual([true]);
    vault.emit({ version: 1, changed: ['plans'] });
    vault.emit({ syncing: true }); // same version: nothing changed
    expect(calls).toEqual([true]);
    vault.emit({ version: 2, changed: ['plans', 'checkins'] });
    expect(calls).toEqual([true, false]);
    vault.emit({ syncing: false }); // same version again
    expect(calls).toEqual([true, false]);
    stop();
    vault.emit({ version: 3, changed: ['checkins'] });
    expect(calls).toEqual([true, false]);
  });
});
