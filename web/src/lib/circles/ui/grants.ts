/**
 * Changing what members may see, and bringing their shared collections in line: the grant is
 * written (../sharing.ts saveGrant), then the sharing code runs (syncSharing: copies, deletions,
 * a new generation and key when something was taken away).
 */
import type { SectionRef } from '$core/circles/items';
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

/** Runs the sharing code for every member. */
export async function runSharing(vault: Vault): Promise<ShareOutcome> {
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
