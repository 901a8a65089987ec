/** Test-only helpers: locating Wycheproof, reading fixtures, hex, fixed random sources. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { RandomSource } from '../random.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root (core/src/crypto/test-support → four levels up). */
export const repoRoot = path.resolve(here, '..', '..', '..', '..');

export const fixturesDir = path.resolve(here, '..', 'fixtures');

/** Wycheproof lives beside the repository, never inside it: ../shared/vectors/wycheproof. */
export const wycheproofDir = path.join(repoRoot, '..', 'shared', 'vectors', 'wycheproof');

export const inCi = (): boolean => {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false';
};

export const hex = (text: string): Uint8Array => hexToBytes(text);
export const toHex = (bytes: Uint8Array): string => bytesToHex(bytes);

export function readFixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(fixturesDir, name), 'utf8')) as T;
}

/** A random source that hands out the given chunks in order, checking each requested length. */
export function fixedRandom(...chunks: Uint8Array[]): RandomSource & { remaining(): number } {
  const queue = [...chunks];
  const source = (length: number): Uint8Array => {
    const next = queue.shift();
    if (next === undefined) throw new Error(`fixedRandom: no chunk left for ${length} bytes`);
    if (next.length !== length) {
      throw new Error(`fixedRandom: next chunk has ${next.length} bytes, ${length} requested`);
    }
    return Uint8Array.from(next);
  };
  return Object.assign(source, { remaining: () => queue.length });
}

/** Bytes 0, 1, 2, … (mod 256) starting at `start`: readable, distinct test keys and nonces. */
export function counting(length: number, start = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (start + i) & 255);
}

/** A deterministic, non-cryptographic random source for property tests (xorshift32). */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0 || 1;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      out[i] = state & 255;
    }
    return out;
  };
}

export interface WycheproofTest {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: 'valid' | 'invalid' | 'acceptable';
  readonly [field: string]: unknown;
}

export interface WycheproofGroup {
  readonly tests: readonly WycheproofTest[];
  readonly [field: string]: unknown;
}

export interface WycheproofFile {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly testGroups: readonly WycheproofGroup[];
}

export type WycheproofLoad =
  { readonly available: true; readonly file: WycheproofFile } | { readonly available: false };

let announcedMissing = false;

/**
 * Loads one Wycheproof file. If the folder is missing: in CI, throws (the run fails); elsewhere,
 * prints one line for the whole run and reports the file unavailable so its tests are skipped.
 */
export function loadWycheproof(name: string): WycheproofLoad {
  const file = path.join(wycheproofDir, name);
  if (!fs.existsSync(file)) {
    if (inCi()) {
      throw new Error(`Wycheproof vectors are required in CI but ${file} does not exist`);
    }
    if (!announcedMissing) {
      announcedMissing = true;
      process.stdout.write(
        `Wycheproof vectors not found at ${wycheproofDir}; skipping the Wycheproof tests.\n`,
      );
    }
    return { available: false };
  }
  return { available: true, file: JSON.parse(fs.readFileSync(file, 'utf8')) as WycheproofFile };
}

export function str(test: WycheproofTest, field: string): string {
  const value = test[field];
  if (typeof value !== 'string') throw new Error(`tcId ${test.tcId}: ${field} is not a string`);
  return value;
}

export function num(record: { readonly [field: string]: unknown }, field: string): number {
  const value = record[field];
  if (typeof value !== 'number') throw new Error(`${field} is not a number`);
  return value;
}
