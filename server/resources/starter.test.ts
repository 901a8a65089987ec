import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE_LIMITS } from '../../core/src/resources/api.js';
import { CRISIS_FACTS, daysSince } from '../../core/src/resources/crisis.js';
import { readHsdsJson, toHsdsPage } from '../../core/src/resources/hsds.js';
import { sampleResource } from '../../core/src/resources/test-support/sample.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { SUGGESTION_LOOKED_AT_TEXT } from './events.js';
import { addResource, admin, keeper, rowCounts, someone, type Someone } from './test-fixtures.js';
import { loadStarter, starterFile, type ResourceDeps } from './use-cases.js';

/** The starter set (docs/RESOURCES.md, "The starter set"): the shipped file, and loading one. */
describe('resources: the shipped starter set', () => {
  const page = JSON.parse(readFileSync(starterFile(), 'utf8')) as unknown;
  const read = readHsdsJson(page);

  it('is a valid HSDS page of services (Tend ships it empty)', () => {
    expect(read.ok, JSON.stringify(read.ok ? null : read.error)).toBe(true);
    expect((page as { contents: unknown[] }).contents).toBeInstanceOf(Array);
  });

  it('gives every yes or no fact a source URL, and nothing is older than staleDays', () => {
    if (!read.ok) throw new Error('invalid');
    const now = Date.now();
    for (const r of read.value.resources) {
      expect(r.checkedOn, r.name).not.toBeNull();
      expect(daysSince(r.checkedOn!, now), r.name).toBeLessThanOrEqual(RESOURCE_LIMITS.staleDays);
      for (const f of CRISIS_FACTS) {
        const fact = r.crisis.facts[f];
        if (fact.value === 'unknown') continue;
        expect(fact.check?.source ?? '', `${r.name} ${f}`).toMatch(/^https?:\/\//);
        expect(daysSince(fact.check!.checkedOn, now), `${r.name} ${f}`).toBeLessThanOrEqual(
          RESOURCE_LIMITS.staleDays,
        );
      }
    }
  });
});

describeEachEngine('resources: loading the starter set', (engine) => {
  let t: TestApp;
  let mo: Someone;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    mo = await admin(t, 'mo');
    dir = mkdtempSync(join(tmpdir(), 'tend-starter-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  const deps = (): ResourceDeps => ({
    db: t.handle.db,
    engine,
    realtime: t.app.realtime,
    notifier: t.app.notifyWorker,
  });
  const auth = () => ({ accountId: mo.accountId, sessionId: 'test', role: 'admin' as const });

  it('loads the shipped (empty) file: nothing created', async () => {
    const res = await mo.client.post('/api/v1/resources/starter', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 0, unchanged: 0 });
  });

  it('creates a sample file once, as starter versions; a second load leaves them alone', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const one = sampleResource({ id: randomUUID(), name: 'Starter Peer Line', checkedOn: today });
    const two = sampleResource({
      id: randomUUID(),
      name: 'Starter Drop-in',
      checkedOn: today,
      organization: { ...one.organization, id: randomUUID() },
    });
    const file = join(dir, 'starter.json');
    writeFileSync(file, JSON.stringify(toHsdsPage([one, two])));
    const first = await loadStarter(deps(), auth(), new Date(), file);
    expect(first).toEqual({ ok: true, value: { created: 2, unchanged: 0 } });
    const kinds = await t.handle.db
      .selectFrom('resource_revisions')
      .select(['resource_id', 'kind', 'version'])
      .where('resource_id', 'in', [one.id, two.id])
      .execute();
    expect(kinds.map((k) => [k.kind, Number(k.version)])).toEqual([
      ['starter', 1],
      ['starter', 1],
    ]);
    // Loading again leaves them as they are.
    const before = await rowCounts(t);
    const again = await loadStarter(deps(), auth(), new Date(), file);
    expect(again).toEqual({ ok: true, value: { created: 0, unchanged: 2 } });
    expect(await rowCounts(t)).toEqual(before);
  });

  it('refuses an invalid file whole, writing nothing', async () => {
    const good = sampleResource({ id: randomUUID(), name: 'Fine One' });
    const page = toHsdsPage([good]) as { contents: Record<string, unknown>[] };
    page.contents.push({ ...page.contents[0]!, id: randomUUID(), name: 42 });
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(page));
    const before = await rowCounts(t);
    const r = await loadStarter(deps(), auth(), new Date(), file);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('hsds_invalid');
    expect(await rowCounts(t)).toEqual(before);
  });

  it('is for instance admins only', async () => {
    const k = await keeper(t, 'kit');
    const m = await someone(t, 'mel');
    expect((await k.client.post('/api/v1/resources/starter', {})).statusCode).toBe(403);
    expect((await m.client.post('/api/v1/resources/starter', {})).statusCode).toBe(403);
  });
});

/** Realtime events and notifications (docs/RESOURCES.md, "Realtime and notifications"). */
describeEachEngine('resources: events and notifications', (engine) => {
  let t: TestApp;
  let k: Someone;
  let mo: Someone;
  let wren: Someone;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    k = await keeper(t, 'sam');
    mo = await admin(t, 'mo');
    wren = await someone(t, 'wren');
    await t.handle.db
      .updateTable('accounts')
      .set({ email: 'wren@example.test' })
      .where('id', '=', wren.accountId)
      .execute();
  });
  afterAll(async () => t.close());

  const eventsOf = async (who: Someone) =>
    (
      await t.handle.db
        .selectFrom('events')
        .select(['type', 'data'])
        .where('account_id', '=', who.accountId)
        .where('type', 'like', 'resources.%')
        .orderBy('seq')
        .execute()
    ).map((e) => ({ type: e.type, data: JSON.parse(e.data) as Record<string, string> }));
  const outboxOf = (who: Someone) =>
    t.handle.db
      .selectFrom('notify_outbox')
      .select(['kind', 'channel', 'payload'])
      .where('account_id', '=', who.accountId)
      .execute();

  const SECRET = 'Wren-private-words-7731';

  it('tells keepers a suggestion arrived, and its author when it was published or declined', async () => {
    const r = await addResource(k, { name: 'Eventful Line' });
    const suggest = async (description: string) => {
      const res = await wren.client.post('/api/v1/resources/suggestions', {
        id: randomUUID(),
        resourceId: r.id,
        baseVersion: 1,
        content: { ...r.content, description },
        note: SECRET,
        source: SECRET,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ suggestion: { id: string } }>().suggestion.id;
    };
    const first = await suggest(`Open on Mondays. ${SECRET}`);
    const second = await suggest(`Open on Tuesdays. ${SECRET}`);
    for (const who of [k, mo]) {
      expect(await eventsOf(who)).toEqual([
        { type: 'resources.suggestion.changed', data: { suggestionId: first } },
        { type: 'resources.suggestion.changed', data: { suggestionId: second } },
      ]);
    }
    expect(await eventsOf(wren)).toEqual([]);
    expect(await outboxOf(wren)).toEqual([]);

    const published = await k.client.post(`/api/v1/resources/suggestions/${first}/publish`, {
      note: SECRET,
    });
    expect(published.statusCode, published.body).toBe(200);
    const declined = await k.client.post(`/api/v1/resources/suggestions/${second}/decline`, {
      note: SECRET,
    });
    expect(declined.statusCode, declined.body).toBe(200);

    expect(await eventsOf(wren)).toEqual([
      { type: 'resources.suggestion.changed', data: { suggestionId: first } },
      { type: 'resources.suggestion.changed', data: { suggestionId: second } },
    ]);
    const sent = await outboxOf(wren);
    expect(sent).toHaveLength(2);
    for (const row of sent) {
      expect(row.kind).toBe('resources');
      expect(row.channel).toBe('email');
      expect(JSON.parse(row.payload)).toEqual(SUGGESTION_LOOKED_AT_TEXT);
    }
    // Ids only, fixed words: nothing anyone wrote, nor the resource's name.
    const everything = JSON.stringify([
      await t.handle.db.selectFrom('events').select(['type', 'data']).execute(),
      await t.handle.db.selectFrom('notify_outbox').select(['payload']).execute(),
    ]);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('Eventful');
  });

  it('a withdrawn suggestion tells nobody', async () => {
    const r = await addResource(k, { name: 'Quiet Line' });
    const res = await wren.client.post('/api/v1/resources/suggestions', {
      id: randomUUID(),
      resourceId: r.id,
      baseVersion: 1,
      content: { ...r.content, description: 'Something else' },
      note: null,
      source: null,
    });
    const id = res.json<{ suggestion: { id: string } }>().suggestion.id;
    const before = (await outboxOf(wren)).length;
    const eventsBefore = (await eventsOf(wren)).length;
    expect(
      (await wren.client.post(`/api/v1/resources/suggestions/${id}/withdraw`, {})).statusCode,
    ).toBe(200);
    expect(await outboxOf(wren)).toHaveLength(before);
    expect(await eventsOf(wren)).toHaveLength(eventsBefore);
  });

  it('tells keepers of a new out-of-date flag, by id only', async () => {
    const r = await addResource(k, { name: 'Flagged Line' });
    const res = await wren.client.post(`/api/v1/resources/${r.id}/flags`, {
      reason: 'hours-wrong',
      note: SECRET,
    });
    expect(res.statusCode, res.body).toBe(201);
    const flagId = res.json<{ flag: { id: string } }>().flag.id;
    for (const who of [k, mo]) {
      expect((await eventsOf(who)).at(-1)).toEqual({
        type: 'resources.flag.created',
        data: { flagId },
      });
    }
    expect((await eventsOf(wren)).map((e) => e.type)).not.toContain('resources.flag.created');
    const all = JSON.stringify(await t.handle.db.selectFrom('events').select('data').execute());
    expect(all).not.toContain(SECRET);
  });
});
