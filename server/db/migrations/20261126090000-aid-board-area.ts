import type { Kysely } from 'kysely';

// Two indexes for the mutual aid board (docs/AID.md, "Tables", as built):
// - the board filtered by category and area (the usual filter, without a kind): with `area_id`
//   after `category`, both engines read only the posts of the zones asked for, instead of every
//   open post of the category row by row (bench/aid.ts, figures in bench/README.md);
// - the expiry worker's daily refresh of recurring posts' stored intervals: recurring posts on the
//   board whose first stored occurrence began over a day ago.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('aid_posts_board_area')
    .on('aid_posts')
    .columns(['community', 'status', 'category', 'area_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('aid_posts_recurring')
    .on('aid_posts')
    .columns(['when_kind', 'status', 'starts_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('aid_posts_recurring').execute();
  await db.schema.dropIndex('aid_posts_board_area').execute();
}
