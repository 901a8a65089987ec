import { z } from 'zod';
import {
  accountKeysSchema,
  authChallengeSchema,
  idSchema,
  kdfParamsSchema,
  passphraseChangeSchema,
  publicKeyBundleSchema,
  publicKeySchema,
  saltSeedSchema,
  signatureSchema,
  wrappedKeySchema,
} from '../crypto/schemas.js';
import { handleSchema, registrationModes } from './handle.js';

/** Request and response shapes of the accounts API, shared by server and web. */

export const challengeRequestSchema = z.strictObject({
  handle: handleSchema,
  purpose: z.enum(['sign-in', 'reauth', 'recover']),
});

export const challengeResponseSchema = z.object({
  challengeId: z.string(),
  challenge: authChallengeSchema,
  saltSeed: saltSeedSchema,
  kdfParams: kdfParamsSchema,
  /** Only for `recover`: the account id (made-up but stable for unknown handles). */
  accountId: idSchema.optional(),
  /** Only for `recover`: the master key wrapped by the recovery key (indistinguishable noise for unknown handles). */
  wrappedMasterKeyRecovery: wrappedKeySchema.optional(),
});

export const signedChallengeSchema = z.strictObject({
  challengeId: z.string().max(64),
  handle: handleSchema,
  signature: signatureSchema,
});

export const signUpRequestSchema = z.strictObject({
  handle: handleSchema,
  email: z.email().max(254).optional(),
  invite: z.string().max(128).optional(),
  keys: accountKeysSchema,
});

export const accountSelfSchema = z.object({
  id: idSchema,
  handle: z.string(),
  email: z.string().nullable(),
  role: z.enum(['admin', 'member']),
  createdAt: z.string(),
  keys: z.object({
    saltSeed: saltSeedSchema,
    kdfParams: kdfParamsSchema,
    wrappedMasterKeyPassphrase: wrappedKeySchema,
    publicKeyBundle: publicKeyBundleSchema,
    wrappedIdentityX25519: wrappedKeySchema,
    wrappedIdentityEd25519: wrappedKeySchema,
  }),
});

export const passphraseChangeRequestSchema = signedChallengeSchema.extend({
  change: passphraseChangeSchema,
  /** End every other session too (recommended after a passphrase change). */
  endOtherSessions: z.boolean().default(true),
});

export const recoveryKeyChangeRequestSchema = signedChallengeSchema.extend({
  recoveryAuthPublicKey: publicKeySchema,
  wrappedMasterKeyRecovery: wrappedKeySchema,
});

export const recoverRequestSchema = signedChallengeSchema.extend({
  change: passphraseChangeSchema,
});

export const sessionSchema = z.object({
  id: z.string(),
  label: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  current: z.boolean(),
});

export const registrationSchema = z.object({
  mode: z.enum(registrationModes),
  /** No account exists yet: whoever signs up first becomes the admin. */
  firstAccount: z.boolean(),
});

export const settingsSchema = z.strictObject({ registrationMode: z.enum(registrationModes) });

export const inviteRequestSchema = z.strictObject({
  note: z.string().max(200).optional(),
  expiresInDays: z.int().min(1).max(90).default(14),
});

export const inviteSchema = z.object({
  id: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
});

/** An admin ends sessions: one person's (by handle) or everyone's but the admin's own. */
export const endSessionsRequestSchema = z.strictObject({ handle: handleSchema.optional() });
export const endSessionsResponseSchema = z.object({ ended: z.int().min(0) });

export type AccountSelf = z.infer<typeof accountSelfSchema>;
export type ChallengeResponse = z.infer<typeof challengeResponseSchema>;
