// How fast does one event reach many open realtime streams, and what does a stream cost?
//
//   node --import tsx bench/realtime.ts
//
// Runs Tend's app from source in a child process (`--serve`, with --expose-gc) on a fresh SQLite
// database on 127.0.0.1, with one account signed in many times over, and an owner with 50
// supporters. This process opens the SSE connections (GET /api/v1/events) and reads them.
//
// 1. Fan-out: for 1,000 and 10,000 open streams of one account, the server stores one event
//    (appendEvents in a transaction) and announces it; we time from just before the transaction
//    to the moment the last stream has it, and read the server's memory (after a full GC) before
//    the streams opened and while they are open: bytes per connection.
// 2. Reach-out accepted → event at 100 supporter sessions: 50 supporters (the most one reach-out
//    reaches at once) in the owner's circle, each signed in twice with a stream open; rounds of
//    POST /api/v1/reachouts (help-now, the real route: CSRF, validation, transaction, outbox,
//    events) timed from just before the request to each session's `reachout.created`: median and
//    p99 over every delivery.
//
// Baseline, measured in the same run with the same client code: a bare node:http server that keeps
// the same number of text/event-stream responses open and writes one event to each (no database,
// no sessions). Fan-out time and memory per connection are also printed as ratios to it.
//
// Settings (environment): RT_BENCH_SIZES (1000,10000), RT_BENCH_ROUNDS (50).
// Clocks: both processes read performance.timeOrigin + performance.now() on one machine.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSession } from '../server/accounts/sessions.js';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { sessionCookie } from '../server/http/session.js';
import { createLogger } from '../server/logging.js';
import { appendEvents } from '../server/realtime/log.js';
import { openSse, type SseConnection } from '../server/realtime/sse-client.js';
import { findRepoRoot } from '../server/start.js';
import { percentile } from './report.js';

const wallMs = () => performance.timeOrigin + performance.now();
const b64 = (n: number) => randomBytes(n).toString('base64url');

type Command = { cmd: 'mem' } | { cmd: 'emit'; accounts: string[] } | { cmd: 'stop' };
type Request = Command & { id: number };

// ─── The server (child process) ──────────────────────────────────────────────────────────────

async function serve(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tend-rt-bench-'));
  const loaded = loadConfig(
    { LOG_LEVEL: 'warn', DATABASE_URL: `sqlite:${join(dir, 'tend.db')}`, WEB_DIR: dir },
    findRepoRoot(),
  );
  if (!loaded.ok) throw new Error(loaded.error.join(' '));
  const config = loaded.value;
  const handle = createDatabase(config.database);
  const migrated = await migrateToLatest(handle.db);
  if (!migrated.ok) throw new Error(JSON.stringify(migrated.error));
  const app = await buildApp({
    config,
    db: handle.db,
    engine: 'sqlite',
    logger: createLogger('warn'),
    version: 'bench',
    now: () => new Date(),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');

  const limits = { idleMs: 3_600_000, absoluteMs: 3_600_000 };
  const account = async (handleName: string) => {
    const id = b64(16);
    const at = new Date().toISOString();
    await handle.db
      .insertInto('accounts')
      .values({
        id,
        handle: handleName,
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
    const session = await startSession(handle.db, id, 'bench', new Date(), limits);
    return { id, cookie: `${sessionCookie}=${session.token}` };
  };
  const fan = await account('fan');
  // 50 supporters (the most one reach-out reaches at once), each signed in on two devices.
  const owner = await account('owner');
  const supporters = [];
  for (let i = 0; i < 50; i++) {
    const one = await account(`supporter${i}`);
    const second = await startSession(handle.db, one.id, 'bench', new Date(), limits);
    supporters.push({ ...one, cookies: [one.cookie, `${sessionCookie}=${second.token}`] });
    await handle.db
      .insertInto('circle_members')
      .values({ owner_id: owner.id, member_id: one.id, created_at: new Date().toISOString() })
      .execute();
  }

  const send = (m: object) => process.send?.(m);
  process.on('message', (m: Request) => {
    void (async () => {
      if (m.cmd === 'mem') {
        globalThis.gc?.();
        await new Promise((r) => setTimeout(r, 100));
        globalThis.gc?.();
        send({ id: m.id, mem: process.memoryUsage() });
      } else if (m.cmd === 'emit') {
        const t0 = wallMs();
        const stored = await handle.db.transaction().execute((trx) =>
          appendEvents(
            trx,
            m.accounts.map((accountId) => ({
              accountId,
              type: 'reachout.updated' as const,
              data: { reachoutId: 'bench' },
            })),
            new Date(),
          ),
        );
        app.realtime.announce(stored);
        send({ id: m.id, t0, announced: wallMs() });
      } else {
        await app.close();
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
        send({ id: m.id });
        process.exit(0);
      }
    })();
  });
  send({
    ready: true,
    url: `http://127.0.0.1:${address.port}`,
    fan,
    owner,
    supporters,
  });
}

// ─── The baseline (child process) ────────────────────────────────────────────────────────────

async function serveBaseline(): Promise<void> {
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.write('retry: 2000\n\n');
    open.add(res);
    req.on('close', () => open.delete(res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const send = (m: unknown) => process.send?.(m);
  let seq = 0;
  process.on('message', (m: Request) => {
    if (m.cmd === 'mem') {
      globalThis.gc?.();
      send({ id: m.id, mem: process.memoryUsage() });
    } else if (m.cmd === 'emit') {
      const t0 = wallMs();
      seq += 1;
      const data = JSON.stringify({ seq, type: 'reachout.updated', data: { reachoutId: 'bench' } });
      for (const res of open) res.write(`id: ${seq}\nevent: reachout.updated\ndata: ${data}\n\n`);
      send({ id: m.id, t0, announced: wallMs() });
    } else {
      for (const res of open) res.end();
      server.close();
      send({ id: m.id });
      process.exit(0);
    }
  });
  const none = { id: '', cookie: '' };
  send({
    ready: true,
    url: `http://127.0.0.1:${address.port}`,
    fan: none,
    owner: none,
    supporters: [],
  });
}

// ─── The clients (this process) ──────────────────────────────────────────────────────────────

interface Ready {
  url: string;
  fan: { id: string; cookie: string };
  owner: { id: string; cookie: string };
  supporters: { id: string; cookies: string[] }[];
}

function startServer(
  which: '--serve' | '--baseline' = '--serve',
): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(import.meta.filename, [which], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with ${String(code)}`)));
    child.once('message', (m: Ready) => resolve({ child, ready: m }));
  });
}

let nextId = 1;
function ask<T>(child: ChildProcess, req: Command): Promise<T> {
  const id = nextId++;
  return new Promise((resolve) => {
    const on = (m: { id?: number }) => {
      if (m.id !== id) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    child.send({ ...req, id });
  });
}

/** Opens `n` streams with `cookie`, `batch` at a time; each resolves once its headers arrived. */
async function openMany(
  url: string,
  cookie: string,
  n: number,
  onData: (i: number) => void,
  batch = 250,
): Promise<SseConnection[]> {
  const out: SseConnection[] = [];
  for (let i = 0; i < n; i += batch) {
    const opened = await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, (_, j) =>
        openSse(`${url}/api/v1/events`, { cookie }, () => onData(i + j)),
      ),
    );
    for (const c of opened) {
      if (c.status !== 200) throw new Error(`stream refused: ${c.status}`);
      out.push(c);
    }
  }
  return out;
}

type Mem = { mem: NodeJS.MemoryUsage };
const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

async function fanOut(
  child: ChildProcess,
  ready: Ready,
  n: number,
  label: string,
): Promise<{ ms: number; heap: number }> {
  const before = (await ask<Mem>(child, { cmd: 'mem' })).mem;
  let received = 0;
  let last = 0;
  let allIn: () => void = () => {};
  const done = new Promise<void>((r) => (allIn = r));
  const t = wallMs();
  const streams = await openMany(ready.url, ready.fan.cookie, n, () => {
    received += 1;
    last = wallMs();
    if (received === n) allIn();
  });
  const openSeconds = (wallMs() - t) / 1000;
  const during = (await ask<Mem>(child, { cmd: 'mem' })).mem;
  const { t0, announced } = await ask<{ t0: number; announced: number }>(child, {
    cmd: 'emit',
    accounts: [ready.fan.id],
  });
  await done;
  for (const s of streams) s.close();
  await new Promise((r) => setTimeout(r, 1000));
  const perConn = (k: keyof NodeJS.MemoryUsage) => (during[k] - before[k]) / n;
  console.log(
    `${label} ${String(n).padStart(6)} streams: opened in ${openSeconds.toFixed(1)} s; one event to all: ` +
      `${(last - t0).toFixed(1)} ms (store ${(announced - t0).toFixed(1)} ms); server memory per ` +
      `connection: rss ${(perConn('rss') / 1024).toFixed(1)} KiB, heap ${(perConn('heapUsed') / 1024).toFixed(1)} KiB ` +
      `(rss ${mib(before.rss)} → ${mib(during.rss)})`,
  );
  return { ms: last - t0, heap: perConn('heapUsed') };
}

/** POST /api/v1/reachouts as the web app sends it (CSRF token first). */
async function postReachout(url: string, cookie: string, recipients: string[]): Promise<void> {
  const csrf = await fetch(`${url}/api/v1/csrf`, { headers: { cookie } });
  const { token } = (await csrf.json()) as { token: string };
  const set = csrf.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
  const res = await fetch(`${url}/api/v1/reachouts`, {
    method: 'POST',
    headers: {
      cookie: [cookie, ...set].join('; '),
      'content-type': 'application/json',
      'x-csrf-token': token,
    },
    body: JSON.stringify({ id: b64(16), level: 'help-now', recipients }),
  });
  if (res.status !== 201) throw new Error(`reach-out: ${res.status} ${await res.text()}`);
}

async function reachOut(ready: Ready, rounds: number) {
  const arrivals: number[] = [];
  let pending = 0;
  let roundDone: () => void = () => {};
  const streams: SseConnection[] = [];
  for (const s of ready.supporters) {
    for (const cookie of s.cookies) {
      streams.push(
        ...(await openMany(ready.url, cookie, 1, () => {
          arrivals.push(wallMs());
          pending -= 1;
          if (pending === 0) roundDone();
        })),
      );
    }
  }
  const latencies: number[] = [];
  const recipients = ready.supporters.map((s) => s.id);
  const warmup = 3; // not counted: the first requests compile the route's code paths
  for (let r = 0; r < rounds + warmup; r++) {
    arrivals.length = 0;
    pending = streams.length;
    const done = new Promise<void>((res) => (roundDone = res));
    const t0 = wallMs();
    await postReachout(ready.url, ready.owner.cookie, recipients);
    await done;
    if (r >= warmup) for (const a of arrivals) latencies.push(a - t0);
  }
  for (const s of streams) s.close();
  latencies.sort((a, b) => a - b);
  console.log(
    `reach-out accepted (POST /api/v1/reachouts, help-now, 50 supporters x 2 sessions = ` +
      `${streams.length} streams, ${rounds} rounds after ${warmup} unmeasured) → reachout.created at each session: ` +
      `median ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  const sizes = (process.env.RT_BENCH_SIZES ?? '1000,10000').split(',').map(Number);
  const rounds = Number(process.env.RT_BENCH_ROUNDS ?? '50');
  const baseline: Record<number, { ms: number; heap: number }> = {};
  const base = await startServer('--baseline');
  try {
    for (const n of sizes) baseline[n] = await fanOut(base.child, base.ready, n, 'baseline');
  } finally {
    await ask(base.child, { cmd: 'stop' }).catch(() => undefined);
  }
  const { child, ready } = await startServer();
  try {
    for (const n of sizes) {
      const tend = await fanOut(child, ready, n, 'Tend    ');
      const b = baseline[n];
      if (b !== undefined) {
        console.log(
          `${' '.repeat(9)}${String(n).padStart(6)} streams, Tend / baseline: fan-out time ` +
            `×${(tend.ms / b.ms).toFixed(1)}, heap per connection ×${(tend.heap / Math.max(b.heap, 1)).toFixed(1)}`,
        );
      }
    }
    await reachOut(ready, rounds);
  } finally {
    await ask(child, { cmd: 'stop' }).catch(() => undefined);
  }
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv.includes('--baseline')) await serveBaseline();
else await main();
