import Papa from 'papaparse';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importResultSchema } from '../../core/src/resources/api.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { addResource, admin, keeper, rowCounts, type Someone } from './test-fixtures.js';

/** HSDS export and import through the API (docs/RESOURCES.md, "HSDS import and export"). */
describeEachEngine('resources: HSDS export and import', (engine) => {
  let t: TestApp;
  let k: Someone;
  let mo: Someone;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    k = await keeper(t, 'sam');
    mo = await admin(t, 'mo');
    await addResource(k, { name: 'Riverton Peer Line' });
    await addResource(k, { name: '=Quay Drop-in', locations: [], hours: null, cost: null });
  });
  afterAll(async () => t.close());

  const importBody = async (body: unknown) => {
    const res = await mo.client.post('/api/v1/resources/import', body);
    return res;
  };

  it('exports services.json that imports back unchanged (lossless, extensions included)', async () => {
    const res = await k.client.get('/api/v1/resources/export/services.json');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const page = res.json<{ contents: { name: string; tend_crisis_policy: unknown }[] }>();
    expect(page.contents.map((s) => s.name).sort()).toEqual([
      '=Quay Drop-in',
      'Riverton Peer Line',
    ]);
    expect(page.contents[0]!.tend_crisis_policy).toBeDefined();
    const back = await importBody({ format: 'hsds-json', data: page });
    expect(back.statusCode, back.body).toBe(200);
    expect(importResultSchema.parse(back.json())).toMatchObject({
      created: 0,
      changed: 0,
      unchanged: 2,
    });
  });

  it('exports CSV files (formulae escaped) that import back unchanged', async () => {
    const files: Record<string, Record<string, string>[]> = {};
    for (const file of [
      'organizations.csv',
      'services.csv',
      'locations.csv',
      'addresses.csv',
      'service_at_location.csv',
      'phones.csv',
      'schedules.csv',
      'languages.csv',
      'cost_options.csv',
      'service_areas.csv',
    ]) {
      const res = await k.client.get(`/api/v1/resources/export/${file}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      files[file] = Papa.parse<Record<string, string>>(res.body, {
        header: true,
        skipEmptyLines: true,
      }).data;
    }
    expect(files['services.csv']!.map((r) => r.name)).toContain("'=Quay Drop-in");
    const back = await importBody({ format: 'hsds-tabular', data: files });
    expect(back.statusCode, back.body).toBe(200);
    expect(importResultSchema.parse(back.json())).toMatchObject({ created: 0, unchanged: 2 });
  });

  it('creates and changes resources as imported versions; a dry run writes nothing', async () => {
    const page = (await k.client.get('/api/v1/resources/export/services.json')).json<{
      contents: Record<string, unknown>[];
    }>();
    const changed: Record<string, unknown> = {
      ...page.contents[0]!,
      description: 'Changed by an import.',
    };
    const fresh = {
      ...page.contents[1]!,
      id: '7f1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6b',
      name: 'Imported Line',
    };
    const before = await rowCounts(t);
    const dry = await importBody({ format: 'hsds-json', data: [changed, fresh], dryRun: true });
    expect(importResultSchema.parse(dry.json())).toMatchObject({
      created: 1,
      changed: 1,
      dryRun: true,
    });
    expect(await rowCounts(t)).toEqual(before);
    const real = await importBody({ format: 'hsds-json', data: [changed, fresh] });
    expect(importResultSchema.parse(real.json())).toMatchObject({ created: 1, changed: 1 });
    const history = (await k.client.get(`/api/v1/resources/${String(changed.id)}/history`)).json<{
      revisions: { kind: string; by: { handle: string } | null }[];
    }>();
    expect(history.revisions[0]).toMatchObject({ kind: 'imported', by: { handle: 'mo' } });
  });

  it('refuses a broken file whole, naming each problem, and writes nothing', async () => {
    const page = (await k.client.get('/api/v1/resources/export/services.json')).json<{
      contents: Record<string, unknown>[];
    }>();
    const before = await rowCounts(t);
    const broken = [
      { ...page.contents[0]!, name: 42 },
      { ...page.contents[1]!, id: '8f1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6b' },
    ];
    const res = await importBody({ format: 'hsds-json', data: broken });
    expect(res.statusCode).toBe(422);
    const body = res.json<{ error: { code: string; issues: { path: string }[] } }>();
    expect(body.error.code).toBe('hsds_invalid');
    expect(body.error.issues.some((i) => i.path.startsWith('services[0]'))).toBe(true);
    const unknownKind = await importBody({
      format: 'hsds-json',
      data: [
        { ...page.contents[1]!, id: '9f1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6b', tend_kinds: ['nope'] },
      ],
    });
    expect(unknownKind.statusCode).toBe(422);
    expect(await rowCounts(t)).toEqual(before);
  });
});
