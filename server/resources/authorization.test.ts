import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';
import { routesTagged, runMatrix, type MatrixRow } from '../test-support/route-matrix.js';
import { addResource, admin, content, keeper, someone } from './test-fixtures.js';

/**
 * The authorization matrix of the resource directory's routes (docs/RESOURCES.md, "Routes"):
 * every route tagged `resources` × signed out, a member, a directory keeper and an instance admin,
 * on both engines. A route registered without a row fails the first test.
 */

const ACTORS = ['signedOut', 'member', 'author', 'keeper', 'admin'] as const;
type Actor = (typeof ACTORS)[number];

interface Seed {
  /** A listed resource at version 1. */
  readonly id: string;
  /** A retired resource. */
  readonly retired: string;
  /** An open flag on `id`. */
  readonly flag: string;
  /** An open suggestion by the author correcting `id`. */
  readonly suggestion: string;
}

type Row = MatrixRow<Actor, Seed> & {
  /** Status per actor (the author of a suggestion is a member unless said); signed out 401. */
  readonly want: Partial<Record<Actor, number>> & { readonly others: number };
};

const ids = { target: '', kind: 0, seeder: 0, author: '' };

const ROWS: readonly Row[] = [
  {
    route: 'GET /api/v1/resources',
    request: (c) => c.get('/api/v1/resources?q=riverton'),
    want: { others: 200 },
  },
  {
    route: 'GET /api/v1/resources/me',
    request: (c) => c.get('/api/v1/resources/me'),
    want: { others: 200 },
  },
  {
    route: 'GET /api/v1/resources/changes',
    request: (c) => c.get('/api/v1/resources/changes'),
    want: { others: 200 },
  },
  {
    route: 'GET /api/v1/resources/{resourceId}',
    request: (c, s) => c.get(`/api/v1/resources/${s.id}`),
    want: { others: 200 },
  },
  {
    // A retired resource: keepers still read it; to members it is not there.
    route: 'GET /api/v1/resources/{resourceId}/history',
    request: (c, s) => c.get(`/api/v1/resources/${s.retired}/history`),
    want: { member: 404, others: 200 },
  },
  {
    route: 'GET /api/v1/resources/{resourceId}/history/{version}',
    request: (c, s) => c.get(`/api/v1/resources/${s.id}/history/1`),
    want: { others: 200 },
  },
  {
    route: 'POST /api/v1/resources',
    request: (c) =>
      c.post('/api/v1/resources', { id: randomUUID(), content: content(), note: null }),
    want: { member: 403, others: 201 },
  },
  {
    route: 'PUT /api/v1/resources/{resourceId}',
    request: (c, s) =>
      c.put(`/api/v1/resources/${s.id}`, {
        baseVersion: 1,
        content: content({ description: 'Changed.' }),
        note: null,
      }),
    want: { member: 403, others: 200 },
  },
  {
    route: 'POST /api/v1/resources/{resourceId}/checked',
    request: (c, s) => c.post(`/api/v1/resources/${s.id}/checked`, { baseVersion: 1, note: null }),
    want: { member: 403, others: 200 },
  },
  {
    route: 'POST /api/v1/resources/{resourceId}/retire',
    request: (c, s) => c.post(`/api/v1/resources/${s.id}/retire`, { retired: true, note: null }),
    want: { member: 403, others: 200 },
  },
  {
    route: 'GET /api/v1/resources/kinds',
    request: (c) => c.get('/api/v1/resources/kinds'),
    want: { others: 200 },
  },
  {
    route: 'POST /api/v1/resources/kinds',
    request: (c) =>
      c.post('/api/v1/resources/kinds', { id: `kind-${(ids.kind += 1)}`, label: 'A kind' }),
    want: { admin: 201, others: 403 },
  },
  {
    route: 'PATCH /api/v1/resources/kinds/{kindId}',
    request: (c) =>
      c.send('PATCH', '/api/v1/resources/kinds/seeded-kind', { body: { label: 'Renamed' } }),
    want: { admin: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/resources/keepers',
    request: (c) => c.get('/api/v1/resources/keepers'),
    want: { others: 200 },
  },
  {
    route: 'PUT /api/v1/resources/keepers/{accountId}',
    request: (c) => c.put(`/api/v1/resources/keepers/${ids.target}`),
    want: { admin: 200, others: 403 },
  },
  {
    route: 'DELETE /api/v1/resources/keepers/{accountId}',
    request: (c) => c.send('DELETE', `/api/v1/resources/keepers/${ids.target}`),
    want: { admin: 204, others: 403 },
  },
  {
    route: 'POST /api/v1/resources/{resourceId}/flags',
    request: (c, s) => c.post(`/api/v1/resources/${s.id}/flags`, { reason: 'closed', note: null }),
    want: { others: 201 },
  },
  {
    route: 'GET /api/v1/resources/flags',
    request: (c) => c.get('/api/v1/resources/flags'),
    want: { member: 403, others: 200 },
  },
  {
    route: 'POST /api/v1/resources/flags/{flagId}/resolve',
    request: (c, s) => c.post(`/api/v1/resources/flags/${s.flag}/resolve`, { note: 'Fixed' }),
    want: { member: 403, others: 200 },
  },
  {
    route: 'POST /api/v1/resources/suggestions',
    request: (c, s) =>
      c.post('/api/v1/resources/suggestions', {
        id: randomUUID(),
        resourceId: s.id,
        baseVersion: 1,
        content: content({ description: 'Suggested.' }),
        note: null,
        source: null,
      }),
    want: { others: 201 },
  },
  {
    route: 'GET /api/v1/resources/suggestions',
    request: (c) => c.get('/api/v1/resources/suggestions'),
    want: { member: 403, author: 403, others: 200 },
  },
  {
    route: 'GET /api/v1/resources/suggestions/{suggestionId}',
    request: (c, s) => c.get(`/api/v1/resources/suggestions/${s.suggestion}`),
    want: { member: 404, author: 200, others: 200 },
  },
  {
    route: 'POST /api/v1/resources/suggestions/{suggestionId}/publish',
    request: (c, s) =>
      c.post(`/api/v1/resources/suggestions/${s.suggestion}/publish`, { note: null }),
    want: { member: 403, author: 403, others: 200 },
  },
  {
    route: 'POST /api/v1/resources/suggestions/{suggestionId}/decline',
    request: (c, s) =>
      c.post(`/api/v1/resources/suggestions/${s.suggestion}/decline`, { note: 'Not now' }),
    want: { member: 403, author: 403, others: 200 },
  },
  {
    route: 'POST /api/v1/resources/suggestions/{suggestionId}/withdraw',
    request: (c, s) => c.post(`/api/v1/resources/suggestions/${s.suggestion}/withdraw`),
    want: { member: 404, author: 200, others: 403 },
  },
  {
    route: 'POST /api/v1/resources/import',
    request: (c) =>
      c.post('/api/v1/resources/import', {
        format: 'hsds-json',
        data: { contents: [] },
        dryRun: true,
      }),
    want: { admin: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/resources/export/{file}',
    request: (c) => c.get('/api/v1/resources/export/services.json'),
    want: { member: 403, others: 200 },
  },
  {
    route: 'POST /api/v1/resources/starter',
    request: (c) => c.post('/api/v1/resources/starter', {}),
    want: { admin: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/resources/notify',
    request: (c) => c.get('/api/v1/resources/notify'),
    want: { member: 403, others: 200 },
  },
  {
    route: 'PUT /api/v1/resources/notify',
    request: (c) => c.put('/api/v1/resources/notify', { dailySuggestions: true }),
    want: { member: 403, others: 200 },
  },
];

describeEachEngine('resources authorization matrix', (engine) => {
  let t: TestApp;
  let clients: Record<Actor, TestClient>;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    const target = await someone(t, 'target');
    ids.target = target.accountId;
    const mo = await admin(t, 'mo');
    const made = await mo.client.post('/api/v1/resources/kinds', {
      id: 'seeded-kind',
      label: 'Seeded',
    });
    expect(made.statusCode, made.body).toBe(201);
    clients = {
      signedOut: new TestClient(t.app),
      member: (await someone(t, 'member')).client,
      author: await (async () => {
        const a = await someone(t, 'author');
        ids.author = a.accountId;
        return a.client;
      })(),
      keeper: (await keeper(t, 'keeper')).client,
      admin: mo.client,
    };
  });
  afterAll(async () => t.close());

  it('has a row for every resources route', async () => {
    expect(ROWS.map((r) => r.route).sort()).toEqual(await routesTagged(t.app, 'resources'));
  });

  it('answers every route as each actor should', { timeout: 120_000 }, async () => {
    const failures = await runMatrix({
      rows: ROWS,
      actors: ACTORS,
      clients,
      seed: async () => {
        // A fresh keeper per seed (one account's writes are rate limited per minute).
        const seeder = await keeper(t, `seeder-${(ids.seeder += 1)}`);
        const r = await addResource(seeder);
        const retired = await addResource(seeder, { name: 'Retired' });
        const res = await seeder.client.post(`/api/v1/resources/${retired.id}/retire`, {
          retired: true,
          note: null,
        });
        expect(res.statusCode, res.body).toBe(200);
        // Keeper appointments start from "target is a keeper" for the DELETE row.
        await t.handle.db
          .insertInto('resource_keepers')
          .values({ account_id: ids.target, added_by: null, added_at: new Date().toISOString() })
          .onConflict((oc) => oc.column('account_id').doNothing())
          .execute();
        const flag = await seeder.client.post(`/api/v1/resources/${r.id}/flags`, {
          reason: 'hours-wrong',
          note: null,
        });
        expect(flag.statusCode, flag.body).toBe(201);
        // Written straight in: one account's suggestions are limited to 30 a day.
        const suggestion = randomUUID();
        await t.handle.db
          .insertInto('resource_suggestions')
          .values({
            id: suggestion,
            resource_id: r.id,
            base_version: 1,
            content: JSON.stringify(content({ description: 'Open on Mondays too.' })),
            note: null,
            source: null,
            status: 'open',
            author_id: ids.author,
            reviewed_by: null,
            reviewed_at: null,
            review_note: null,
            published_version: null,
            created_at: new Date().toISOString(),
          })
          .execute();
        return {
          id: r.id,
          retired: retired.id,
          flag: flag.json<{ flag: { id: string } }>().flag.id,
          suggestion,
        };
      },
      // The author's seeded suggestions would reach the daily and open limits: age and close them.
      after: async () => {
        await t.handle.db
          .updateTable('resource_suggestions')
          .set({ status: 'withdrawn', created_at: '2000-01-01T00:00:00.000Z' })
          .where('author_id', '=', ids.author)
          .execute();
      },
      want: (row, actor) =>
        actor === 'signedOut'
          ? 401
          : (row.want[actor] ??
            (actor === 'author' ? row.want.member : undefined) ??
            row.want.others),
    });
    expect(failures).toEqual([]);
  });
});
