import { toCenti } from '../../../core/src/aid/areas.js';
import { generateId } from '../../../core/src/crypto/ids.js';
import type { AidPostsTable } from '../../db/schema.js';
import type { TestApp } from '../../test-support/app.js';
import type { Member } from '../../circles/test-fixtures.js';
import { startBody } from '../../conversations/test-fixtures.js';

export { member, type Member } from '../../circles/test-fixtures.js';
export { person } from '../../moderation/test-fixtures.js';
export { seedGroup } from '../../groups/threads/test-fixtures.js';

const HOUR = 3_600_000;

/** Turns a board on (the aid capability's settings, written straight into the database). */
export async function enableBoard(t: TestApp, community: string, now: Date, enabled = true) {
  const groupId = community.startsWith('group.') ? community.slice(6) : null;
  await t.handle.db
    .insertInto('aid_communities')
    .values({
      community,
      group_id: groupId,
      enabled: enabled ? 1 : 0,
      default_expiry_days: 30,
      updated_by: null,
      updated_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('community').doUpdateSet({ enabled: enabled ? 1 : 0 }))
    .execute();
}

export async function seedArea(t: TestApp, id: string, lat: number, lon: number, now: Date) {
  const c = toCenti(lat, lon);
  await t.handle.db
    .insertInto('aid_areas')
    .values({
      id,
      name: `Zone ${id}`,
      parent_id: null,
      lat_centi: c.latCenti,
      lon_centi: c.lonCenti,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      retired_at: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function makeCoordinator(t: TestApp, community: string, who: Member, now: Date) {
  await t.handle.db
    .insertInto('aid_coordinators')
    .values({ community, account_id: who.accountId, added_by: null, added_at: now.toISOString() })
    .execute();
}

export interface SeedPost {
  readonly author: Member | null;
  readonly community?: string;
  readonly kind?: 'need' | 'offer';
  readonly category?: string;
  readonly areaId?: string | null;
  readonly reachKm?: number;
  /** The window, in hours from `now`. */
  readonly fromH?: number;
  readonly untilH?: number;
  readonly urgent?: boolean;
  readonly anonymous?: boolean;
  readonly nameInPrint?: boolean;
  readonly onBehalf?: boolean;
  readonly status?: AidPostsTable['status'];
  readonly partner?: Member | null;
  readonly description?: string;
  readonly createdAt?: Date;
  readonly firstHelpingAt?: Date | null;
}

/** A post written straight into the database, with its window as stored intervals. */
export async function seedPost(t: TestApp, now: Date, p: SeedPost): Promise<string> {
  const id = generateId();
  const from = now.getTime() + (p.fromH ?? 1) * HOUR;
  const until = now.getTime() + (p.untilH ?? 48) * HOUR;
  const created = (p.createdAt ?? now).toISOString();
  const iso = (ms: number) => new Date(ms).toISOString();
  await t.handle.db
    .insertInto('aid_posts')
    .values({
      id,
      community: p.community ?? 'instance',
      group_id: p.community?.startsWith('group.') ? p.community.slice(6) : null,
      author_id: p.author?.accountId ?? null,
      kind: p.kind ?? 'need',
      category: p.category ?? 'rides',
      description: p.description ?? 'A ride to the clinic on Thursday.',
      content_warning: null,
      area_id: p.areaId === undefined ? null : p.areaId,
      reach_km: p.reachKm ?? 0,
      when_kind: 'window',
      when_json: JSON.stringify({ kind: 'window', from: iso(from), until: iso(until) }),
      intervals: JSON.stringify([[from, until]]),
      starts_at: iso(from),
      ends_at: iso(until),
      urgent: p.urgent === true ? 1 : 0,
      amount_minor: null,
      currency: null,
      anonymous: p.anonymous === true ? 1 : 0,
      name_in_print: p.nameInPrint === true ? 1 : 0,
      on_behalf: p.onBehalf === true ? 1 : 0,
      status: p.status ?? 'open',
      partner_id: p.partner?.accountId ?? null,
      withdrawn_by: null,
      handled_offline: 0,
      first_helping_at:
        p.firstHelpingAt === undefined ? null : (p.firstHelpingAt?.toISOString() ?? null),
      done_at: p.status === 'done' ? created : null,
      expiry_days: 30,
      renewed_at: created,
      expires_at: iso(now.getTime() + 30 * 24 * HOUR),
      remind_at: iso(now.getTime() + 27 * 24 * HOUR),
      reminded_at: null,
      hidden_at: null,
      hidden_by: null,
      created_at: created,
      updated_at: created,
    })
    .execute();
  return id;
}

/** The conversation keys `from`'s browser makes for `to` (a real wrapped key for both). */
export async function conversationKeys(from: Member, to: Member) {
  const { body } = await startBody(from, to);
  const { with: _with, ...rest } = body;
  return rest;
}

/** Every row of the tables these routes write, and the events, outbox and audit log. */
export async function footprint(t: TestApp) {
  const tables = [
    'aid_posts',
    'aid_responses',
    'aid_assignments',
    'aid_thanks',
    'aid_matches',
    'aid_match_notices',
    'aid_occurrences',
    'conversations',
    'conversation_members',
    'moderation_audit',
    'notify_outbox',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const table of tables)
    out[table] = await t.handle.db.selectFrom(table).selectAll().execute();
  return out;
}
