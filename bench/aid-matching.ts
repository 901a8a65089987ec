// How long does matching a new need take against 100,000 open offers?
//
//   node --import tsx bench/aid-matching.ts
//
// On demand only, never a timed test. For each engine (SQLite in a temporary file; PostgreSQL at
// 127.0.0.1:5432 when it answers, in a fresh database dropped afterwards): migrate, write
// AID_BENCH_ZONES zones (centres scattered over ~200 km) and AID_BENCH_OFFERS open offers straight
// into the database (one community, AID_BENCH_CATEGORIES categories, random zones or "anywhere",
// reaches 0–40 km, windows over the next 90 days), then time server/aid/relations' `matchesOf`
// for AID_BENCH_ROUNDS new needs (after 3 unmeasured): the zones within 100 km, the one SQL
// pre-filter on the matching index, and core's findMatches with the poster's blocks. Also timed,
// for comparison: only reading every offer of the category with no area or time condition (what
// matching without the pre-filter would have to read before deciding anything). Median and p99.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { toCenti } from '../core/src/aid/areas.js';
import { generateId } from '../core/src/crypto/ids.js';
import { findPost } from '../server/aid/repository.js';
import { matchesOf } from '../server/aid/relations/use-cases.js';
import { createDatabase, type DatabaseHandle } from '../server/db/database.js';
import type { AidPostsTable } from '../server/db/schema.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { createPostgresDatabase, probePostgres } from '../server/test-support/postgres.js';
import { percentile } from './report.js';

const OFFERS = Number(process.env.AID_BENCH_OFFERS ?? 100_000);
const ZONES = Number(process.env.AID_BENCH_ZONES ?? 1_000);
const CATEGORIES = Number(process.env.AID_BENCH_CATEGORIES ?? 13);
const ROUNDS = Number(process.env.AID_BENCH_ROUNDS ?? 30);
const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-01T09:00:00.000Z');

let seed = 42;
const random = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const iso = (ms: number) => new Date(ms).toISOString();
const b64 = (n: number) => randomBytes(n).toString('base64url');

async function setup(h: DatabaseHandle) {
  const db = h.db;
  const at = iso(NOW);
  const authors: string[] = [];
  for (let i = 0; i < 200; i++) {
    const id = b64(16);
    authors.push(id);
    await db
      .insertInto('accounts')
      .values({
        id,
        handle: `bench-${i}`,
        email: null,
        role: 'member',
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
      })
      .execute();
  }
  const zones: string[] = [];
  const zoneRows = [];
  for (let i = 0; i < ZONES; i++) {
    const c = toCenti(51 + random() * 1.8, -3 + random() * 2.8);
    const id = `z-${i}`;
    zones.push(id);
    zoneRows.push({
      id,
      name: `Zone ${i}`,
      parent_id: null,
      lat_centi: c.latCenti,
      lon_centi: c.lonCenti,
      created_at: at,
      updated_at: at,
      retired_at: null,
    });
  }
  for (let i = 0; i < zoneRows.length; i += 500) {
    await db
      .insertInto('aid_areas')
      .values(zoneRows.slice(i, i + 500))
      .execute();
  }
  const rows: AidPostsTable[] = [];
  const flush = async () => {
    if (rows.length > 0) await db.insertInto('aid_posts').values(rows.splice(0)).execute();
  };
  for (let i = 0; i < OFFERS; i++) {
    const from = NOW + Math.floor(random() * 90 * 24) * HOUR;
    const until = from + (1 + Math.floor(random() * 72)) * HOUR;
    rows.push({
      id: generateId(),
      community: 'instance',
      group_id: null,
      author_id: authors[Math.floor(random() * authors.length)]!,
      kind: 'offer',
      category: `c${Math.floor(random() * CATEGORIES)}`,
      description: 'Bench offer',
      content_warning: null,
      area_id: random() < 0.1 ? null : zones[Math.floor(random() * zones.length)]!,
      reach_km: Math.floor(random() * 41),
      when_kind: 'window',
      when_json: JSON.stringify({ kind: 'window', from: iso(from), until: iso(until) }),
      intervals: JSON.stringify([[from, until]]),
      starts_at: iso(from),
      ends_at: iso(until),
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
      expiry_days: 90,
      renewed_at: at,
      expires_at: iso(NOW + 90 * 24 * HOUR),
      remind_at: iso(NOW + 87 * 24 * HOUR),
      reminded_at: null,
      hidden_at: null,
      hidden_by: null,
      created_at: iso(NOW - Math.floor(random() * 1000) * 60_000),
      updated_at: at,
    });
    if (rows.length >= 200) await flush();
  }
  await flush();
  return { authors, zones };
}

async function needOf(h: DatabaseHandle, authorId: string, zone: string, i: number) {
  const from = NOW + Math.floor(random() * 80 * 24) * HOUR;
  const until = from + 48 * HOUR;
  const id = generateId();
  const at = iso(NOW);
  await h.db
    .insertInto('aid_posts')
    .values({
      id,
      community: 'instance',
      group_id: null,
      author_id: authorId,
      kind: 'need',
      category: `c${i % CATEGORIES}`,
      description: 'Bench need',
      content_warning: null,
      area_id: zone,
      reach_km: 10,
      when_kind: 'window',
      when_json: JSON.stringify({ kind: 'window', from: iso(from), until: iso(until) }),
      intervals: JSON.stringify([[from, until]]),
      starts_at: iso(from),
      ends_at: iso(until),
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
      renewed_at: at,
      expires_at: iso(NOW + 30 * 24 * HOUR),
      remind_at: iso(NOW + 27 * 24 * HOUR),
      reminded_at: null,
      hidden_at: null,
      hidden_by: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return (await findPost(h.db, id))!;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: percentile(s, 50), p99: percentile(s, 99) };
};

async function run(engine: string, h: DatabaseHandle) {
  const migrated = await migrateToLatest(h.db);
  if (!migrated.ok) throw new Error(JSON.stringify(migrated.error));
  const t0 = performance.now();
  const { authors, zones } = await setup(h);
  const setupS = (performance.now() - t0) / 1000;
  const pre: number[] = [];
  const all: number[] = [];
  let found = 0;
  for (let i = 0; i < ROUNDS + 3; i++) {
    const need = await needOf(h, authors[i % authors.length]!, zones[i % zones.length]!, i);
    let t = performance.now();
    const m = await matchesOf(h.db, need);
    const a = performance.now() - t;
    // For comparison: only reading every offer of the category (no pre-filter, nothing decided).
    t = performance.now();
    const everything = await h.db
      .selectFrom('aid_posts')
      .selectAll()
      .where('community', '=', 'instance')
      .where('kind', '=', 'offer')
      .where('category', '=', need.category)
      .execute();
    void everything.length;
    const b = performance.now() - t;
    if (i >= 3) {
      pre.push(a);
      all.push(b);
      found += m.length;
    }
  }
  const p = stats(pre);
  const q = stats(all);
  console.log(
    `${engine}: ${OFFERS} offers, ${ZONES} zones (setup ${setupS.toFixed(1)} s); ` +
      `matchesOf median ${p.median.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms ` +
      `(${(found / ROUNDS).toFixed(1)} matches a need); ` +
      `reading the whole category without the pre-filter: median ${q.median.toFixed(1)} ms, p99 ${q.p99.toFixed(1)} ms`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'tend-aid-bench-'));
try {
  const sqlite = createDatabase({ engine: 'sqlite', file: join(dir, 'tend.db') });
  await run('sqlite', sqlite);
  await sqlite.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if ((await probePostgres()) === undefined) {
  const created = await createPostgresDatabase();
  const pg = createDatabase({ engine: 'postgres', url: created.url });
  try {
    await run('postgres', pg);
  } finally {
    await pg.close();
    await created.drop();
  }
} else {
  console.log('postgres: not reachable at 127.0.0.1:5432, skipped');
}
