// How fast does the mutual aid board page over 100,000 posts?
//
//   node --import tsx bench/aid.ts
//
// On demand only, never a timed test. For each engine (SQLite in a temporary file; PostgreSQL at
// 127.0.0.1:5432 when it answers, in a fresh database dropped afterwards) this process starts
// Tend's app from source in a child process (`--serve`), and a bare node:http baseline in another
// (`--baseline`) that answers the very bytes Tend answered for the same URLs; this process is the
// client of both, with the same code.
//
// Setup (in Tend's child, straight into the database, bulk inserts in one transaction): the
// instance board turned on, AID_BENCH_ZONES zones (centres over ~200 km), AID_BENCH_READERS
// accounts with a session each (the board's route allows 120 requests a minute per account), and
// AID_BENCH_POSTS open posts (needs and offers, 13 categories, random zones or "anywhere", one a
// minute back from now). Then EXPLAIN (QUERY PLAN) of the board's query as the repository builds
// it (with and without a kind), to show which index it reads.
//
// 1. Per page: GET /api/v1/aid/communities/instance/posts?category=…&area=…&within=10 (newest
//    first, the default 20 a page) — the first page, the third (by its cursor) and the first with
//    kind=need too, AID_BENCH_PAGE_REQUESTS each, alternating with the baseline. Server time is Fastify's `reply.elapsedTime`
//    in Tend's child (routing, session, validation, the query, serialisation); round trips are
//    read here. Median and p99.
// 2. Throughput: AID_BENCH_CONCURRENCY clients asking for the first page back to back for
//    AID_BENCH_SECONDS, Tend then the baseline; pages a second and the ratio.
//
// Matching a new need against 100,000 open offers is bench/aid-matching.ts.
//
// Settings (environment): AID_BENCH_POSTS (100000), AID_BENCH_ZONES (1000), AID_BENCH_READERS
// (200), AID_BENCH_PAGE_REQUESTS (200), AID_BENCH_SECONDS (5), AID_BENCH_CONCURRENCY (4);
// AID_BENCH_SQLITE_ANALYZE=1 (ANALYZE the SQLite database too, as PostgreSQL's is), and
// AID_BENCH_ENGINES=sqlite (SQLite only).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CompiledQuery } from 'kysely';
import { BUILTIN_CATEGORIES } from '../core/src/aid/api.js';
import { fromCenti, toCenti, zonesWithin } from '../core/src/aid/areas.js';
import { generateId } from '../core/src/crypto/ids.js';
import { startSession } from '../server/accounts/sessions.js';
import { boardPage } from '../server/aid/repository.js';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { sessionCookie } from '../server/http/session.js';
import { createLogger } from '../server/logging.js';
import { findRepoRoot } from '../server/start.js';
import { createPostgresDatabase, probePostgres } from '../server/test-support/postgres.js';
import {
  ask,
  explainFirstQuery,
  medianAndP99,
  serveBaseline,
  startChild,
  stopChild,
  timedGet,
} from './harness.js';

const env = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return v;
};
const POSTS = env('AID_BENCH_POSTS', 100_000);
const ZONES = env('AID_BENCH_ZONES', 1_000);
const READERS = env('AID_BENCH_READERS', 200);
const PAGE_REQUESTS = env('AID_BENCH_PAGE_REQUESTS', 200);
const SECONDS = env('AID_BENCH_SECONDS', 5);
const CONCURRENCY = env('AID_BENCH_CONCURRENCY', 4);
const WITHIN_KM = 10;
const b64 = (n: number) => randomBytes(n).toString('base64url');

let seed = 7;
const random = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

interface Ready {
  url: string;
  cookies: string[];
  pages: { name: string; path: string }[];
  plan: string[];
  setupS: number;
}

// ─── Tend (child process) ────────────────────────────────────────────────────────────────────

async function serve(engine: 'sqlite' | 'postgres', databaseUrl: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tend-aid-bench-'));
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
  const zones = Array.from({ length: ZONES }, (_, i) => {
    const c = toCenti(51 + random() * 1.8, -3 + random() * 2.8);
    return { id: `z-${i}`, latCenti: c.latCenti, lonCenti: c.lonCenti };
  });
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < ids.length; i += 200) {
      await trx
        .insertInto('accounts')
        .values(
          ids.slice(i, i + 200).map((id, k) => ({
            id,
            handle: `reader${i + k}`,
            email: null,
            role: i + k === 0 ? ('admin' as const) : ('member' as const),
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
    }
    await trx
      .insertInto('aid_communities')
      .values({
        community: 'instance',
        group_id: null,
        enabled: 1,
        default_expiry_days: 30,
        updated_by: ids[0]!,
        updated_at: at,
      })
      .execute();
    for (let i = 0; i < zones.length; i += 500) {
      await trx
        .insertInto('aid_areas')
        .values(
          zones.slice(i, i + 500).map((z) => ({
            id: z.id,
            name: `Zone ${z.id}`,
            parent_id: null,
            lat_centi: z.latCenti,
            lon_centi: z.lonCenti,
            created_at: at,
            updated_at: at,
            retired_at: null,
          })),
        )
        .execute();
    }
    const expires = new Date(now.getTime() + 30 * 86_400_000).toISOString();
    const remind = new Date(now.getTime() + 27 * 86_400_000).toISOString();
    const intervals = JSON.stringify([[now.getTime(), Date.parse(expires)]]);
    // 40 columns a row: 400 rows stay under both engines' limits on bound parameters.
    for (let i = 0; i < POSTS; i += 400) {
      const rows = [];
      for (let k = i; k < Math.min(POSTS, i + 400); k++) {
        const created = new Date(now.getTime() - (POSTS - k) * 60_000).toISOString();
        rows.push({
          id: generateId(),
          community: 'instance',
          group_id: null,
          author_id: ids[k % ids.length]!,
          kind: k % 2 === 0 ? ('need' as const) : ('offer' as const),
          category: BUILTIN_CATEGORIES[Math.floor(random() * BUILTIN_CATEGORIES.length)]!,
          description: `Help with something, post ${k}: a short description in the person's own words.`,
          content_warning: null,
          area_id: random() < 0.1 ? null : zones[Math.floor(random() * zones.length)]!.id,
          reach_km: Math.floor(random() * 20),
          when_kind: 'ongoing' as const,
          when_json: '{"kind":"ongoing"}',
          intervals,
          starts_at: at,
          ends_at: expires,
          urgent: k % 2 === 0 && random() < 0.1 ? 1 : 0,
          amount_minor: null,
          currency: null,
          anonymous: random() < 0.2 ? 1 : 0,
          name_in_print: 0,
          on_behalf: 0,
          status: 'open' as const,
          partner_id: null,
          withdrawn_by: null,
          handled_offline: 0,
          first_helping_at: null,
          done_at: null,
          expiry_days: 30,
          renewed_at: created,
          expires_at: expires,
          remind_at: remind,
          reminded_at: null,
          hidden_at: null,
          hidden_by: null,
          created_at: created,
          updated_at: created,
        });
      }
      await trx.insertInto('aid_posts').values(rows).execute();
    }
  });
  // PostgreSQL's autovacuum would gather statistics soon; SQLite gathers them only when asked
  // (ANALYZE, or PRAGMA optimize): AID_BENCH_SQLITE_ANALYZE=1 shows the plan it then chooses.
  if (engine === 'postgres' || process.env.AID_BENCH_SQLITE_ANALYZE === '1') {
    await db.executeQuery(CompiledQuery.raw('analyze'));
  }
  const setupS = (performance.now() - started) / 1000;

  const cookies: string[] = [];
  const limits = { idleMs: 3_600_000, absoluteMs: 3_600_000 };
  for (const id of ids) {
    const session = await startSession(db, id, 'bench', now, limits);
    cookies.push(`${sessionCookie}=${session.token}`);
  }

  // The board's query as the repository builds it, and its plan.
  const all = zones.map((z) => ({ id: z.id, centre: fromCenti(z) }));
  const area = zones[0]!.id;
  const areaIds = zonesWithin(all, all[0]!.centre, WITHIN_KM);
  const planOf = async (kind?: 'need') =>
    (
      await explainFirstQuery(db, engine, (spied) =>
        boardPage(spied, {
          community: 'instance',
          viewerId: ids[1]!,
          status: 'open',
          ...(kind === undefined ? {} : { kind }),
          category: 'rides',
          areaIds,
          sort: 'newest',
          limit: 20,
        }),
      )
    ).plan;
  const plan = [
    'category and area:',
    ...(await planOf()),
    '— with kind=need too:',
    ...(await planOf('need')),
  ];

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
    if (request.url.startsWith('/api/v1/aid/communities/instance/posts')) {
      serverMs.push(reply.elapsedTime);
    }
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;

  // The first page, the third by its cursor, and the first of needs only.
  const first = `/api/v1/aid/communities/instance/posts?category=rides&area=${area}&within=${WITHIN_KM}`;
  const pages = [
    { name: 'first page', path: first },
    { name: 'first page, kind=need', path: `${first}&kind=need` },
  ];
  let path = first;
  for (let n = 2; n <= 3; n++) {
    const res = await fetch(url + path, { headers: { cookie: cookies[1]! } });
    const body = (await res.json()) as { next: string | null; posts: unknown[] };
    if (body.next === null) break;
    path = `${first}&after=${encodeURIComponent(body.next)}`;
    if (n === 3) pages.push({ name: 'third page', path });
  }

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
  process.send?.({ url, cookies, pages, plan, setupS } satisfies Ready);
}

// ─── The client (this process) ───────────────────────────────────────────────────────────────

const start = <T>(args: string[]) => startChild<T>(import.meta.filename, args);
const get = timedGet;

const ms = (xs: number[]) => {
  const { median, p99 } = medianAndP99(xs);
  return `median ${median.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`;
};

async function run(engine: 'sqlite' | 'postgres', databaseUrl: string) {
  const tend = await start<Ready>(['--serve', engine, databaseUrl]);
  const base = await start<{ url: string }>(['--baseline']);
  const r = tend.ready;
  try {
    console.log(
      `${engine}: ${POSTS} posts, ${ZONES} zones, ${READERS} readers (setup ${r.setupS.toFixed(1)} s)`,
    );
    console.log(`   plan: ${r.plan.join(' | ')}`);
    const bodies: [string, string][] = [];
    for (const p of r.pages) bodies.push([p.path, (await get(r.url + p.path, r.cookies[1]!)).body]);
    await ask(base.child, { cmd: 'pages', pages: bodies });
    let reader = 0;
    const cookie = () => r.cookies[(reader = (reader + 1) % r.cookies.length)]!;

    for (const p of r.pages) {
      const trips: Record<'Tend' | 'baseline', number[]> = { Tend: [], baseline: [] };
      await ask(tend.child, { cmd: 'server-times' });
      for (let i = 0; i < PAGE_REQUESTS; i++) {
        trips.Tend.push((await get(r.url + p.path, cookie())).ms);
        trips.baseline.push((await get(base.ready.url + p.path, cookie())).ms);
      }
      const { serverMs } = await ask<{ serverMs: number[] }>(tend.child, { cmd: 'server-times' });
      console.log(
        `   ${p.name}: Tend server time ${ms(serverMs)}; round trip Tend ${ms(trips.Tend)}, ` +
          `baseline ${ms(trips.baseline)}`,
      );
    }

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
    const path = r.pages[0]!.path;
    const tendRate = await rate(r.url + path);
    const baseRate = await rate(base.ready.url + path);
    console.log(
      `   throughput (${CONCURRENCY} clients, ${SECONDS} s): Tend ${tendRate.toFixed(0)} pages/s, ` +
        `baseline ${baseRate.toFixed(0)} pages/s; Tend / baseline ${(tendRate / baseRate).toFixed(3)}×`,
    );
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
  await run('sqlite', '');
  if (process.env.AID_BENCH_ENGINES === 'sqlite') {
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
