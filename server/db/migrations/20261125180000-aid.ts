import { sql, type Kysely } from 'kysely';

// Mutual aid (docs/AID.md, "Tables"): communities (the instance board and group boards) and their
// coordinators, the instance's own categories, coarse zones, needs and offers with their stored
// intervals, occurrences of recurring help, responses, coordinators' assignments, thank-you notes,
// matches and each person's match-notice rate; and `aid_post_id` on the moderation audit log.
export async function up(db: Kysely<unknown>): Promise<void> {
  const account = 'accounts.id';
  const group = 'groups.id';

  await db.schema
    .createTable('aid_communities')
    // `instance` or `group.<groupId>` (core/src/aid/api.ts communitySchema).
    .addColumn('community', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.references(group).onDelete('cascade'))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('default_expiry_days', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('aid_coordinators')
    .addColumn('community', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('added_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('aid_coordinators_pk', ['community', 'account_id'])
    .execute();
  await db.schema
    .createIndex('aid_coordinators_account')
    .on('aid_coordinators')
    .columns(['account_id', 'community'])
    .execute();

  // Instance-added categories (the built-ins are in code). Retired, never deleted.
  await db.schema
    .createTable('aid_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();

  // Zones: centres in whole hundredths of a degree (integers, so both engines keep them exactly).
  await db.schema
    .createTable('aid_areas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('aid_areas.id').onDelete('set null'))
    .addColumn('lat_centi', 'integer', (c) => c.notNull())
    .addColumn('lon_centi', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();

  await db.schema
    .createTable('aid_posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.references(group).onDelete('cascade'))
    // Set null on account deletion (the post is withdrawn then).
    .addColumn('author_id', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull()) // need | offer
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('content_warning', 'text')
    .addColumn('area_id', 'text', (c) => c.references('aid_areas.id'))
    .addColumn('reach_km', 'integer', (c) => c.notNull())
    .addColumn('when_kind', 'text', (c) => c.notNull())
    .addColumn('when_json', 'text', (c) => c.notNull())
    // JSON array of [start, end] epoch ms (core/src/aid/when.ts intervalsOf), and their span.
    .addColumn('intervals', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .addColumn('urgent', 'integer', (c) => c.notNull())
    .addColumn('amount_minor', 'integer')
    .addColumn('currency', 'text')
    .addColumn('anonymous', 'integer', (c) => c.notNull())
    .addColumn('name_in_print', 'integer', (c) => c.notNull())
    .addColumn('on_behalf', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text', (c) => c.references(account).onDelete('set null'))
    // The actor (core/src/aid/lifecycle.ts) who withdrew it, while withdrawn.
    .addColumn('withdrawn_by', 'text')
    .addColumn('handled_offline', 'integer', (c) => c.notNull())
    .addColumn('first_helping_at', 'text')
    .addColumn('done_at', 'text')
    // Expiry: the days chosen, when it was posted or last renewed, and the plan (expiryPlan).
    .addColumn('expiry_days', 'integer', (c) => c.notNull())
    .addColumn('renewed_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('remind_at', 'text', (c) => c.notNull())
    .addColumn('reminded_at', 'text')
    .addColumn('hidden_at', 'text')
    .addColumn('hidden_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The board.
  await db.schema
    .createIndex('aid_posts_board')
    .on('aid_posts')
    .columns(['community', 'status', 'kind', 'category', 'created_at', 'id'])
    .execute();
  // The board by category without a kind (the board's usual filter: category and area).
  await db.schema
    .createIndex('aid_posts_board_category')
    .on('aid_posts')
    .columns(['community', 'status', 'category', 'created_at', 'id'])
    .execute();
  // The board without a kind or category filter (newest / longest waiting across the board).
  await db.schema
    .createIndex('aid_posts_board_all')
    .on('aid_posts')
    .columns(['community', 'status', 'created_at', 'id'])
    .execute();
  // Matching's pre-filter.
  await db.schema
    .createIndex('aid_posts_matching')
    .on('aid_posts')
    .columns(['community', 'kind', 'category', 'status', 'starts_at'])
    .execute();
  // The expiry worker.
  await db.schema
    .createIndex('aid_posts_expires')
    .on('aid_posts')
    .columns(['status', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('aid_posts_remind')
    .on('aid_posts')
    .columns(['status', 'remind_at'])
    .execute();
  // The flood guard.
  await db.schema
    .createIndex('aid_posts_flood')
    .on('aid_posts')
    .columns(['author_id', 'community', 'category', 'status'])
    .execute();
  // The daily posting limit and "my posts".
  await db.schema
    .createIndex('aid_posts_author_created')
    .on('aid_posts')
    .columns(['author_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('aid_posts_partner')
    .on('aid_posts')
    .columns(['partner_id', 'status'])
    .execute();

  // An occurrence of recurring help, once it changes (no row: open while it is in the future).
  await db.schema
    .createTable('aid_occurrences')
    .addColumn('post_id', 'text', (c) => c.notNull().references('aid_posts.id').onDelete('cascade'))
    .addColumn('occurrence_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('withdrawn_by', 'text')
    .addColumn('first_helping_at', 'text')
    .addColumn('done_at', 'text')
    .addColumn('handled_offline', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('aid_occurrences_pk', ['post_id', 'occurrence_id'])
    .execute();
  await db.schema
    .createIndex('aid_occurrences_partner')
    .on('aid_occurrences')
    .columns(['partner_id', 'status'])
    .execute();

  await db.schema
    .createTable('aid_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('aid_posts.id').onDelete('cascade'))
    .addColumn('occurrence_id', 'text')
    .addColumn('responder_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull()) // waiting | talking | declined | withdrawn
    .addColumn('conversation_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .execute();
  // One response per person per post or occurrence (a null occurrence is the whole post).
  await sql`create unique index aid_responses_once on aid_responses (post_id, (coalesce(occurrence_id, '')), responder_id)`.execute(
    db,
  );
  // The responding limit and "my responses".
  await db.schema
    .createIndex('aid_responses_responder')
    .on('aid_responses')
    .columns(['responder_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('aid_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('aid_posts.id').onDelete('cascade'))
    .addColumn('occurrence_id', 'text')
    .addColumn('helper_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('proposed_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull()) // proposed | accepted | declined | withdrawn
    .addColumn('asker_consented_at', 'text')
    .addColumn('helper_consented_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createIndex('aid_assignments_post')
    .on('aid_assignments')
    .columns(['post_id', 'status'])
    .execute();
  await db.schema
    .createIndex('aid_assignments_helper')
    .on('aid_assignments')
    .columns(['helper_id', 'status'])
    .execute();
  // The assignment limit (per coordinator per hour).
  await db.schema
    .createIndex('aid_assignments_proposer')
    .on('aid_assignments')
    .columns(['proposed_by', 'created_at'])
    .execute();

  await db.schema
    .createTable('aid_thanks')
    .addColumn('post_id', 'text', (c) => c.notNull().references('aid_posts.id').onDelete('cascade'))
    .addColumn('occurrence_id', 'text')
    .addColumn('from_id', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('to_id', 'text', (c) => c.references(account).onDelete('cascade'))
    // JSON array of THANKS_WORDS.
    .addColumn('words', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index aid_thanks_once on aid_thanks (post_id, (coalesce(occurrence_id, '')))`.execute(
    db,
  );
  await db.schema
    .createIndex('aid_thanks_to')
    .on('aid_thanks')
    .columns(['to_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('aid_matches')
    .addColumn('need_id', 'text', (c) => c.notNull().references('aid_posts.id').onDelete('cascade'))
    .addColumn('offer_id', 'text', (c) =>
      c.notNull().references('aid_posts.id').onDelete('cascade'),
    )
    // Whole km between zone centres; null when either is "anywhere".
    .addColumn('distance_km', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('aid_matches_pk', ['need_id', 'offer_id'])
    .execute();
  await db.schema.createIndex('aid_matches_offer').on('aid_matches').column('offer_id').execute();

  await db.schema
    .createTable('aid_match_notices')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references(account).onDelete('cascade'))
    .addColumn('rate', 'text', (c) => c.notNull()) // never | weekly | daily
    .addColumn('last_told_at', 'text')
    .addColumn('pending_since', 'text')
    .execute();
  await db.schema
    .createIndex('aid_match_notices_pending')
    .on('aid_match_notices')
    .column('pending_since')
    .execute();

  await db.schema.alterTable('moderation_audit').addColumn('aid_post_id', 'text').execute();
  await db.schema
    .createIndex('moderation_audit_aid_post')
    .on('moderation_audit')
    .columns(['aid_post_id', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('moderation_audit_aid_post').execute();
  await db.schema.alterTable('moderation_audit').dropColumn('aid_post_id').execute();
  for (const table of [
    'aid_match_notices',
    'aid_matches',
    'aid_thanks',
    'aid_assignments',
    'aid_responses',
    'aid_occurrences',
    'aid_posts',
    'aid_areas',
    'aid_categories',
    'aid_coordinators',
    'aid_communities',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
