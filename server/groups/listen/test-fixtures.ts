import { expect } from 'vitest';
import { askSchema, type AskWire } from '../../../core/src/groups/listen-api.js';
import type { TestApp } from '../../test-support/app.js';
import { startBody } from '../../conversations/test-fixtures.js';
import type { Member } from '../../circles/test-fixtures.js';

export { member, type Member } from '../../circles/test-fixtures.js';

/** `who` is around to listen from a minute ago for `hours` (by the app's clock `now`). */
export async function listen(
  who: Member,
  now: Date,
  over: Record<string, unknown> = {},
  hours = 2,
) {
  const res = await who.client.put('/api/v1/listen/window', {
    from: new Date(now.getTime() - 60_000).toISOString(),
    until: new Date(now.getTime() + hours * 3_600_000).toISOString(),
    topics: [],
    languages: ['en'],
    words: 'Happy to just sit with you.',
    ...over,
  });
  expect(res.statusCode, res.body).toBe(200);
}

export async function askToTalk(who: Member, body: Record<string, unknown> = {}): Promise<AskWire> {
  const res = await who.client.post('/api/v1/listen/asks', body);
  expect(res.statusCode, res.body).toBe(201);
  return askSchema.parse(res.json());
}

/** The body with which `listener` opens the conversation with `asker` (a real wrapped key). */
export async function openBody(listener: Member, asker: Member) {
  const { body } = await startBody(listener, asker);
  const { with: _with, ...rest } = body;
  return rest;
}

/** Every row of the tables "someone to talk to" writes, and the events and outbox. */
export async function footprint(t: TestApp) {
  const tables = [
    'listen_windows',
    'listen_asks',
    'listen_ask_candidates',
    'listen_feedback',
    'conversations',
    'events',
    'notify_outbox',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const table of tables)
    out[table] = await t.handle.db.selectFrom(table).selectAll().execute();
  return out;
}
