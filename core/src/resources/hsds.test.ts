import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { unknownPolicy } from './crisis.js';
import {
  derivedId,
  readHsdsJson,
  readHsdsTabular,
  toHsdsPage,
  toHsdsService,
  toTabular,
  type Tabular,
} from './hsds.js';
import { sampleResource } from './test-support/sample.js';
import type { Resource } from './api.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');

/** A second, sparse resource: nothing known but the essentials. */
const sparse: Resource = sampleResource({
  id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  name: 'Somewhere to start',
  alternateName: null,
  description: null,
  kinds: ['food'],
  status: 'temporarily closed',
  organization: {
    id: '0b1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    name: 'Somewhere',
    description: null,
    website: null,
  },
  url: null,
  email: null,
  chatUrl: null,
  phones: [],
  locations: [
    {
      id: '22222222-3333-4444-8555-777777777777',
      type: 'virtual',
      name: null,
      description: null,
      address: null,
      lat: null,
      lon: null,
      url: 'https://meet.example/room',
    },
  ],
  languages: [],
  cost: null,
  serviceArea: null,
  hours: null,
  crisis: unknownPolicy(),
  checkedOn: null,
});

/** Hours known only in words: a zone and a note, no weekly openings. */
const wordsOnly: Resource = sampleResource({
  id: '5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
  hours: { timeZone: 'America/New_York', weekly: [], closures: [], note: 'Ring first' },
  locations: [
    {
      ...sampleResource().locations[0]!,
      id: '22222222-3333-4444-8555-888888888888',
      address: {
        address1: '2 Main Street',
        address2: 'Back door',
        city: 'Springfield',
        region: 'Mid',
        stateProvince: null,
        postalCode: null,
        country: 'US',
      },
      lat: -0.01,
      lon: 179.99,
    },
  ],
});

const directory = [sampleResource(), sparse, wordsOnly];

describe('Tend → HSDS → Tend is lossless', () => {
  it('through HSDS JSON (a page of full services), extension fields included', () => {
    const page = JSON.parse(JSON.stringify(toHsdsPage(directory, { nowMs: NOW }))) as unknown;
    const back = readHsdsJson(page);
    expect(back.ok && back.value.resources).toEqual(directory);
    expect(back.ok && back.value.warnings).toEqual([]);
  });

  it('puts the crisis policy, kinds and zones into documented tend_ fields', () => {
    const s = toHsdsService(sampleResource(), { nowMs: NOW });
    expect(s.tend_kinds).toEqual(['peer-line', 'warmline']);
    expect(s.tend_crisis_policy).toMatchObject({
      facts: {
        police_without_consent: {
          value: 'no',
          checked_on: '2026-10-01',
          checked_by: 'Sam, directory keeper',
          source: 'https://riverton.example/confidentiality',
        },
        involuntary_hold: { value: 'unknown', checked_on: null },
      },
      words: 'They will not call anyone without your say-so.',
    });
    const schedules = s.schedules as Record<string, unknown>[];
    expect(schedules[0]).toMatchObject({
      freq: 'WEEKLY',
      byday: 'MO,TU,WE,TH,FR,SA,SU',
      opens_at: '18:00',
      closes_at: '02:00',
      tend_timezone: 'Europe/London',
      timezone: 0, // GMT in November
    });
    expect(schedules[1]).toMatchObject({ tend_closed: true, valid_from: '2026-12-25' });
    expect(
      toHsdsService(sampleResource(), { nowMs: Date.parse('2026-07-01T00:00:00Z') }).schedules,
    ).toMatchObject([{ timezone: 1 }, { timezone: 1 }]);
  });

  it('through the tables, and through CSV text', () => {
    const tables = toTabular(directory, { nowMs: NOW });
    const back = readHsdsTabular(tables);
    expect(back.ok && back.value.resources).toEqual(directory);

    // Written and read as CSV files with papaparse, every cell text.
    const files: Record<string, unknown> = {};
    for (const [file, rows] of Object.entries(tables)) {
      const text = Papa.unparse(rows, { newline: '\r\n' });
      files[file] = Papa.parse<Record<string, string>>(text, {
        header: true,
        skipEmptyLines: true,
      }).data;
    }
    const fromCsv = readHsdsTabular(files);
    expect(fromCsv.ok && fromCsv.value.resources).toEqual(directory);
  });

  it('derived ids are stable UUIDs', () => {
    expect(derivedId('a', 'b')).toBe(derivedId('a', 'b'));
    expect(derivedId('a', 'b')).not.toBe(derivedId('a', 'c'));
    expect(derivedId('x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('broken imports are refused whole, with where and what', () => {
  const good = () =>
    JSON.parse(JSON.stringify(toHsdsService(sampleResource(), { nowMs: NOW }))) as Record<
      string,
      unknown
    >;

  it('something that is not HSDS', () => {
    const r = readHsdsJson({ hello: 'world' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.issues[0]!.message).toMatch(/not HSDS services/);
  });

  it('one bad service among good ones refuses them all, naming it', () => {
    const noName = { ...good(), id: '7f000000-0000-4000-8000-000000000001' } as Record<
      string,
      unknown
    >;
    delete noName.name;
    const r = readHsdsJson([good(), noName]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.issues).toEqual([
      expect.objectContaining({ where: 'services[1]', path: 'name' }),
    ]);
  });

  it('a crisis fact that is not yes, no or unknown, and a yes without its check', () => {
    const s = good();
    const policy = s.tend_crisis_policy as { facts: Record<string, Record<string, unknown>> };
    policy.facts.police_without_consent!.value = 'safe';
    policy.facts.traces_calls = { value: 'yes', checked_on: null };
    const r = readHsdsJson(s);
    expect(!r.ok && r.error.issues.map((i) => i.path)).toEqual([
      'crisis.facts.policeWithoutConsent.value',
      'crisis.facts.tracesCalls.check',
    ]);
  });

  it('repeated ids, no kind, a schedule with no time zone', () => {
    expect(!readHsdsJson([good(), good()]).ok).toBe(true);
    const noKind = good();
    delete noKind.tend_kinds;
    delete noKind.attributes;
    const r = readHsdsJson(noKind);
    expect(!r.ok && r.error.issues[0]).toMatchObject({ path: 'tend_kinds', message: /no kind/ });
    expect(readHsdsJson(noKind, { defaultKind: 'food' }).ok).toBe(true);

    const noZone = good();
    delete noZone.tend_hours;
    noZone.schedules = (noZone.schedules as Record<string, unknown>[]).map(
      ({ tend_timezone: _tz, timezone: _o, ...rest }) => rest,
    );
    const z = readHsdsJson(noZone);
    expect(!z.ok && z.error.issues[0]!.message).toMatch(/no time zone/);
    const withDefault = readHsdsJson(noZone, { defaultTimeZone: 'Europe/London' });
    expect(withDefault.ok && withDefault.value.resources[0]!.hours?.timeZone).toBe('Europe/London');
  });

  it('a kind attribute in Tend’s taxonomy is read when tend_kinds is absent', () => {
    const s = good();
    delete s.tend_kinds;
    const r = readHsdsJson(s);
    expect(r.ok && r.value.resources[0]!.kinds).toEqual(['peer-line', 'warmline']);
  });

  it('CSV rows are named by file and line', () => {
    const tables = toTabular([sampleResource()], { nowMs: NOW }) as Record<
      string,
      Record<string, string>[]
    >;
    tables['phones.csv']![1]!.number = '0800 CALL NOW';
    tables['locations.csv']![0]!.latitude = 'north';
    const r = readHsdsTabular(tables);
    expect(!r.ok && r.error.issues).toEqual([
      expect.objectContaining({ where: 'locations.csv line 2', path: 'latitude' }),
    ]);
    tables['locations.csv']![0]!.latitude = '51.49';
    const again = readHsdsTabular(tables);
    expect(!again.ok && again.error.issues).toEqual([
      expect.objectContaining({ where: 'services.csv line 2', path: 'phones.1.number' }),
    ]);
  });
});

// ─── Against the specification (../shared, present in CI) ──────────────────────────────────────

const HSDS = resolve(fileURLToPath(import.meta.url), '../../../../../shared/reference/hsds-3');
const haveSpec = existsSync(join(HSDS, 'schema', 'service.json'));
if (!haveSpec) {
  process.stderr.write(
    `HSDS 3 reference not found at ${HSDS}: the tests against the specification's schemas and examples are skipped\n`,
  );
}
const readJson = (path: string) => JSON.parse(readFileSync(join(HSDS, path), 'utf8')) as unknown;

function specValidator() {
  // The schemas carry non-standard keywords (name, core, constraints, example…): strict off.
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  for (const file of readdirSync(join(HSDS, 'schema'))) {
    if (!file.endsWith('.json') || file === 'openapi.json') continue;
    // Each schema is known by its file name, so relative $refs ("phone.json") resolve.
    ajv.addSchema(readJson(join('schema', file)) as object, file);
  }
  return ajv;
}

describe.skipIf(!haveSpec)('against the HSDS 3 schemas and examples', () => {
  it('Tend’s export of every sample is a valid HSDS service (extensions allowed)', () => {
    const ajv = specValidator();
    const validate = ajv.getSchema('service.json')!;
    for (const r of directory) {
      const ok = validate(JSON.parse(JSON.stringify(toHsdsService(r, { nowMs: NOW }))));
      expect(validate.errors ?? [], r.name).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('imports the specification’s full service example, keeping what Tend can hold', () => {
    const example = readJson('examples/service_full.json');
    const r = readHsdsJson(example, { defaultKind: 'clinic-or-counselling' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [res] = r.value.resources;
    expect(res).toMatchObject({
      id: 'ac148810-d857-441c-9679-408f346de14b',
      name: 'Community Counselling',
      kinds: ['clinic-or-counselling'],
      status: 'active',
      url: 'http://example.com/counselling',
      organization: { name: 'Example Organization Inc.' },
      languages: expect.arrayContaining(['ur']) as unknown,
    });
    expect(res!.phones[0]!.number).toBe('+44 1234 234567');
    // Nothing about its crisis policy is known: every fact unknown, never assumed.
    expect(res!.crisis).toEqual(unknownPolicy());
    // Its schedule uses parts Tend does not read (byweekno …): kept in words, said in a warning.
    expect(r.value.warnings.some((w) => w.path.startsWith('schedules'))).toBe(true);
    expect(res!.hours).toMatchObject({ timeZone: 'Etc/GMT-3', weekly: [] });
    expect(res!.hours?.note).toMatch(/10 am to 6pm weekdays/);
    // And what Tend made of it exports as valid HSDS again.
    const validate = specValidator().getSchema('service.json')!;
    expect(validate(JSON.parse(JSON.stringify(toHsdsService(res!, { nowMs: NOW }))))).toBe(true);
  });

  it('imports the example page of services and the example tables', () => {
    const page = readHsdsJson(readJson('examples/service_list.json'), {
      defaultKind: 'clinic-or-counselling',
    });
    expect(page.ok && page.value.resources.length).toBeGreaterThan(0);
    const tabular = readHsdsTabular(readJson('examples/tabular.json') as Tabular, {
      defaultKind: 'clinic-or-counselling',
      defaultTimeZone: 'Europe/London',
    });
    if (!tabular.ok) throw new Error(JSON.stringify(tabular.error.issues));
    expect(tabular.value.resources.map((r) => r.name)).toEqual(['Community Counselling']);
  });

  it('imports the example CSV files as a CSV reader gives them', () => {
    const files: Record<string, unknown> = {};
    for (const file of readdirSync(join(HSDS, 'examples', 'csv'))) {
      if (!file.endsWith('.csv')) continue;
      const text = readFileSync(join(HSDS, 'examples', 'csv', file), 'utf8');
      files[file] = Papa.parse<Record<string, string>>(text, {
        header: true,
        skipEmptyLines: true,
      }).data;
    }
    const r = readHsdsTabular(files, {
      defaultKind: 'clinic-or-counselling',
      defaultTimeZone: 'Europe/London',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error.issues));
    expect(r.value.resources).toHaveLength(1);
  });
});
