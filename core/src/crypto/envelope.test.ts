import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { u32be, u64be } from './canonical.js';
import {
  ENVELOPE_OVERHEAD,
  MAX_PLAINTEXT_BYTES,
  openEnvelope,
  readEnvelopeHeader,
  sealEnvelope,
  type EnvelopeBinding,
} from './envelope.js';
import { ID_PATTERN, ITEM_TYPE_PATTERN } from './ids.js';
import { counting, seededRandom } from './test-support/vectors.js';

const arbId = fc.stringMatching(ID_PATTERN);
const arbType = fc.stringMatching(ITEM_TYPE_PATTERN);
const arbBinding: fc.Arbitrary<EnvelopeBinding> = fc.record({
  ownerId: arbId,
  collectionId: arbId,
  itemId: arbId,
  itemType: arbType,
});
const arbKeyId = fc.integer({ min: 1, max: 0xffff_ffff });
const arbSequence = fc.oneof(
  fc.integer({ min: 0, max: 1000 }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
);
const arbKey = fc.uint8Array({ minLength: 32, maxLength: 32 });

function seal(
  binding: EnvelopeBinding,
  key: Uint8Array,
  keyId: number,
  sequence: number,
  plaintext: Uint8Array,
  seed = 1,
): Uint8Array {
  const sealed = sealEnvelope(
    { binding, collectionKey: key, keyId, sequence, plaintext },
    seededRandom(seed),
  );
  if (!sealed.ok) throw new Error(sealed.error);
  return sealed.value;
}

/** A key lookup that hands out the same key for any id: key-id tampering must fail the AEAD. */
const anyId = (key: Uint8Array) => () => key;

describe('envelope v1', () => {
  it('seal → open round-trips arbitrary payloads, ids, key ids and sequences', () => {
    fc.assert(
      fc.property(
        arbBinding,
        arbKey,
        arbKeyId,
        arbSequence,
        fc.uint8Array({ maxLength: 2048 }),
        fc.integer(),
        (binding, key, keyId, sequence, plaintext, seed) => {
          const envelope = seal(binding, key, keyId, sequence, plaintext, seed);
          expect(envelope.length).toBe(ENVELOPE_OVERHEAD + plaintext.length);
          const opened = openEnvelope({
            envelope,
            binding,
            collectionKeys: (id) => (id === keyId ? key : undefined),
            minSequence: sequence,
            expectedSequence: sequence,
            minKeyId: keyId,
          });
          expect(opened).toEqual({ ok: true, value: { plaintext, keyId, sequence } });
        },
      ),
    );
  });

  it('rejects any single flipped bit', () => {
    const binding = { ownerId: 'o', collectionId: 'c', itemId: 'i', itemType: 'plan' };
    const key = counting(32);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(), (plaintext, bitSeed) => {
        const envelope = seal(binding, key, 3, 9, plaintext);
        const bit = bitSeed % (envelope.length * 8);
        const tampered = Uint8Array.from(envelope);
        tampered[bit >> 3] = (tampered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        const opened = openEnvelope({ envelope: tampered, binding, collectionKeys: anyId(key) });
        expect(opened.ok).toBe(false);
      }),
    );
  });

  it('rejects every change of owner, collection, item or type in the binding', () => {
    const fields = ['ownerId', 'collectionId', 'itemId', 'itemType'] as const;
    fc.assert(
      fc.property(
        arbBinding,
        fc.constantFrom(...fields),
        arbId,
        arbType,
        arbKey,
        (binding, field, otherId, otherType, key) => {
          const replacement = field === 'itemType' ? otherType : otherId;
          fc.pre(binding[field] !== replacement);
          const envelope = seal(binding, key, 1, 1, Uint8Array.of(1, 2, 3));
          const opened = openEnvelope({
            envelope,
            binding: { ...binding, [field]: replacement },
            collectionKeys: anyId(key),
          });
          expect(opened).toEqual({ ok: false, error: 'auth_failed' });
        },
      ),
    );
  });

  it('rejects a rewritten key id or sequence in the header', () => {
    fc.assert(
      fc.property(
        arbBinding,
        arbKey,
        arbKeyId,
        arbKeyId,
        arbSequence,
        arbSequence,
        fc.boolean(),
        (binding, key, keyId, otherKeyId, sequence, otherSequence, rewriteKeyId) => {
          fc.pre(rewriteKeyId ? keyId !== otherKeyId : sequence !== otherSequence);
          const envelope = seal(binding, key, keyId, sequence, Uint8Array.of(7));
          const tampered = Uint8Array.from(envelope);
          if (rewriteKeyId) tampered.set(u32be(otherKeyId), 1);
          else tampered.set(u64be(otherSequence), 5);
          const opened = openEnvelope({ envelope: tampered, binding, collectionKeys: anyId(key) });
          expect(opened).toEqual({ ok: false, error: 'auth_failed' });
        },
      ),
    );
  });

  it('rejects an envelope moved to another item (the server swapping rows)', () => {
    const key = counting(32);
    const a = { ownerId: 'o', collectionId: 'c', itemId: 'a', itemType: 'journal' };
    const b = { ...a, itemId: 'b' };
    const envelopeOfA = seal(a, key, 1, 5, new TextEncoder().encode('entry a'));
    expect(openEnvelope({ envelope: envelopeOfA, binding: b, collectionKeys: anyId(key) })).toEqual(
      { ok: false, error: 'auth_failed' },
    );
  });

  it('rejects an authentic older revision once a newer one was seen (replay / rollback)', () => {
    fc.assert(
      fc.property(
        arbBinding,
        arbKey,
        fc.nat({ max: 1_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        (binding, key, older, gap) => {
          const envelope = seal(binding, key, 1, older, Uint8Array.of(1));
          const opened = openEnvelope({
            envelope,
            binding,
            collectionKeys: anyId(key),
            minSequence: older + gap,
          });
          expect(opened).toEqual({ ok: false, error: 'stale_sequence' });
        },
      ),
    );
  });

  it('rejects a sequence that differs from the revision the server claims', () => {
    const key = counting(32);
    const binding = { ownerId: 'o', collectionId: 'c', itemId: 'i', itemType: 'plan' };
    const envelope = seal(binding, key, 1, 4, Uint8Array.of(1));
    expect(
      openEnvelope({ envelope, binding, collectionKeys: anyId(key), expectedSequence: 5 }),
    ).toEqual({ ok: false, error: 'wrong_binding' });
  });

  it('rejects an authentic envelope under a retired key id', () => {
    const key = counting(32);
    const binding = { ownerId: 'o', collectionId: 'c', itemId: 'i', itemType: 'plan' };
    const envelope = seal(binding, key, 1, 8, Uint8Array.of(1));
    expect(openEnvelope({ envelope, binding, collectionKeys: anyId(key), minKeyId: 2 })).toEqual({
      ok: false,
      error: 'stale_key',
    });
  });

  it('reports unknown key ids, unsupported versions and malformed input', () => {
    const key = counting(32);
    const binding = { ownerId: 'o', collectionId: 'c', itemId: 'i', itemType: 'plan' };
    const envelope = seal(binding, key, 2, 1, Uint8Array.of(1));
    expect(openEnvelope({ envelope, binding, collectionKeys: () => undefined })).toEqual({
      ok: false,
      error: 'unknown_key',
    });
    const v2 = Uint8Array.from(envelope);
    v2[0] = 2;
    expect(openEnvelope({ envelope: v2, binding, collectionKeys: anyId(key) })).toEqual({
      ok: false,
      error: 'unsupported_version',
    });
    for (const bad of [new Uint8Array(0), envelope.subarray(0, ENVELOPE_OVERHEAD - 1)]) {
      expect(openEnvelope({ envelope: bad, binding, collectionKeys: anyId(key) }).ok).toBe(false);
    }
    const zeroKeyId = Uint8Array.from(envelope);
    zeroKeyId.set(u32be(0), 1);
    expect(readEnvelopeHeader(zeroKeyId)).toEqual({ ok: false, error: 'bad_format' });
    const hugeSequence = Uint8Array.from(envelope);
    hugeSequence.set([0x00, 0x20, 0, 0, 0, 0, 0, 0], 5);
    expect(readEnvelopeHeader(hugeSequence)).toEqual({ ok: false, error: 'bad_format' });
    expect(
      openEnvelope({
        envelope,
        binding: { ...binding, itemId: 'not an id' },
        collectionKeys: anyId(key),
      }),
    ).toEqual({ ok: false, error: 'wrong_binding' });
  });

  it('refuses to seal more than the maximum plaintext, and invalid ids', () => {
    const binding = { ownerId: 'o', collectionId: 'c', itemId: 'i', itemType: 'plan' };
    const big = sealEnvelope({
      binding,
      collectionKey: counting(32),
      keyId: 1,
      sequence: 1,
      plaintext: new Uint8Array(MAX_PLAINTEXT_BYTES + 1),
    });
    expect(big).toEqual({ ok: false, error: 'too_large' });
    expect(() =>
      sealEnvelope({
        binding: { ...binding, ownerId: 'ünïcode' },
        collectionKey: counting(32),
        keyId: 1,
        sequence: 1,
        plaintext: new Uint8Array(1),
      }),
    ).toThrow(TypeError);
  });

  it('uses a fresh item key and nonces for every seal', () => {
    const binding = { ownerId: 'o', collectionId: 'c', itemId: 'i', itemType: 'plan' };
    const input = {
      binding,
      collectionKey: counting(32),
      keyId: 1,
      sequence: 1,
      plaintext: Uint8Array.of(1),
    };
    const a = sealEnvelope(input);
    const b = sealEnvelope(input);
    expect(a.ok && b.ok && a.value).not.toEqual(b.ok && b.value);
  });
});
