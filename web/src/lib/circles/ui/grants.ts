/**
 * Changing what one member may see. The grant is written, then the sharing code brings that
 * member's collection in line with it (copies, deletions, a new generation when something was
 * taken away).
 */
import { CIRCLE_ITEM_TYPES, type CircleGrant, type SectionRef } from '$core/circles/items';
import { readGrant, writeItem } from '$lib/circles/store';
import type { Vault } from '$lib/vault/sync/vault';

export interface GrantChoice {
  readonly sections: readonly SectionRef[];
  readonly daily: boolean;
  readonly contact: boolean;
}

export type GrantResult = { ok: true } | { ok: false; reason: string };

export async function updateGrant(
  vault: Vault,
  memberId: string,
  choice: GrantChoice,
): Promise<GrantResult> {
  const current = await readGrant(vault, memberId);
  const next: CircleGrant = {
    ...current,
    sections: [...choice.sections],
    daily: choice.daily,
    contact: choice.contact,
  };
  if (!(await writeItem(vault, CIRCLE_ITEM_TYPES.grant, memberId, next))) {
    return { ok: false, reason: 'save' };
  }
  return { ok: true };
}
