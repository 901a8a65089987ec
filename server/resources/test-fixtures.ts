import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import {
  resourceResponseSchema,
  type ResourceContent,
  type ResourceWire,
} from '../../core/src/resources/api.js';
import { sampleResource } from '../../core/src/resources/test-support/sample.js';
import { admin, someone, type Someone } from '../aid/test-fixtures.js';
import type { TestApp } from '../test-support/app.js';

export { admin, someone, type Someone };

/** Someone appointed a directory keeper (written straight into the table). */
export async function keeper(t: TestApp, handle: string): Promise<Someone> {
  const p = await someone(t, handle);
  await t.handle.db
    .insertInto('resource_keepers')
    .values({ account_id: p.accountId, added_by: null, added_at: new Date().toISOString() })
    .execute();
  return p;
}

/** The fictional sample's content (core/src/resources/test-support/sample.ts), with `over`. */
export function content(over: Partial<ResourceContent> = {}): ResourceContent {
  const { id: _id, ...c } = sampleResource();
  void _id;
  return { ...c, ...over };
}

/** A resource added through the API by `by` (a keeper), with fresh ids for its parts. */
export async function addResource(
  by: Someone,
  over: Partial<ResourceContent> = {},
  id: string = randomUUID(),
): Promise<ResourceWire> {
  const res = await by.client.post('/api/v1/resources', {
    id,
    content: content(over),
    note: null,
  });
  expect(res.statusCode, res.body).toBe(201);
  return resourceResponseSchema.parse(res.json()).resource;
}

/** Counts of the directory's rows (to show that a refusal wrote nothing). */
export async function rowCounts(t: TestApp) {
  const db = t.handle.db;
  const count = async (
    table:
      | 'resources'
      | 'resource_revisions'
      | 'resource_organizations'
      | 'resource_kind_links'
      | 'resource_locations',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    resources: await count('resources'),
    revisions: await count('resource_revisions'),
    organizations: await count('resource_organizations'),
    kinds: await count('resource_kind_links'),
    locations: await count('resource_locations'),
  };
}
