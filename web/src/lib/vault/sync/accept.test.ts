import { describe, expect, it } from 'vitest';
import type { StoredItem } from '../store/schema';
import { acceptServerChange, type ServerChange } from './accept';
import { generateKey, sealEnvelope, toBase64url } from './core';

const owner = 'owner-1';
const key1 = generateKey();
const key2 = generateKey();
const keys = (id: number) => (id === 1 ? key1 : id === 2 ? key2 : undefined);

const sealed = (sequence: number, keyId = 1, itemType = 'plan', text = 'x') => {
  const r = sealEnvelope({
    binding: { ownerId: owner, collectionId: 'plans', itemId: 'p1', itemType },
    collectionKey: keyId === 1 ? key1 : key2,
    keyId,
    sequence,
    plaintext: new TextEncoder().encode(text),
  });
  if (!r.ok) throw new Error('seal');
  return r.value;
};

const change = (revision: number, envelope: Uint8Array | null): ServerChange => ({
  collection: 'plans',
  itemId: 'p1',
  revision,
  seq: revision + 10,
  envelope: envelope === null ? null : toBase64url(envelope),
  updatedAt: '2026-11-24T00:00:00.000Z',
});

const item = (revision: number, type: string | null, maxKeyId = 1): StoredItem => ({
  collection: 'plans',
  itemId: 'p1',
  revision,
  seq: revision + 10,
  envelope: sealed(revision, maxKeyId),
  maxSequence: revision,
  maxKeyId,
  type,
  updatedAt: '',
});

describe('acceptServerChange', () => {
  it('accepts a newer authentic version and raises the marks', () => {
    const r = acceptServerChange(owner, item(1, 'plan'), change(2, sealed(2, 2)), keys);
    expect(
      r.ok && r.value !== 'unchanged' && [r.value.revision, r.value.maxSequence, r.value.maxKeyId],
    ).toEqual([2, 2, 2]);
  });

  it('treats the same revision as already known and an older one as a replay', () => {
    expect(acceptServerChange(owner, item(3, 'plan'), change(3, sealed(3)), keys)).toEqual({
      ok: true,
      value: 'unchanged',
    });
    expect(acceptServerChange(owner, item(3, 'plan'), change(2, sealed(2)), keys)).toEqual({
      ok: false,
      error: 'stale_sequence',
    });
  });

  it('refuses a revision that is not the sealed sequence, and garbage', () => {
    expect(acceptServerChange(owner, item(1, 'plan'), change(5, sealed(2)), keys)).toEqual({
      ok: false,
      error: 'wrong_binding',
    });
    const bad = { ...change(2, null), envelope: 'AQ' };
    expect(acceptServerChange(owner, item(1, 'plan'), bad, keys).ok).toBe(false);
  });

  it('refuses a version sealed under an older key than the item already used', () => {
    const r = acceptServerChange(owner, item(1, 'plan', 2), change(2, sealed(2, 1)), keys);
    expect(r).toEqual({ ok: false, error: 'stale_key' });
  });

  it('opens in full when the type is known: tampering or another type is refused', () => {
    const env = sealed(2);
    env[env.length - 1] = (env[env.length - 1] ?? 0) ^ 1;
    expect(acceptServerChange(owner, item(1, 'plan'), change(2, env), keys)).toEqual({
      ok: false,
      error: 'auth_failed',
    });
    const other = sealed(2, 1, 'journal.entry');
    expect(acceptServerChange(owner, item(1, 'plan'), change(2, other), keys)).toEqual({
      ok: false,
      error: 'auth_failed',
    });
  });

  it('keeps a version of an unknown type (or key) unverified, without raising the marks', () => {
    const r = acceptServerChange(owner, undefined, change(4, sealed(4)), keys);
    expect(
      r.ok && r.value !== 'unchanged' && [r.value.revision, r.value.maxSequence, r.value.type],
    ).toEqual([4, 0, null]);
    const noKey = acceptServerChange(
      owner,
      item(1, 'plan'),
      change(2, sealed(2, 2)),
      () => undefined,
    );
    expect(noKey.ok && noKey.value !== 'unchanged' && noKey.value.maxSequence).toBe(1);
  });

  it('accepts a deletion without moving the marks', () => {
    const r = acceptServerChange(owner, item(2, 'plan'), change(3, null), keys);
    expect(r.ok && r.value !== 'unchanged' && [r.value.envelope, r.value.maxSequence]).toEqual([
      null,
      2,
    ]);
  });
});
