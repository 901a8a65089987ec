/**
 * Wire shapes of the vault's cryptographic values (docs/PROTOCOL.md §5.6). The server validates
 * shape and size only — it cannot check anything encrypted — and never needs more than this.
 * Binary values travel as unpadded base64url strings.
 */
import { z } from 'zod';
import { base64urlLength, fromBase64url } from '../encoding/base64url.js';
import { AUTH_PURPOSES, CHALLENGE_NONCE_LENGTH } from './auth.js';
import { ENVELOPE_OVERHEAD, MAX_ENVELOPE_BYTES } from './envelope.js';
import { ID_PATTERN, ITEM_TYPE_PATTERN } from './ids.js';
import { SALT_SEED_LENGTH } from './kdf.js';
import { WRAPPED_KEY_LENGTH } from './keys.js';
import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH } from './primitives.js';
import { SHARE_KEY_LENGTH } from './share.js';

const BASE64URL_CHARS = /^[A-Za-z0-9_-]*$/;

/** A canonical unpadded base64url string decoding to `minBytes` … `maxBytes` bytes. */
export function base64urlBytesSchema(minBytes: number, maxBytes = minBytes) {
  return z
    .string()
    .min(base64urlLength(minBytes))
    .max(base64urlLength(maxBytes))
    .regex(BASE64URL_CHARS, 'must be unpadded base64url')
    .refine(
      (text) => {
        const bytes = fromBase64url(text);
        return bytes !== undefined && bytes.length >= minBytes && bytes.length <= maxBytes;
      },
      `must be canonical base64url of ${minBytes === maxBytes ? minBytes : `${minBytes}–${maxBytes}`} bytes`,
    );
}

export const idSchema = z.string().regex(ID_PATTERN, 'must be 1–64 of A–Z a–z 0–9 _ -');
export const itemTypeSchema = z.string().regex(ITEM_TYPE_PATTERN, 'must be a valid item type');
export const keyIdSchema = z.int().min(1).max(0xffff_ffff);
/** Sequence numbers / revisions: 0 … 2^53 − 1. */
export const sequenceSchema = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Envelope v1 (126 bytes … 1 MiB). */
export const envelopeSchema = base64urlBytesSchema(ENVELOPE_OVERHEAD, MAX_ENVELOPE_BYTES);
/** Key wrap v1 (exactly 73 bytes). */
export const wrappedKeySchema = base64urlBytesSchema(WRAPPED_KEY_LENGTH);
/** Share key v1 (exactly 149 bytes). */
export const shareKeySchema = base64urlBytesSchema(SHARE_KEY_LENGTH);
export const publicKeySchema = base64urlBytesSchema(PUBLIC_KEY_LENGTH);
export const signatureSchema = base64urlBytesSchema(SIGNATURE_LENGTH);
export const saltSeedSchema = base64urlBytesSchema(SALT_SEED_LENGTH);
export const challengeNonceSchema = base64urlBytesSchema(CHALLENGE_NONCE_LENGTH);

/**
 * KDF parameters: shape only. Clients must still run `checkKdfParams` (it refuses weak values);
 * the server should too before storing parameters at sign-up or passphrase change.
 */
export const kdfParamsSchema = z.strictObject({
  algorithm: z.string().max(32),
  version: z.int().min(0).max(0xffff_ffff),
  memoryKiB: z.int().min(1).max(0xffff_ffff),
  passes: z.int().min(1).max(0xffff_ffff),
  parallelism: z.int().min(1).max(0xffffff),
  outputLength: z.int().min(1).max(1024),
});

/** An account's public identity keys with their self-signature. */
export const publicKeyBundleSchema = z.strictObject({
  version: z.literal(1),
  accountId: idSchema,
  keyId: keyIdSchema,
  x25519PublicKey: publicKeySchema,
  ed25519PublicKey: publicKeySchema,
  signature: signatureSchema,
});

/** What the server sends to start a sign-in, re-authentication or recovery. */
export const authChallengeSchema = z.strictObject({
  purpose: z.enum(AUTH_PURPOSES),
  nonce: challengeNonceSchema,
  /** Unix seconds. */
  expiresAt: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/** Per-account values the server returns before sign-in (fake but stable for unknown handles). */
export const preloginSchema = z.strictObject({
  saltSeed: saltSeedSchema,
  kdfParams: kdfParamsSchema,
});

/** Everything a client sends to create an account. */
export const accountKeysSchema = z.strictObject({
  accountId: idSchema,
  saltSeed: saltSeedSchema,
  kdfParams: kdfParamsSchema,
  authPublicKey: publicKeySchema,
  recoveryAuthPublicKey: publicKeySchema,
  wrappedMasterKeyPassphrase: wrappedKeySchema,
  wrappedMasterKeyRecovery: wrappedKeySchema,
  publicKeyBundle: publicKeyBundleSchema,
  wrappedIdentityX25519: wrappedKeySchema,
  wrappedIdentityEd25519: wrappedKeySchema,
});

/** A passphrase change (or the end of a recovery): new salt seed, KDF, auth key, wrap. */
export const passphraseChangeSchema = z.strictObject({
  saltSeed: saltSeedSchema,
  kdfParams: kdfParamsSchema,
  authPublicKey: publicKeySchema,
  wrappedMasterKeyPassphrase: wrappedKeySchema,
});

/** A new recovery key (offered after a recovery, or on request): the server replaces both. */
export const recoveryKeyChangeSchema = z.strictObject({
  recoveryAuthPublicKey: publicKeySchema,
  wrappedMasterKeyRecovery: wrappedKeySchema,
});

export type KdfParamsWire = z.infer<typeof kdfParamsSchema>;
export type PublicKeyBundleWire = z.infer<typeof publicKeyBundleSchema>;
export type AuthChallengeWire = z.infer<typeof authChallengeSchema>;
export type PreloginWire = z.infer<typeof preloginSchema>;
export type AccountKeysWire = z.infer<typeof accountKeysSchema>;
export type PassphraseChangeWire = z.infer<typeof passphraseChangeSchema>;
export type RecoveryKeyChangeWire = z.infer<typeof recoveryKeyChangeSchema>;
