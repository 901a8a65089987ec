// How fast does the resource directory answer a member's searches over 20,000 resources?
//
//   node --import tsx bench/resources.ts
//
// On demand only, never a timed test. For each engine (SQLite in a temporary file; PostgreSQL at
// 127.0.0.1:5432 when it answers, in a fresh database dropped afterwards) this process starts
// Tend's app from source in a child process (`--serve`), and a bare node:http baseline in another
// (`--baseline`) that answers the very bytes Tend answered for the same URLs; this process is the
// client of both, with the same code.
//
// Setup (in Tend's child, straight into the database): RES_BENCH_READERS member accounts with a
// session each, then RES_BENCH_RESOURCES resources written through the server's own write path
// (`resourceWrite` from the use-cases, then the repository's `writeResource`: the row with its
// filter columns, kind links, languages, locations, and the searchable text into resources_fts
// on SQLite or the tsvector column on PostgreSQL), 500 resources a transaction. Content is
// checked with `resourceContentSchema` first. Kinds, languages, costs, ways to reach vary; hours
// in three zones (a quarter around the clock, half daytime or evening, a quarter unknown); each
// crisis fact yes / no / unknown; about half have a physical place spread over ~300 km around
// (51.5, -1.5), the rest are lines and chats with no place. No revisions are written (search and
// the changes feed do not read them). Then ANALYZE on PostgreSQL, and EXPLAIN (QUERY PLAN) of
// `searchResources` for each search as the use-case calls it.
//
// 1. Per search: GET /api/v1/resources?… as the web app sends it — words only, kind + open now +
//    crisis=no-police, near + withinKm=25, all of those combined — and the changes feed
//    (GET /api/v1/resources/changes?since=0&limit=500), RES_BENCH_REQUESTS each, alternating with
//    the baseline. Server time is Fastify's `reply.elapsedTime` in Tend's child (routing,
//    session, validation, the queries, filtering, serialisation); round trips are read here.
//    Median and p99.
// 2. Throughput: RES_BENCH_CONCURRENCY clients asking back to back for RES_BENCH_SECONDS per
//    search, Tend then the baseline; answers a second and the ratio.
//
// `openNow` is decided at the time of the run (the server's clock), so how many resources pass it
// depends on the hour: the bench prints the result counts.
//
// Settings (environment): RES_BENCH_RESOURCES (20000), RES_BENCH_READERS (50),
// RES_BENCH_REQUESTS (100), RES_BENCH_SECONDS (3), RES_BENCH_CONCURRENCY (4);
// RES_BENCH_SQLITE_ANALYZE=1 (ANALYZE the SQLite database too, as PostgreSQL's is), and
// RES_BENCH_ENGINES=sqlite (SQLite only).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CompiledQuery } from 'kysely';
import { generateId } from '../core/src/crypto/ids.js';
import {
  BUILTIN_KINDS,
  COST_KINDS,
  resourceContentSchema,
  type ResourceContent,
} from '../core/src/resources/api.js';
import { CRISIS_FACTS, unknownPolicy } from '../core/src/resources/crisis.js';
import { boxAround } from '../core/src/resources/distance.js';
import type { Hours } from '../core/src/resources/hours-schema.js';
import { startSession } from '../server/accounts/sessions.js';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { sessionCookie } from '../server/http/session.js';
import { createLogger } from '../server/logging.js';
import {
  searchResources,
  writeResource,
  type SearchFilters,
} from '../server/resources/repository.js';
import { resourceWrite } from '../server/resources/use-cases.js';
import { findRepoRoot } from '../server/start.js';
import { createPostgresDatabase, probePostgres } from '../server/test-support/postgres.js';
import {
  explainFirstQuery,
  medianAndP99,
  serveBaseline,
  startChild,
  stopChild,
  timedGet,
  ask,
} from './harness.js';

const env = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return v;
};
const RESOURCES = env('RES_BENCH_RESOURCES', 20_000);
const READERS = env('RES_BENCH_READERS', 50);
const REQUESTS = env('RES_BENCH_REQUESTS', 100);
const SECONDS = env('RES_BENCH_SECONDS', 3);
const CONCURRENCY = env('RES_BENCH_CONCURRENCY', 4);
const b64 = (n: number) => randomBytes(n).toString('base64url');

let seed = 11;
const random = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

// The searches, as the web app sends them (near is rounded to 0.01°).
const CENTRE = { lat: 51.5, lon: -1.5 };
const WITHIN_KM = 25;
const NEAR = `near=${CENTRE.lat.toFixed(2)},${CENTRE.lon.toFixed(2)}&withinKm=${WITHIN_KM}`;
const SEARCHES = [
  { name: 'words (q=peer)', path: '/api/v1/resources?q=peer' },
  {
    name: 'kind + openNow + no-police',
    path: '/api/v1/resources?kind=peer-line,warmline&openNow=true&crisis=no-police',
  },
  { name: `near + withinKm=${WITHIN_KM}`, path: `/api/v1/resources?${NEAR}` },
  {
    name: 'all combined',
    path: `/api/v1/resources?q=peer&kind=peer-line,warmline&openNow=true&crisis=no-police&${NEAR}`,
  },
  { name: 'changes feed (500)', path: '/api/v1/resources/changes?since=0&limit=500' },
] as const;

// ─── The directory's content ─────────────────────────────────────────────────────────────────

const WORDS = [
  'peer',
  'support',
  'listening',
  'community',
  'night',
  'calm',
  'recovery',
  'friendly',
  'open',
  'women',
  'young',
  'people',
  'hearing',
  'voices',
  'grief',
  'housing',
  'food',
  'legal',
  'advice',
  'space',
] as const;
const PLACES = ['Riverton', 'Ashford', 'Brookfield', 'Eastmoor', 'Hollin', 'Kingsley', 'Marbury'];
const LANGUAGES = ['en', 'cy', 'pl', 'ur', 'ar', 'fr', 'es', 'pt-br'] as const;
const ZONES = ['Europe/London', 'Europe/Dublin', 'Europe/Paris'] as const;
const ALL_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

function hoursFor(i: number): Hours | null {
  const r = random();
  if (r < 0.25) return null;
  const timeZone = pick(ZONES);
  const opening = (
    days: readonly (typeof ALL_DAYS)[number][],
    opensAt: string,
    closesAt: string,
  ) => ({
    id: randomUUID(),
    days: [...days],
    opensAt,
    closesAt,
    validFrom: null,
    validTo: null,
  });
  const weekly =
    r < 0.5
      ? [opening(ALL_DAYS, '00:00', '24:00')]
      : r < 0.8
        ? [opening(['MO', 'TU', 'WE', 'TH', 'FR'], '09:00', '17:00')]
        : [opening(ALL_DAYS, '18:00', '02:00')];
  return {
    timeZone,
    weekly,
    closures:
      i % 7 === 0
        ? [
            {
              id: randomUUID(),
              from: '2026-12-25',
              to: '2026-12-26',
              note: 'Closed for the holiday',
            },
          ]
        : [],
    note: null,
  };
}

function crisisFor(): ResourceContent['crisis'] {
  const policy = unknownPolicy();
  const facts = { ...policy.facts };
  for (const fact of CRISIS_FACTS) {
    const r = random();
    if (r < 0.4) continue; // unknown
    facts[fact] = {
      value: r < 0.8 ? 'no' : 'yes',
      check: {
        checkedOn: random() < 0.9 ? '2026-09-01' : '2024-05-01',
        checkedBy: 'A directory keeper',
        source: 'Phoned them',
      },
      note: null,
    };
  }
  return { ...policy, facts };
}

function contentFor(i: number, organizations: ResourceContent['organization'][]): ResourceContent {
  const place = pick(PLACES);
  const first = pick(WORDS);
  const kinds = [pick(BUILTIN_KINDS)];
  if (random() < 0.3) {
    const second = pick(BUILTIN_KINDS);
    if (second !== kinds[0]) kinds.push(second);
  }
  const physical = random() < 0.5;
  // ~300 km across: ±1.35° of latitude, ±2.15° of longitude at 51.5° N.
  const lat = Math.round((CENTRE.lat + (random() * 2 - 1) * 1.35) * 100) / 100;
  const lon = Math.round((CENTRE.lon + (random() * 2 - 1) * 2.15) * 100) / 100;
  const phones: ResourceContent['phones'] = [];
  if (!physical || random() < 0.5) {
    phones.push({
      id: randomUUID(),
      number: `01632 9${String(i % 100_000).padStart(5, '0')}`,
      type: random() < 0.8 ? 'voice' : 'text',
      description: null,
      languages: random() < 0.2 ? [pick(LANGUAGES)] : [],
    });
  }
  const languages = ['en'];
  if (random() < 0.3) {
    const other = pick(LANGUAGES);
    if (other !== 'en') languages.push(other);
  }
  const costKind = random();
  return {
    name: `${place} ${first} ${pick(WORDS)} ${i}`,
    alternateName: null,
    description: `${Array.from({ length: 12 }, () => pick(WORDS)).join(' ')}.`,
    kinds,
    status: random() < 0.05 ? 'temporarily closed' : 'active',
    organization: organizations[i % organizations.length]!,
    url: random() < 0.7 ? `https://service-${i}.example/` : null,
    email: random() < 0.4 ? `hello@service-${i}.example` : null,
    chatUrl: !physical && random() < 0.5 ? `https://service-${i}.example/chat` : null,
    phones,
    locations: physical
      ? [
          {
            id: randomUUID(),
            type: 'physical',
            name: `${place} drop-in`,
            description: null,
            address: {
              address1: `${1 + (i % 200)} High Street`,
              address2: null,
              city: place,
              region: null,
              stateProvince: null,
              postalCode: null,
              country: 'GB',
            },
            lat,
            lon,
            url: null,
          },
        ]
      : [],
    languages,
    cost:
      costKind < 0.15
        ? null
        : {
            kind: COST_KINDS[Math.floor(((costKind - 0.15) / 0.85) * COST_KINDS.length)]!,
            note: null,
          },
    serviceArea: physical ? null : { name: `Anyone in ${place}`, description: null },
    hours: hoursFor(i),
    crisis: crisisFor(),
    checkedOn: random() < 0.9 ? '2026-09-01' : null,
  };
}

interface Ready {
  url: string;
  cookies: string[];
  plan: string[];
  setupS: number;
}

// ─── Tend (child process) ────────────────────────────────────────────────────────────────────

async function serve(engine: 'sqlite' | 'postgres', databaseUrl: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tend-resources-bench-'));
  const loaded = loadConfig(
    {
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl || `sqlite:${join(dir, 'tend.db')}`,
      WEB_DIR: dir,
    },
    findRepoRoot(),
  );
  if (!loaded.ok) throw new Error(loaded.error.join(' '));
  const config = loaded.value;
  const handle = createDatabase(config.database);
  const db = handle.db;
  const migrated = await migrateToLatest(db);
  if (!migrated.ok) throw new Error(JSON.stringify(migrated.error));
  const started = performance.now();
  const now = new Date();
  const at = now.toISOString();

  const ids = Array.from({ length: READERS }, () => generateId());
  await db
    .insertInto('accounts')
    .values(
      ids.map((id, k) => ({
        id,
        handle: `reader${k}`,
        email: null,
        role: k === 0 ? ('admin' as const) : ('member' as const),
        kdf: '{}',
        salt_seed: b64(32),
        auth_public_key: b64(32),
        recovery_auth_public_key: b64(32),
        master_key_by_passphrase: b64(73),
        master_key_by_recovery: b64(73),
        public_key_bundle: '{}',
        wrapped_identity_x25519: b64(73),
        wrapped_identity_ed25519: b64(73),
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();

  const organizations = Array.from({ length: Math.max(1, Math.ceil(RESOURCES / 10)) }, (_, k) => ({
    id: randomUUID(),
    name: `${pick(PLACES)} ${pick(WORDS)} collective ${k}`,
    description: null,
    website: null,
  }));
  for (let i = 0; i < RESOURCES; i += 500) {
    await db.transaction().execute(async (trx) => {
      for (let k = i; k < Math.min(RESOURCES, i + 500); k++) {
        const content = resourceContentSchema.parse(contentFor(k, organizations));
        await writeResource(
          trx,
          engine,
          resourceWrite(randomUUID(), content, {
            version: 1,
            createdAt: at,
            updatedAt: at,
            retiredAt: null,
            changeSeq: k + 1,
          }),
        );
      }
    });
  }
  await db
    .updateTable('resource_change_seq')
    .set({ value: RESOURCES })
    .where('id', '=', 1)
    .execute();
  // PostgreSQL's autovacuum would gather statistics soon; SQLite gathers them only when asked.
  if (engine === 'postgres' || process.env.RES_BENCH_SQLITE_ANALYZE === '1') {
    await db.executeQuery(CompiledQuery.raw('analyze'));
  }
  const setupS = (performance.now() - started) / 1000;

  const cookies: string[] = [];
  const limits = { idleMs: 3_600_000, absoluteMs: 3_600_000 };
  for (const id of ids) {
    const session = await startSession(db, id, 'bench', now, limits);
    cookies.push(`${sessionCookie}=${session.token}`);
  }

  // The searches' SQL as the use-case asks the repository for it, and its plan. A search by
  // distance is two queries: every place in the box, then a page of those with no place.
  const box = boxAround(CENTRE, WITHIN_KM);
  const current = ['active', 'temporarily closed'];
  const filters: [string, SearchFilters][] = [
    ['words', { words: ['peer'], statuses: current, limit: 200 }],
    [
      'kind + open now + no-police',
      {
        words: [],
        kinds: ['peer-line', 'warmline'],
        crisisNo: ['crisis_police'],
        hoursKnown: true,
        statuses: current,
        limit: 200,
      },
    ],
    ['near: places in the box', { words: [], statuses: current, box }],
    ['near: no place, by name', { words: [], statuses: current, without: 'physical', limit: 200 }],
    [
      'all combined',
      {
        words: ['peer'],
        kinds: ['peer-line', 'warmline'],
        crisisNo: ['crisis_police'],
        hoursKnown: true,
        statuses: current,
        box,
      },
    ],
    [
      'all combined: no place, by name',
      {
        words: ['peer'],
        kinds: ['peer-line', 'warmline'],
        crisisNo: ['crisis_police'],
        hoursKnown: true,
        statuses: current,
        without: 'physical',
        limit: 200,
      },
    ],
  ];
  const plan: string[] = [];
  for (const [name, f] of filters) {
    const explained = await explainFirstQuery(db, engine, (spied) =>
      searchResources(spied, engine, f),
    );
    plan.push(
      `${name} (${explained.result.length} rows in ${explained.ms.toFixed(0)} ms):`,
      ...explained.plan,
    );
  }

  const serverMs: number[] = [];
  const app = await buildApp({
    config,
    db,
    engine,
    logger: createLogger('warn'),
    version: 'bench',
    now: () => new Date(),
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith('/api/v1/resources')) serverMs.push(reply.elapsedTime);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;

  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'server-times') {
      process.send?.({ serverMs: serverMs.splice(0) });
    } else if (m.cmd === 'stop') {
      void app.close().then(async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
        process.send?.({ stopped: true });
        process.exit(0);
      });
    }
  });
  process.send?.({ url, cookies, plan, setupS } satisfies Ready);
}

// ─── The client (this process) ───────────────────────────────────────────────────────────────

const start = <T>(args: string[]) => startChild<T>(import.meta.filename, args);
const med = (xs: number[]) => medianAndP99(xs).median;
const p99 = (xs: number[]) => medianAndP99(xs).p99;
const f1 = (n: number) => n.toFixed(1);
const get = timedGet;

async function run(engine: 'sqlite' | 'postgres', databaseUrl: string) {
  const tend = await start<Ready>(['--serve', engine, databaseUrl]);
  const base = await start<{ url: string }>(['--baseline']);
  const r = tend.ready;
  try {
    console.log(
      `${engine}: ${RESOURCES} resources, ${READERS} readers (setup ${r.setupS.toFixed(1)} s)`,
    );
    for (const line of r.plan) console.log(`   plan: ${line}`);
    const bodies: [string, string][] = [];
    const counts = new Map<string, string>();
    for (const s of SEARCHES) {
      const body = (await get(r.url + s.path, r.cookies[0]!)).body;
      bodies.push([s.path, body]);
      const parsed = JSON.parse(body) as {
        resources?: unknown[];
        changes?: unknown[];
        nextCursor?: string | null;
      };
      const n = (parsed.resources ?? parsed.changes ?? []).length;
      counts.set(
        s.path,
        `${n}${parsed.nextCursor ? '+' : ''} (${(body.length / 1024).toFixed(0)} KiB)`,
      );
    }
    await ask(base.child, { cmd: 'pages', pages: bodies });
    let reader = 0;
    const cookie = () => r.cookies[(reader = (reader + 1) % r.cookies.length)]!;

    const rate = async (url: string) => {
      let done = 0;
      const end = performance.now() + SECONDS * 1000;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < end) {
            await get(url, cookie());
            done += 1;
          }
        }),
      );
      return done / ((performance.now() - t0) / 1000);
    };

    const rows: string[][] = [];
    for (const s of SEARCHES) {
      const trips: Record<'Tend' | 'baseline', number[]> = { Tend: [], baseline: [] };
      await ask(tend.child, { cmd: 'server-times' });
      for (let i = 0; i < REQUESTS; i++) {
        trips.Tend.push((await get(r.url + s.path, cookie())).ms);
        trips.baseline.push((await get(base.ready.url + s.path, cookie())).ms);
      }
      const { serverMs } = await ask<{ serverMs: number[] }>(tend.child, { cmd: 'server-times' });
      const tendRate = await rate(r.url + s.path);
      const baseRate = await rate(base.ready.url + s.path);
      await ask(tend.child, { cmd: 'server-times' });
      rows.push([
        s.name,
        counts.get(s.path)!,
        `${f1(med(serverMs))} / ${f1(p99(serverMs))}`,
        `${f1(med(trips.Tend))} / ${f1(p99(trips.Tend))}`,
        `${f1(med(trips.baseline))} / ${f1(p99(trips.baseline))}`,
        `${tendRate.toFixed(0)} / ${baseRate.toFixed(0)} = ${(tendRate / baseRate).toFixed(3)}×`,
      ]);
    }
    const head = [
      'request',
      'answers (size)',
      'server ms med / p99',
      'Tend trip med / p99',
      'baseline trip med / p99',
      `answers/s Tend / baseline (${CONCURRENCY} clients, ${SECONDS} s)`,
    ];
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
    const print = (row: string[]) =>
      console.log(`   ${row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}`.trimEnd());
    print(head);
    for (const row of rows) print(row);
  } finally {
    await stopChild(tend.child);
    await stopChild(base.child);
  }
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] as 'sqlite' | 'postgres', process.argv[4] ?? '');
} else if (process.argv[2] === '--baseline') {
  await serveBaseline();
} else {
  console.log(`at ${new Date().toISOString()} (openNow is decided at this time)`);
  await run('sqlite', '');
  if (process.env.RES_BENCH_ENGINES === 'sqlite') {
    // Only SQLite asked for.
  } else if ((await probePostgres()) === undefined) {
    const created = await createPostgresDatabase();
    try {
      await run('postgres', created.url);
    } finally {
      await created.drop();
    }
  } else {
    console.log('postgres: not reachable at 127.0.0.1:5432, skipped');
  }
}
