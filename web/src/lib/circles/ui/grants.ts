/**
 * Changing what members may see, and bringing their shared collections in line: the grant is
 * written (../sharing.ts saveGrant), then the sharing code runs (syncSharing: copies, deletions,
 * a new generation and key when something was taken away).
 */
import { CIRCLE_COLLECTION, CIRCLE_ITEM_TYPES, type SectionRef } from '$core/circles/items';
import { circlesApi } from '$lib/circles/api';
import { saveGrant, serverCollectionKeys, syncSharing } from '$lib/circles/sharing';
import { unlockedKeys } from '$lib/vault/state.svelte';
import type { Vault } from '$lib/vault/sync/vault';

export interface GrantChoice {
  readonly sections: readonly SectionRef[];
  readonly daily: boolean;
  readonly contact: boolean;
}

export type ShareOutcome =
  { ok: true; problems: number } | { ok: false; reason: 'locked' | 'save' | 'offline' | 'failed' };

let current: Promise<ShareOutcome> | null = null;
let queued: Promise<ShareOutcome> | null = null;

/**
 * Runs the sharing code for every member. Runs never overlap (a page's save and the automatic run
 * of auto-share.ts): asked during a run, it runs once more after it, and every caller asking
 * meanwhile shares that next run, which sees all their changes.
 */
export function runSharing(vault: Vault): Promise<ShareOutcome> {
  if (queued !== null) return queued;
  if (current !== null) {
    queued = current.then(() => {
      // (a run's promise never rejects: startRun turns a throw into 'failed')
      queued = null;
      return startRun(vault);
    });
    return queued;
  }
  return startRun(vault);
}

function startRun(vault: Vault): Promise<ShareOutcome> {
  current = runOnce(vault)
    .catch((): ShareOutcome => ({ ok: false, reason: 'failed' }))
    .finally(() => {
      current = null;
    });
  return current;
}

async function runOnce(vault: Vault): Promise<ShareOutcome> {
  const keys = unlockedKeys();
  if (keys === null) return { ok: false, reason: 'locked' };
  const r = await syncSharing({
    api: circlesApi(),
    vault,
    me: keys,
    collectionKey: serverCollectionKeys(keys),
  });
  if (!r.ok) {
    return {
      ok: false,
      reason: 'code' in r.error && r.error.code === 'network' ? 'offline' : 'failed',
    };
  }
  return { ok: true, problems: r.value.problems.length };
}

/**
 * The automatic run (auto-share.ts): only for someone who shares something with someone, so an
 * account without a circle makes no circle requests when its vault opens or a plan is saved.
 */
export async function runSharingIfGranted(vault: Vault): Promise<ShareOutcome | null> {
  const grants = await vault.list(CIRCLE_COLLECTION, CIRCLE_ITEM_TYPES.grant);
  if (grants.items.length === 0 && grants.failures.length === 0) return null;
  return runSharing(vault);
}

export async function updateGrant(
  vault: Vault,
  memberId: string,
  choice: GrantChoice,
): Promise<ShareOutcome> {
  const saved = await saveGrant(vault, {
    memberId,
    sections: [...choice.sections],
    daily: choice.daily,
    contact: choice.contact,
  });
  if (!saved) return { ok: false, reason: 'save' };
  return runSharing(vault);
}
