/**
 * Pages that show vault items read them once, then again whenever the items of their collection
 * change (a write here, another device's change arriving by sync). Returns the unsubscribe, so
 * `$effect(() => followCollection(vault, 'plans', () => void load()))` stops with the page.
 */
import type { Vault } from './sync/vault';

export function followCollection(
  vault: Pick<Vault, 'subscribe'>,
  collection: string,
  load: (first: boolean) => void,
): () => void {
  let seen = -1;
  return vault.subscribe((state) => {
    if (seen === -1) load(true);
    else if (state.version !== seen && state.changed.includes(collection)) load(false);
    seen = state.version;
  });
}
