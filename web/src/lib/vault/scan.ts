/**
 * Reading a feature's items of several types from one collection, as the plans and check-ins
 * stores do: each type is listed (opened and decrypted), then decoded by the feature. Nothing is
 * dropped: an item that does not decode is reported as `invalid`, and one that opens as none of
 * the feature's types (only knowable when every type was listed) as `unreadable`; both stay in
 * the vault untouched.
 */
import type { Result } from '$core/result';
import type { Vault } from './sync/vault';

export type ScanProblem<Type extends string, E> =
  /** The item did not open as any of the types (tampered, or written by a newer Tend). */
  | { readonly itemId: string; readonly kind: 'unreadable' }
  /** It opened, but its content is not valid for its type. */
  | { readonly itemId: string; readonly kind: 'invalid'; readonly type: Type; readonly error: E };

export interface Scanned<T, Type extends string, E> {
  /** The decoded items, type by type in the order asked. */
  readonly values: readonly T[];
  /** Items with a local change the server has not applied yet. */
  readonly pending: ReadonlySet<string>;
  /** Items with an unresolved conflict (both versions kept; see the conflicts page). */
  readonly conflicted: ReadonlySet<string>;
  readonly problems: readonly ScanProblem<Type, E>[];
}

export async function scanTypes<Type extends string, T, E>(
  vault: Pick<Vault, 'list'>,
  collection: string,
  types: readonly Type[],
  allTypes: readonly Type[],
  decode: (type: Type, plaintext: Uint8Array) => Result<T, E>,
): Promise<Scanned<T, Type, E>> {
  const listings = await Promise.all(types.map((t) => vault.list(collection, t)));
  const values: T[] = [];
  const pending = new Set<string>();
  const conflicted = new Set<string>();
  const problems: ScanProblem<Type, E>[] = [];
  const opened = new Set<string>();
  types.forEach((type, i) => {
    for (const item of listings[i]?.items ?? []) {
      opened.add(item.itemId);
      if (item.pending) pending.add(item.itemId);
      if (item.conflicted) conflicted.add(item.itemId);
      const decoded = decode(type, item.plaintext);
      if (decoded.ok) values.push(decoded.value);
      else problems.push({ itemId: item.itemId, kind: 'invalid', type, error: decoded.error });
    }
  });
  // Failing as every type tried is a problem only when all of them were tried.
  if (allTypes.every((t) => types.includes(t))) {
    const failed = new Set(listings.flatMap((l) => l.failures.map((f) => f.itemId)));
    for (const itemId of [...failed].sort()) {
      if (!opened.has(itemId)) problems.push({ itemId, kind: 'unreadable' });
    }
  }
  return { values, pending, conflicted, problems };
}
