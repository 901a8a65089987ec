import { expect } from 'vitest';
import { postWireSchema, type PostWire } from '../../core/src/aid/api.js';
import { generateId } from '../../core/src/crypto/ids.js';
import type { PostRow } from './repository.js';
import type { TestApp } from '../test-support/app.js';
import { someone, type Someone } from '../groups/test-fixtures.js';

export { someone, type Someone };

/** Someone whose account is an instance admin. */
export async function admin(t: TestApp, handle: string): Promise<Someone> {
  const p = await someone(t, handle);
  await t.handle.db
    .updateTable('accounts')
    .set({ role: 'admin' })
    .where('id', '=', p.accountId)
    .execute();
  return p;
}

/** Turns a board on (as a manager). */
export async function enableBoard(by: Someone, community = 'instance', defaultExpiryDays = 30) {
  const res = await by.client.put(`/api/v1/aid/communities/${community}/settings`, {
    enabled: true,
    defaultExpiryDays,
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** A few zones of a made-up town (docs/AID.md's example). */
export const TOWN = [
  { id: 'riverton', name: 'Riverton', lat: 51.5, lon: -2.6, parentId: null },
  { id: 'riverton-north', name: 'Riverton North', lat: 51.53, lon: -2.6, parentId: 'riverton' },
  { id: 'riverton-south', name: 'Riverton South', lat: 51.47, lon: -2.61, parentId: 'riverton' },
  { id: 'old-quay', name: 'Old Quay', lat: 51.49, lon: -2.65, parentId: 'riverton' },
  // About 120 km away.
  { id: 'far-away', name: 'Far Away', lat: 52.5, lon: -2.0, parentId: null },
];

export async function importTown(by: Someone) {
  const res = await by.client.post('/api/v1/aid/areas/import', { areas: TOWN });
  expect(res.statusCode, res.body).toBe(200);
}

/** A valid body for POST …/posts, with `over` on top. */
export function postBody(over: Record<string, unknown> = {}) {
  return {
    id: generateId(),
    kind: 'need',
    category: 'groceries',
    description: 'Groceries from the corner shop this week, please — I can pay back.',
    areaId: 'riverton-north',
    reachKm: 2,
    when: { kind: 'ongoing' },
    ...over,
  };
}

export async function post(
  by: Someone,
  over: Record<string, unknown> = {},
  community = 'instance',
): Promise<PostWire> {
  const res = await by.client.post(`/api/v1/aid/communities/${community}/posts`, postBody(over));
  expect(res.statusCode, res.body).toBe(201);
  return postWireSchema.parse(res.json());
}

/** Writes a response straight into the database (responses are server/aid/relations/'s). */
export async function seedResponse(
  t: TestApp,
  postId: string,
  responderId: string,
  at: Date,
  occurrenceId: string | null = null,
) {
  const id = generateId();
  await t.handle.db
    .insertInto('aid_responses')
    .values({
      id,
      post_id: postId,
      occurrence_id: occurrenceId,
      responder_id: responderId,
      status: 'waiting',
      conversation_id: null,
      created_at: at.toISOString(),
      answered_at: null,
    })
    .execute();
  return id;
}

/** Row counts of every table the aid routes write: a refused request changes none. */
export async function aidFootprint(t: TestApp) {
  const tables = [
    'aid_communities',
    'aid_coordinators',
    'aid_categories',
    'aid_areas',
    'aid_posts',
    'aid_occurrences',
    'moderation_audit',
    'notify_outbox',
    'events',
  ] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await t.handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** Writes an open ongoing need straight into the database (for the authorization matrix). */
export async function seedPost(
  t: TestApp,
  authorId: string,
  at: Date,
  over: Partial<PostRow> = {},
): Promise<string> {
  const id = generateId();
  const iso = at.toISOString();
  const expires = new Date(at.getTime() + 30 * 86_400_000).toISOString();
  await t.handle.db
    .insertInto('aid_posts')
    .values({
      id,
      community: 'instance',
      group_id: null,
      author_id: authorId,
      kind: 'need',
      category: 'groceries',
      description: 'Seeded for the matrix.',
      content_warning: null,
      area_id: null,
      reach_km: 0,
      when_kind: 'ongoing',
      when_json: '{"kind":"ongoing"}',
      intervals: JSON.stringify([[at.getTime(), Date.parse(expires)]]),
      starts_at: iso,
      ends_at: expires,
      urgent: 0,
      amount_minor: null,
      currency: null,
      anonymous: 0,
      name_in_print: 0,
      on_behalf: 0,
      status: 'open',
      partner_id: null,
      withdrawn_by: null,
      handled_offline: 0,
      first_helping_at: null,
      done_at: null,
      expiry_days: 30,
      renewed_at: iso,
      expires_at: expires,
      remind_at: new Date(Date.parse(expires) - 3 * 86_400_000).toISOString(),
      reminded_at: null,
      hidden_at: null,
      hidden_by: null,
      created_at: iso,
      updated_at: iso,
      ...over,
    })
    .execute();
  return id;
}
