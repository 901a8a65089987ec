import type { Kysely } from 'kysely';

// Accounts, sessions, sign-in challenges, invites, and the end-to-end encrypted vault.
// The server keeps only public keys, wrapped (encrypted) keys and ciphertext: see docs/PROTOCOL.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('handle', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('kdf', 'text', (c) => c.notNull())
    .addColumn('salt_seed', 'text', (c) => c.notNull())
    .addColumn('auth_public_key', 'text', (c) => c.notNull())
    .addColumn('recovery_auth_public_key', 'text', (c) => c.notNull())
    .addColumn('master_key_by_passphrase', 'text', (c) => c.notNull())
    .addColumn('master_key_by_recovery', 'text', (c) => c.notNull())
    .addColumn('public_key_bundle', 'text', (c) => c.notNull())
    .addColumn('wrapped_identity_x25519', 'text', (c) => c.notNull())
    .addColumn('wrapped_identity_ed25519', 'text', (c) => c.notNull())
    .addColumn('vault_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('vault_bytes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();

  await db.schema
    .createTable('auth_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('auth_challenges_expiry')
    .on('auth_challenges')
    .column('expires_at')
    .execute();

  // Failed sign-in and recovery attempts per handle (existing or not), for back-off.
  await db.schema
    .createTable('auth_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('blocked_until', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_by', 'text', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();

  // Each collection's keys, wrapped under the owner's master key; the highest key id is current.
  await db.schema
    .createTable('vault_collection_keys')
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('collection', 'text', (c) => c.notNull())
    .addColumn('key_id', 'integer', (c) => c.notNull())
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vault_collection_keys_pk', ['account_id', 'collection', 'key_id'])
    .execute();

  await db.schema
    .createTable('vault_items')
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('collection', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('envelope', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vault_items_pk', ['account_id', 'collection', 'item_id'])
    .execute();
  await db.schema
    .createIndex('vault_items_seq')
    .on('vault_items')
    .columns(['account_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'vault_items',
    'vault_collection_keys',
    'invites',
    'auth_throttle',
    'auth_challenges',
    'sessions',
    'accounts',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
