/**
 * Every case of the Wycheproof files in ../shared/vectors/wycheproof (C2SP/wycheproof, read at
 * test time, never copied here) against the code paths Tend runs:
 *
 * - xchacha20_poly1305 → our XChaCha20-Poly1305 wrapper (envelopes, key wraps);
 * - chacha20_poly1305  → @noble/ciphers and the AEAD inside @hpke/chacha20poly1305 (sharing);
 * - x25519             → our X25519 wrapper (@noble/curves) and the X25519 inside
 *                        @hpke/dhkem-x25519 (sharing);
 * - ed25519            → our strict verification wrapper (signatures everywhere);
 * - hkdf_sha256        → our HKDF wrapper and the two HKDFs inside @hpke (sharing).
 *
 * Semantics: every "valid" case must pass, every "invalid" case must be rejected, an
 * "acceptable" case may go either way (and is counted by outcome).
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { HkdfSha256 as HpkeCoreHkdf } from '@hpke/core';
import { HkdfSha256 as HpkeKemHkdf, X25519 as HpkeX25519 } from '@hpke/dhkem-x25519';
import { concatBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  ed25519Verify,
  hkdfSha256,
  x25519SharedSecret,
  xchachaOpen,
  xchachaSeal,
} from './primitives.js';
import {
  hex,
  loadWycheproof,
  num,
  str,
  toHex,
  type WycheproofFile,
  type WycheproofTest,
} from './test-support/vectors.js';

interface Counts {
  valid: number;
  invalid: number;
  acceptable: number;
}

function countResults(file: WycheproofFile): Counts {
  const counts: Counts = { valid: 0, invalid: 0, acceptable: 0 };
  for (const group of file.testGroups) for (const test of group.tests) counts[test.result]++;
  return counts;
}

const describeCounts = (c: Counts): string =>
  `${c.valid} valid, ${c.invalid} invalid, ${c.acceptable} acceptable`;

function allTests(
  file: WycheproofFile,
): { group: WycheproofFile['testGroups'][number]; test: WycheproofTest }[] {
  return file.testGroups.flatMap((group) => group.tests.map((test) => ({ group, test })));
}

/** Collects failures instead of stopping at the first, so a report names every bad case. */
function expectNoFailures(failures: string[]): void {
  expect(failures, failures.slice(0, 20).join('\n')).toEqual([]);
}

const xchacha = loadWycheproof('xchacha20_poly1305_test.json');
describe('Wycheproof xchacha20_poly1305', () => {
  if (!xchacha.available) {
    it.skip('xchacha20_poly1305_test.json (not found)', () => undefined);
    return;
  }
  const { file } = xchacha;
  const counts = countResults(file);

  it(`runs all ${file.numberOfTests} cases (${describeCounts(counts)})`, () => {
    expect(allTests(file)).toHaveLength(file.numberOfTests);
    const failures: string[] = [];
    for (const { group, test } of allTests(file)) {
      const key = hex(str(test, 'key'));
      const nonce = hex(str(test, 'iv'));
      const aad = hex(str(test, 'aad'));
      const msg = hex(str(test, 'msg'));
      const sealed = concatBytes(hex(str(test, 'ct')), hex(str(test, 'tag')));
      const sizesOk = num(group, 'ivSize') === 192 && num(group, 'keySize') === 256;
      const opened = xchachaOpen(key, nonce, aad, sealed);
      if (test.result === 'valid') {
        if (!sizesOk) failures.push(`${test.tcId}: valid case with unsupported sizes`);
        const ours = toHex(xchachaSeal(key, nonce, aad, msg));
        if (ours !== toHex(sealed)) failures.push(`${test.tcId}: seal differs`);
        if (opened === undefined || toHex(opened) !== toHex(msg)) {
          failures.push(`${test.tcId}: valid ciphertext not opened`);
        }
      } else if (test.result === 'invalid') {
        if (opened !== undefined) failures.push(`${test.tcId}: invalid case opened`);
        if (!sizesOk) {
          let threw = false;
          try {
            xchachaSeal(key, nonce, aad, msg);
          } catch {
            threw = true;
          }
          if (!threw) failures.push(`${test.tcId}: sealed with a ${nonce.length}-byte nonce`);
        }
      }
    }
    expectNoFailures(failures);
  });
});

const chacha = loadWycheproof('chacha20_poly1305_test.json');
describe('Wycheproof chacha20_poly1305', () => {
  if (!chacha.available) {
    it.skip('chacha20_poly1305_test.json (not found)', () => undefined);
    return;
  }
  const { file } = chacha;
  const counts = countResults(file);

  it(`@noble/ciphers: all ${file.numberOfTests} cases (${describeCounts(counts)})`, () => {
    const failures: string[] = [];
    for (const { test } of allTests(file)) {
      const key = hex(str(test, 'key'));
      const nonce = hex(str(test, 'iv'));
      const aad = hex(str(test, 'aad'));
      const msg = hex(str(test, 'msg'));
      const sealed = concatBytes(hex(str(test, 'ct')), hex(str(test, 'tag')));
      let opened: Uint8Array | undefined;
      try {
        opened = chacha20poly1305(key, nonce, aad).decrypt(sealed);
      } catch {
        opened = undefined;
      }
      if (test.result === 'valid') {
        const ours = toHex(chacha20poly1305(key, nonce, aad).encrypt(msg));
        if (ours !== toHex(sealed)) failures.push(`${test.tcId}: seal differs`);
        if (opened === undefined || toHex(opened) !== toHex(msg)) {
          failures.push(`${test.tcId}: valid ciphertext not opened`);
        }
      } else if (test.result === 'invalid' && opened !== undefined) {
        failures.push(`${test.tcId}: invalid case opened`);
      }
    }
    expectNoFailures(failures);
  });

  it(`@hpke/chacha20poly1305 (the HPKE AEAD): all ${file.numberOfTests} cases`, async () => {
    const aead = new Chacha20Poly1305();
    const failures: string[] = [];
    for (const { test } of allTests(file)) {
      const key = hex(str(test, 'key'));
      const nonce = hex(str(test, 'iv'));
      const aad = hex(str(test, 'aad'));
      const msg = hex(str(test, 'msg'));
      const sealed = concatBytes(hex(str(test, 'ct')), hex(str(test, 'tag')));
      const context = aead.createEncryptionContext(key);
      let opened: Uint8Array | undefined;
      try {
        opened = new Uint8Array(await context.open(nonce, sealed, aad));
      } catch {
        opened = undefined;
      }
      if (test.result === 'valid') {
        const ours = toHex(new Uint8Array(await context.seal(nonce, msg, aad)));
        if (ours !== toHex(sealed)) failures.push(`${test.tcId}: seal differs`);
        if (opened === undefined || toHex(opened) !== toHex(msg)) {
          failures.push(`${test.tcId}: valid ciphertext not opened`);
        }
      } else if (test.result === 'invalid' && opened !== undefined) {
        failures.push(`${test.tcId}: invalid case opened`);
      }
    }
    expectNoFailures(failures);
  });
});

const x25519 = loadWycheproof('x25519_test.json');
describe('Wycheproof x25519', () => {
  if (!x25519.available) {
    it.skip('x25519_test.json (not found)', () => undefined);
    return;
  }
  const { file } = x25519;
  const counts = countResults(file);

  it(`@noble/curves (our wrapper): all ${file.numberOfTests} cases (${describeCounts(counts)})`, () => {
    const failures: string[] = [];
    const outcomes = { acceptableAccepted: 0, acceptableRejected: 0 };
    for (const { test } of allTests(file)) {
      const shared = x25519SharedSecret(hex(str(test, 'private')), hex(str(test, 'public')));
      const expected = str(test, 'shared');
      if (test.result === 'valid') {
        if (shared === undefined || toHex(shared) !== expected) failures.push(`${test.tcId}`);
      } else if (test.result === 'invalid') {
        if (shared !== undefined) failures.push(`${test.tcId}: invalid case accepted`);
      } else if (shared === undefined) {
        // The only rejection allowed: an all-zero shared secret (low-order public key).
        if (/^0+$/.test(expected)) outcomes.acceptableRejected++;
        else failures.push(`${test.tcId}: acceptable case rejected`);
      } else if (toHex(shared) === expected) {
        outcomes.acceptableAccepted++;
      } else {
        failures.push(`${test.tcId}: acceptable case gave a wrong shared secret`);
      }
    }
    expectNoFailures(failures);
    expect(outcomes.acceptableAccepted + outcomes.acceptableRejected).toBe(counts.acceptable);
  });

  it(`@hpke/dhkem-x25519 (the HPKE KEM's X25519): all ${file.numberOfTests} cases`, async () => {
    const dh = new HpkeX25519(new HpkeKemHkdf());
    const failures: string[] = [];
    for (const { test } of allTests(file)) {
      let shared: Uint8Array | undefined;
      try {
        shared = new Uint8Array(
          await dh.derive(hex(str(test, 'private')), hex(str(test, 'public'))),
        );
      } catch {
        shared = undefined;
      }
      const expected = str(test, 'shared');
      if (test.result === 'valid') {
        if (shared === undefined || toHex(shared) !== expected) failures.push(`${test.tcId}`);
      } else if (test.result === 'invalid') {
        if (shared !== undefined) failures.push(`${test.tcId}: invalid case accepted`);
      } else if (shared !== undefined && toHex(shared) !== expected) {
        failures.push(`${test.tcId}: acceptable case gave a wrong shared secret`);
      }
    }
    expectNoFailures(failures);
  });
});

const ed25519 = loadWycheproof('ed25519_test.json');
describe('Wycheproof ed25519', () => {
  if (!ed25519.available) {
    it.skip('ed25519_test.json (not found)', () => undefined);
    return;
  }
  const { file } = ed25519;
  const counts = countResults(file);

  it(`strict verification: all ${file.numberOfTests} cases (${describeCounts(counts)})`, () => {
    const failures: string[] = [];
    let acceptedValid = 0;
    let rejectedInvalid = 0;
    for (const { group, test } of allTests(file)) {
      const publicKey = group.publicKey as { pk?: unknown };
      if (typeof publicKey.pk !== 'string') throw new Error('group without publicKey.pk');
      const verified = ed25519Verify(
        hex(publicKey.pk),
        hex(str(test, 'msg')),
        hex(str(test, 'sig')),
      );
      if (test.result === 'valid') {
        if (verified) acceptedValid++;
        else failures.push(`${test.tcId}: valid signature rejected (${test.flags.join(',')})`);
      } else if (test.result === 'invalid') {
        if (!verified) rejectedInvalid++;
        else failures.push(`${test.tcId}: invalid signature accepted (${test.flags.join(',')})`);
      }
    }
    expectNoFailures(failures);
    expect(acceptedValid).toBe(counts.valid);
    expect(rejectedInvalid).toBe(counts.invalid);
  });
});

const hkdf = loadWycheproof('hkdf_sha256_test.json');
describe('Wycheproof hkdf_sha256', () => {
  if (!hkdf.available) {
    it.skip('hkdf_sha256_test.json (not found)', () => undefined);
    return;
  }
  const { file } = hkdf;
  const counts = countResults(file);

  it(`@noble/hashes (our wrapper): all ${file.numberOfTests} cases (${describeCounts(counts)})`, () => {
    const failures: string[] = [];
    for (const { test } of allTests(file)) {
      let okm: Uint8Array | undefined;
      try {
        okm = hkdfSha256(
          hex(str(test, 'ikm')),
          hex(str(test, 'salt')),
          hex(str(test, 'info')),
          num(test, 'size'),
        );
      } catch {
        okm = undefined;
      }
      if (test.result === 'valid') {
        if (okm === undefined || toHex(okm) !== str(test, 'okm')) failures.push(`${test.tcId}`);
      } else if (test.result === 'invalid' && okm !== undefined) {
        failures.push(`${test.tcId}: invalid case produced output`);
      }
    }
    expectNoFailures(failures);
  });

  it.each([
    ['@hpke/core HkdfSha256 (the suite KDF)', () => new HpkeCoreHkdf()],
    ['@hpke/dhkem-x25519 HkdfSha256 (the KEM KDF)', () => new HpkeKemHkdf()],
  ])(`%s: all ${file.numberOfTests} cases`, async (_name, make) => {
    const kdf = make();
    const failures: string[] = [];
    for (const { test } of allTests(file)) {
      let okm: Uint8Array | undefined;
      try {
        okm = new Uint8Array(
          await kdf.extractAndExpand(
            hex(str(test, 'salt')),
            hex(str(test, 'ikm')),
            hex(str(test, 'info')),
            num(test, 'size'),
          ),
        );
      } catch {
        okm = undefined;
      }
      if (test.result === 'valid') {
        if (okm === undefined || toHex(okm) !== str(test, 'okm')) failures.push(`${test.tcId}`);
      } else if (test.result === 'invalid' && okm !== undefined) {
        failures.push(`${test.tcId}: invalid case produced output`);
      }
    }
    expectNoFailures(failures);
  });
});
