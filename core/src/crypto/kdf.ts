/**
 * Passphrase → Argon2id → HKDF → authentication seed + key-encryption key (docs/PROTOCOL.md §3).
 *
 * The KDF parameters come from the server per account, so they are hostile input: the client
 * refuses anything below {@link MIN_KDF_PARAMS} (and absurdly expensive values, which would be a
 * denial of service). Only parameters that passed {@link checkKdfParams} reach Argon2id; the one
 * exception is {@link unsafeKdfParamsForTests}, which exists so that tests can run fast.
 */
import { argon2id } from 'hash-wasm';
import { err, ok, type Result } from '../result.js';
import { encodeContext, TAG, utf8 } from './canonical.js';
import { ed25519PublicKey, hkdfSha256, KEY_LENGTH, sha256 } from './primitives.js';

export interface KdfParams {
  /** Must be `"argon2id"`. */
  readonly algorithm: string;
  /** Argon2 version; must be 19 (0x13). */
  readonly version: number;
  /** Memory in KiB (Argon2 `m`). */
  readonly memoryKiB: number;
  /** Passes over memory (Argon2 `t`). */
  readonly passes: number;
  /** Lanes (Argon2 `p`); must be 1. */
  readonly parallelism: number;
  /** Output length in bytes; must be 32. */
  readonly outputLength: number;
}

declare const checkedBrand: unique symbol;
/** KDF parameters that passed {@link checkKdfParams}. */
export type CheckedKdfParams = KdfParams & { readonly [checkedBrand]: true };

/** The weakest parameters a client accepts (and the defaults for new accounts). */
export const MIN_KDF_PARAMS: KdfParams = Object.freeze({
  algorithm: 'argon2id',
  version: 0x13,
  memoryKiB: 65_536,
  passes: 3,
  parallelism: 1,
  outputLength: 32,
});

/** Upper bounds, so a hostile server cannot make the client exhaust memory or spin forever. */
export const MAX_KDF_MEMORY_KIB = 1_048_576;
export const MAX_KDF_PASSES = 32;

export const DEFAULT_KDF_PARAMS: KdfParams = MIN_KDF_PARAMS;

export type KdfParamsError =
  | 'bad_format'
  | 'unsupported_algorithm'
  | 'unsupported_version'
  | 'memory_too_low'
  | 'memory_too_high'
  | 'passes_too_low'
  | 'passes_too_high'
  | 'unsupported_parallelism'
  | 'unsupported_output_length';

const KDF_FIELDS = [
  'algorithm',
  'version',
  'memoryKiB',
  'passes',
  'parallelism',
  'outputLength',
] as const;

/** Validates server-supplied KDF parameters. Unknown extra fields are refused too. */
export function checkKdfParams(input: unknown): Result<CheckedKdfParams, KdfParamsError> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return err('bad_format');
  }
  const record = input as Record<string, unknown>;
  if (Object.keys(record).some((key) => !(KDF_FIELDS as readonly string[]).includes(key))) {
    return err('bad_format');
  }
  const { algorithm, version, memoryKiB, passes, parallelism, outputLength } = record;
  if (typeof algorithm !== 'string') return err('bad_format');
  for (const value of [version, memoryKiB, passes, parallelism, outputLength]) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return err('bad_format');
  }
  const params: KdfParams = {
    algorithm,
    version: version as number,
    memoryKiB: memoryKiB as number,
    passes: passes as number,
    parallelism: parallelism as number,
    outputLength: outputLength as number,
  };
  if (params.algorithm !== MIN_KDF_PARAMS.algorithm) return err('unsupported_algorithm');
  if (params.version !== MIN_KDF_PARAMS.version) return err('unsupported_version');
  if (params.memoryKiB < MIN_KDF_PARAMS.memoryKiB) return err('memory_too_low');
  if (params.memoryKiB > MAX_KDF_MEMORY_KIB) return err('memory_too_high');
  if (params.passes < MIN_KDF_PARAMS.passes) return err('passes_too_low');
  if (params.passes > MAX_KDF_PASSES) return err('passes_too_high');
  if (params.parallelism !== MIN_KDF_PARAMS.parallelism) return err('unsupported_parallelism');
  if (params.outputLength !== MIN_KDF_PARAMS.outputLength) {
    return err('unsupported_output_length');
  }
  return ok(Object.freeze(params) as CheckedKdfParams);
}

const testOnlyParams = new WeakSet<KdfParams>();

/**
 * TEST ONLY. Marks parameters as usable without {@link checkKdfParams}, so unit tests can run
 * Argon2id with a few KiB instead of 64 MiB. Never call this outside tests.
 */
export function unsafeKdfParamsForTests(params: KdfParams): CheckedKdfParams {
  const frozen = Object.freeze({ ...params });
  testOnlyParams.add(frozen);
  return frozen as CheckedKdfParams;
}

/**
 * The handle as bound into the salt and the sign-in challenge: NFC, surrounding white space
 * trimmed, lower case, NFC again. For every valid handle this equals `normalizeHandle` in
 * core/src/accounts/handle.ts.
 */
export function normaliseHandle(handle: string): string {
  return handle.normalize('NFC').trim().toLowerCase().normalize('NFC');
}

export const SALT_SEED_LENGTH = 32;

/** Argon2id salt = SHA-256(ctx("tend/v1/kdf-salt", handle, saltSeed)). */
export function passphraseSalt(handle: string, saltSeed: Uint8Array): Uint8Array {
  if (saltSeed.length !== SALT_SEED_LENGTH) throw new RangeError('salt seed must be 32 bytes');
  return sha256(encodeContext(TAG.kdfSalt, [utf8(normaliseHandle(handle)), saltSeed]));
}

/**
 * Argon2id (hash-wasm, WebAssembly) over the NFC-normalised UTF-8 passphrase. Takes seconds at
 * production parameters: run it in a worker. hash-wasm offers no progress callback, so this is
 * a plain promise; the caller shows indeterminate progress.
 */
export async function runArgon2id(
  passphrase: string,
  salt: Uint8Array,
  params: CheckedKdfParams,
): Promise<Uint8Array> {
  if (!testOnlyParams.has(params) && !checkKdfParams({ ...params }).ok) {
    throw new RangeError('KDF parameters were not checked');
  }
  return argon2id({
    password: utf8(passphrase.normalize('NFC')),
    salt,
    iterations: params.passes,
    memorySize: params.memoryKiB,
    parallelism: params.parallelism,
    hashLength: params.outputLength,
    outputType: 'binary',
  });
}

export interface PassphraseKeys {
  /** Ed25519 seed of the account's authentication key. */
  readonly authSeed: Uint8Array;
  /** What the server stores to verify sign-in signatures. */
  readonly authPublicKey: Uint8Array;
  /** Key-encryption key: wraps the master key. Never leaves the client. */
  readonly kek: Uint8Array;
}

/** HKDF-SHA256 step from the Argon2id output to the two passphrase keys. */
export function keysFromPassphraseRoot(root: Uint8Array): PassphraseKeys {
  if (root.length !== KEY_LENGTH) throw new RangeError('Argon2id output must be 32 bytes');
  const salt = new Uint8Array(0);
  const authSeed = hkdfSha256(root, salt, encodeContext(TAG.authKey), KEY_LENGTH);
  const kek = hkdfSha256(root, salt, encodeContext(TAG.kek), KEY_LENGTH);
  return { authSeed, authPublicKey: ed25519PublicKey(authSeed), kek };
}

export interface PassphraseInput {
  readonly passphrase: string;
  readonly handle: string;
  readonly saltSeed: Uint8Array;
  readonly params: CheckedKdfParams;
}

/** Passphrase → Argon2id → HKDF: the whole client-side derivation for sign-up and sign-in. */
export async function derivePassphraseKeys(input: PassphraseInput): Promise<PassphraseKeys> {
  const root = await runArgon2id(
    input.passphrase,
    passphraseSalt(input.handle, input.saltSeed),
    input.params,
  );
  try {
    return keysFromPassphraseRoot(root);
  } finally {
    root.fill(0);
  }
}
