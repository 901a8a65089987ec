import type { StoredItem } from '../store/schema';
import {
  fromBase64url,
  openEnvelope,
  readEnvelopeHeader,
  type EnvelopeError,
  type Result,
  err,
  ok,
} from './core';
import type { KeyLookup } from './keyring';

/** A version of an item as a server answer carries it. */
export interface ServerChange {
  readonly collection: string;
  readonly itemId: string;
  readonly revision: number;
  readonly seq: number;
  readonly envelope: string | null;
  readonly updatedAt: string;
}

/** Why a server version was not accepted (the local one is kept). */
export type RejectReason = EnvelopeError;

/**
 * Decides whether a server version of an item may replace the local one (docs/PROTOCOL.md §6,
 * "Reading an item", §7). `unchanged`: this device already has that revision; an older one is
 * a replay (`stale_sequence`).
 * The envelope's header must carry the reported revision and must not go below the item's
 * high-water marks; when this device knows the item's type, the envelope is opened in full
 * (authenticity, binding, marks) and the marks are raised. An unknown type (an item written on
 * another device and not read here yet) is checked when first read.
 */
export function acceptServerChange(
  accountId: string,
  existing: StoredItem | undefined,
  change: ServerChange,
  keys: KeyLookup,
): Result<StoredItem | 'unchanged', RejectReason> {
  if (existing !== undefined && change.revision === existing.revision) return ok('unchanged');
  // The server went back to an older revision than this device already has: a replay.
  if (existing !== undefined && change.revision < existing.revision) return err('stale_sequence');
  const base = {
    collection: change.collection,
    itemId: change.itemId,
    revision: change.revision,
    seq: change.seq,
    maxSequence: existing?.maxSequence ?? 0,
    maxKeyId: existing?.maxKeyId ?? 1,
    type: existing?.type ?? null,
    updatedAt: change.updatedAt,
  };
  // A deletion carries nothing to authenticate; the marks stay where they were.
  if (change.envelope === null) return ok({ ...base, envelope: null });

  const envelope = fromBase64url(change.envelope);
  if (envelope === undefined) return err('bad_format');
  const header = readEnvelopeHeader(envelope);
  if (!header.ok) return header;
  if (header.value.sequence !== change.revision) return err('wrong_binding');
  if (header.value.sequence < base.maxSequence) return err('stale_sequence');
  if (header.value.keyId < base.maxKeyId) return err('stale_key');
  if (base.type === null) return ok({ ...base, envelope });

  const opened = openEnvelope({
    envelope,
    binding: {
      ownerId: accountId,
      collectionId: change.collection,
      itemId: change.itemId,
      itemType: base.type,
    },
    collectionKeys: keys,
    expectedSequence: change.revision,
    minSequence: base.maxSequence,
    minKeyId: base.maxKeyId,
  });
  // A key this device does not hold yet: keep the version, unverified, as for an unknown type;
  // it is opened in full (and the marks raised) when read.
  if (!opened.ok && opened.error === 'unknown_key') return ok({ ...base, envelope });
  if (!opened.ok) return opened;
  opened.value.plaintext.fill(0);
  return ok({
    ...base,
    envelope,
    maxSequence: opened.value.sequence,
    maxKeyId: Math.max(base.maxKeyId, opened.value.keyId),
  });
}
