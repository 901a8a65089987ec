import type { Generated } from 'kysely';

/**
 * The shape of Tend's database, shared by SQLite and PostgreSQL. Timestamps are ISO-8601 UTC
 * strings (`2026-11-24T08:00:00.000Z`): they sort as text and read the same on both engines.
 * Each capability adds its tables here, next to the migration that creates them.
 */
export interface InstanceSettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface AccountsTable {
  id: string;
  /** Normalised handle (core/src/accounts/handle.ts). */
  handle: string;
  /** Optional, only for notifications and invitations. */
  email: string | null;
  role: 'admin' | 'member';
  /** KDF parameters as JSON (docs/PROTOCOL.md). */
  kdf: string;
  salt_seed: string;
  auth_public_key: string;
  recovery_auth_public_key: string;
  master_key_by_passphrase: string;
  master_key_by_recovery: string;
  /** The self-signed public identity keys, as JSON (docs/PROTOCOL.md). */
  public_key_bundle: string;
  wrapped_identity_x25519: string;
  wrapped_identity_ed25519: string;
  /** Last change sequence number handed out in this account's vault. */
  vault_seq: Generated<number>;
  /** Bytes of envelopes currently stored in this account's vault. */
  vault_bytes: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the session token, base64url: the token itself is never stored. */
  id: string;
  account_id: string;
  /** A short description of the browser, shown in the list of sessions. */
  label: string;
  created_at: string;
  last_seen_at: string;
  /** Absolute expiry; idle expiry is last_seen_at + the idle limit. */
  expires_at: string;
}

export interface AuthChallengesTable {
  id: string;
  handle: string;
  purpose: string;
  nonce: string;
  expires_at: string;
}

export interface AuthThrottleTable {
  /** `<purpose>:<normalised handle>`. */
  key: string;
  failures: number;
  blocked_until: string;
  updated_at: string;
}

export interface InvitesTable {
  /** SHA-256 of the invite token, base64url. */
  id: string;
  created_by: string | null;
  note: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface VaultCollectionKeysTable {
  account_id: string;
  collection: string;
  key_id: number;
  /** The collection key wrapped under the owner's master key (key wrap v1, base64url). */
  wrapped_key: string;
  created_at: string;
}

export interface VaultItemsTable {
  account_id: string;
  collection: string;
  item_id: string;
  /** Per-item revision, 1 for the first version; optimistic concurrency compares it. */
  revision: number;
  /** Account-wide change number: pulls page through changes in this order. */
  seq: number;
  /** The sealed envelope (base64url), or null for a deletion (tombstone). */
  envelope: string | null;
  size: number;
  updated_at: string;
}

export interface Database {
  instance_settings: InstanceSettingsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  auth_challenges: AuthChallengesTable;
  auth_throttle: AuthThrottleTable;
  invites: InvitesTable;
  vault_collection_keys: VaultCollectionKeysTable;
  vault_items: VaultItemsTable;
}
