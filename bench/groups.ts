// How fast does a group conversation reach its members, and how fast does a long thread page?
//
//   node --import tsx bench/groups.ts
//
// On demand only, never a timed test. Runs Tend's app from source in a child process (`--serve`)
// on a fresh SQLite database on 127.0.0.1, and a bare node:http baseline in another child
// (`--baseline`), both for the whole run; this process is the client of both, with the same code.
//
// Setup (in Tend's child, written straight into the database): one group with its agreement,
// GROUPS_BENCH_MEMBERS members (accounts, a session each, the current agreement accepted), a
// thread to reply in, and a second thread of GROUPS_BENCH_POSTS posts (~300-byte bodies, one in
// ten with a content warning, one in five with reactions). This process opens one SSE stream
// (GET /api/v1/events) per member on each server.
//
// 1. Posting: rounds of one member replying (POST /api/v1/groups/:g/threads/:t/posts, the real
//    route: CSRF token from GET /api/v1/csrf as the web app sends it, validation, agreement and
//    rate-limit checks, transaction, one event per member, announce), Tend and baseline
//    alternating round by round; timed from just before the request to the moment the LAST
//    member's stream has the `group.post.created` event: median and p99, and the POST's own
//    latency. Then throughput: GROUPS_BENCH_CONCURRENCY posters replying back to back for
//    GROUPS_BENCH_SECONDS; posts per second from the first request to the last stream receiving
//    the last post's event. The baseline accepts the same POST, writes one event line to each
//    open stream and answers 201.
// 2. Paging: GET /api/v1/groups/:g/threads/:t with the contract's default page size, for the
//    first page, a middle page and the last page (cursors), by members who wrote and reacted to
//    nothing there (so every one gets the same bytes); round-trip time per page, median and p99
//    over GROUPS_BENCH_PAGE_REQUESTS requests each, alternating with the baseline, which serves
//    the very bytes Tend answered for the same URLs.
// 3. The cost of storing one post's events: server/realtime/log.ts appendEvents (batched: one
//    UPDATE … RETURNING and one multi-row INSERT per 1,000 members) against the per-member form it
//    had before (an UPDATE and an INSERT per member), each in a transaction that is rolled back
//    (nothing reaches the streams).
//
// Settings (environment): GROUPS_BENCH_MEMBERS (1000), GROUPS_BENCH_ROUNDS (30, after 3
// unmeasured), GROUPS_BENCH_POSTS (10000), GROUPS_BENCH_SECONDS (5), GROUPS_BENCH_CONCURRENCY (4),
// GROUPS_BENCH_PAGE_REQUESTS (100).
// Clocks: every time is read in this process (performance.now()).
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { generateId } from '../core/src/crypto/ids.js';
import { encodeCursor, pageQuerySchema, REACTIONS } from '../core/src/groups/threads-api.js';
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

const b64 = (n: number) => randomBytes(n).toString('base64url');
const env = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return v;
};
const MEMBERS = env('GROUPS_BENCH_MEMBERS', 1000);
const ROUNDS = env('GROUPS_BENCH_ROUNDS', 30);
const POSTS = env('GROUPS_BENCH_POSTS', 10000);
const SECONDS = env('GROUPS_BENCH_SECONDS', 5);
const CONCURRENCY = env('GROUPS_BENCH_CONCURRENCY', 4);
const PAGE_REQUESTS = env('GROUPS_BENCH_PAGE_REQUESTS', 100);
const WARMUP = 3;
/** Members who never write or react in the long thread: they read it, and all get equal bytes. */
const READERS = Math.max(1, Math.min(100, Math.floor(MEMBERS / 10)));
/** The contract's default page size (what a request without `limit` gets). */
const PAGE_SIZE = pageQuerySchema.parse({}).limit;

interface Member {
  id: string;
  cookie: string;
}
interface Ready {
  url: string;
  groupId: string;
  liveThreadId: string;
  bigThreadId: string;
  members: Member[];
  /** Query strings of the first, a middle and the last page of the long thread. */
  pages: { name: string; query: string }[];
}
type Command =
  | { cmd: 'pages'; pages: { path: string; body: string }[] }
  | { cmd: 'append-cost'; rounds: number }
  | { cmd: 'stop' };

// ─── Tend (child process) ────────────────────────────────────────────────────────────────────

const WORDS = (
  'today was slow and I noticed the tightness in my chest again, so I tried the breathing we ' +
  'talked about on Tuesday and walked to the park; it helped a little. thank you all for ' +
  'listening last week, it meant more than I managed to say. I am still finding my words for ' +
  'this but writing here feels like a small step toward the people I want around me'
).split(' ');

/** A ~300-byte Markdown body, different for each post. */
function postBody(i: number): string {
  const words: string[] = [];
  let n = 0;
  for (let k = 0; n < 290; k++) {
    const w = WORDS[(i * 7 + k * 3) % WORDS.length]!;
    words.push(k % 17 === 5 ? `**${w}**` : w);
    n += w.length + 1;
  }
  return `${words.join(' ')}\n\n— post ${i}`;
}

async function serve(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tend-groups-bench-'));
  const loaded = loadConfig(
    { LOG_LEVEL: 'warn', DATABASE_URL: `sqlite:${join(dir, 'tend.db')}`, WEB_DIR: dir },
    findRepoRoot(),
  );
  if (!loaded.ok) throw new Error(loaded.error.join(' '));
  const config = loaded.value;
  const handle = createDatabase(config.database);
  const db = handle.db;
  const migrated = await migrateToLatest(db);
  if (!migrated.ok) throw new Error(JSON.stringify(migrated.error));
  const app = await buildApp({
    config,
    db,
    engine: 'sqlite',
    logger: createLogger('warn'),
    version: 'bench',
    now: () => new Date(),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');

  // Accounts and sessions.
  const limits = { idleMs: 3_600_000, absoluteMs: 3_600_000 };
  const now = new Date();
  const at = now.toISOString();
  const ids = Array.from({ length: MEMBERS }, () => generateId());
  for (let i = 0; i < MEMBERS; i += 200) {
    await db
      .insertInto('accounts')
      .values(
        ids.slice(i, i + 200).map((id, k) => ({
          id,
          handle: `member${i + k}`,
          email: null,
          role: 'member' as const,
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
  const members: Member[] = [];
  for (const id of ids) {
    const session = await startSession(db, id, 'bench', now, limits);
    members.push({ id, cookie: `${sessionCookie}=${session.token}` });
  }

  // The group: agreement version 2, accepted by everyone.
  const groupId = generateId();
  await db
    .insertInto('groups')
    .values({
      id: groupId,
      slug: `bench-${randomBytes(4).toString('hex')}`,
      name: 'Evening check-in circle',
      description: 'A peer group for the benchmark.',
      topics: '[]',
      languages: '["en"]',
      format: 'online',
      area: null,
      visibility: 'public',
      join_questions: '[]',
      agreement_version: 2,
      created_by: ids[0]!,
      created_at: at,
      updated_at: at,
      archived_at: null,
    })
    .execute();
  for (const version of [1, 2]) {
    await db
      .insertInto('group_agreements')
      .values({ group_id: groupId, version, text: 'Be kind.', written_by: null, created_at: at })
      .execute();
  }
  for (let i = 0; i < MEMBERS; i += 500) {
    await db
      .insertInto('group_members')
      .values(
        ids.slice(i, i + 500).map((account_id, k) => ({
          group_id: groupId,
          account_id,
          role: i + k === 0 ? ('facilitator' as const) : ('member' as const),
          agreement_version: 2,
          pseudonym: null,
          pseudonym_key: null,
          joined_at: at,
        })),
      )
      .execute();
  }

  // Threads: one to reply in, one with POSTS posts (one a second, a month ago).
  const thread = async (title: string, firstPostId: string, createdAt: string, last: string) => {
    const id = generateId();
    await db
      .insertInto('group_threads')
      .values({
        id,
        group_id: groupId,
        title,
        author_id: ids[0]!,
        posted_as: null,
        content_warning: null,
        first_post_id: firstPostId,
        locked_at: null,
        locked_by: null,
        hidden_at: null,
        hidden_by: null,
        created_at: createdAt,
        updated_at: last,
        last_post_at: last,
      })
      .execute();
    return id;
  };
  const liveFirst = generateId();
  const liveThreadId = await thread('How was your week?', liveFirst, at, at);
  await db
    .insertInto('group_posts')
    .values({
      id: liveFirst,
      thread_id: liveThreadId,
      group_id: groupId,
      author_id: ids[0]!,
      posted_as: null,
      body: postBody(0),
      content_warning: null,
      created_at: at,
      edited_at: null,
      deleted_at: null,
      hidden_at: null,
      hidden_by: null,
    })
    .execute();

  const start = now.getTime() - 30 * 86_400_000;
  const writers = Math.max(1, MEMBERS - READERS);
  const posts = Array.from({ length: POSTS }, (_, i) => ({
    id: generateId(),
    created_at: new Date(start + i * 1000).toISOString(),
  }));
  const bigThreadId = await thread(
    'Small things that helped this month',
    posts[0]!.id,
    posts[0]!.created_at,
    posts.at(-1)!.created_at,
  );
  await db
    .updateTable('group_threads')
    .set({ reply_count: POSTS - 1 })
    .where('id', '=', bigThreadId)
    .execute();
  for (let i = 0; i < POSTS; i += 500) {
    await db
      .insertInto('group_posts')
      .values(
        posts.slice(i, i + 500).map((p, k) => ({
          id: p.id,
          thread_id: bigThreadId,
          group_id: groupId,
          author_id: ids[(i + k) % writers]!,
          posted_as: null,
          body: postBody(i + k),
          content_warning: (i + k) % 10 === 3 ? 'talk of self-harm' : null,
          created_at: p.created_at,
          edited_at: null,
          deleted_at: null,
          hidden_at: null,
          hidden_by: null,
        })),
      )
      .execute();
  }
  const reactions = [];
  for (let i = 0; i < POSTS; i += 5) {
    for (let k = 0; k < 1 + (i % 4); k++) {
      reactions.push({
        post_id: posts[i]!.id,
        account_id: ids[(i + k * 13) % writers]!,
        reaction: REACTIONS[(i + k) % REACTIONS.length]!,
        created_at: posts[i]!.created_at,
      });
    }
  }
  for (let i = 0; i < reactions.length; i += 500) {
    await db
      .insertInto('group_post_reactions')
      .values(reactions.slice(i, i + 500))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  await sql`ANALYZE`.execute(db);

  const lastPage = Math.ceil(POSTS / PAGE_SIZE) - 1;
  const middlePage = Math.floor(lastPage / 2);
  const after = (page: number) => {
    const p = posts[page * PAGE_SIZE - 1]!;
    return `?after=${encodeCursor(p.created_at, p.id)}`;
  };
  const pages = [{ name: 'first page', query: '' }];
  if (middlePage > 0) pages.push({ name: `page ${middlePage + 1}`, query: after(middlePage) });
  if (lastPage > middlePage) pages.push({ name: `last (${lastPage + 1})`, query: after(lastPage) });

  const send = (m: object) => process.send?.(m);
  process.on('message', (m: Command & { id: number }) => {
    void (async () => {
      if (m.cmd === 'append-cost') {
        send({ id: m.id, ...(await appendCost(db, ids, m.rounds)) });
      } else if (m.cmd === 'stop') {
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
    groupId,
    liveThreadId,
    bigThreadId,
    members,
    pages,
  } satisfies Ready & { ready: true });
}

class Undo extends Error {}

/**
 * Storing one post's events for every member: appendEvents as the post path does it, against the
 * per-member writes it did before. Each in a transaction rolled back at the end (so nothing is
 * kept or announced); the time is taken before the rollback.
 */
async function appendCost(
  db: ReturnType<typeof createDatabase>['db'],
  ids: readonly string[],
  rounds: number,
) {
  const sorted = [...ids].sort();
  const data = { groupId: 'g', threadId: 't', postId: 'p' };
  const time = async (fn: (trx: Parameters<typeof appendEvents>[0]) => Promise<void>) => {
    let ms = 0;
    try {
      await db.transaction().execute(async (trx) => {
        const t0 = performance.now();
        await fn(trx);
        ms = performance.now() - t0;
        throw new Undo();
      });
    } catch (e) {
      if (!(e instanceof Undo)) throw e;
    }
    return ms;
  };
  const perMember: number[] = [];
  const batched: number[] = [];
  for (let r = 0; r < rounds + WARMUP; r++) {
    // The form appendEvents had before it batched: an UPDATE and an INSERT per member.
    const a = await time(async (trx) => {
      const at = new Date().toISOString();
      for (const accountId of sorted) {
        const row = await trx
          .updateTable('accounts')
          .set({ event_seq: sql`event_seq + 1` })
          .where('id', '=', accountId)
          .returning('event_seq')
          .executeTakeFirst();
        if (row === undefined) continue;
        await trx
          .insertInto('events')
          .values({
            account_id: accountId,
            seq: row.event_seq,
            type: 'group.post.created',
            data: JSON.stringify(data),
            created_at: at,
          })
          .execute();
      }
    });
    const b = await time(async (trx) => {
      const events = sorted.map((accountId) => ({
        accountId,
        type: 'group.post.created' as const,
        data,
      }));
      await appendEvents(trx, events, new Date());
    });
    if (r >= WARMUP) {
      perMember.push(a);
      batched.push(b);
    }
  }
  perMember.sort((x, y) => x - y);
  batched.sort((x, y) => x - y);
  return {
    perMember: percentile(perMember, 50),
    batched: percentile(batched, 50),
  };
}

// ─── The baseline (child process) ────────────────────────────────────────────────────────────

async function serveBaseline(): Promise<void> {
  const open = new Set<ServerResponse>();
  const pages = new Map<string, string>();
  let seq = 0;
  const json = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    if (url === '/api/v1/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write('retry: 2000\n\n');
      open.add(res);
      req.on('close', () => open.delete(res));
    } else if (url === '/api/v1/csrf') {
      json(res, 200, JSON.stringify({ token: 'baseline' }));
    } else if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body: string };
        const parts = url.split('/'); // /api/v1/groups/:g/threads/:t/posts
        const groupId = parts[4] ?? '';
        const threadId = parts[6] ?? '';
        const postId = generateId();
        const at = new Date().toISOString();
        seq += 1;
        const data = JSON.stringify({
          seq,
          type: 'group.post.created',
          data: { groupId, threadId, postId },
          at,
        });
        const line = `id: ${seq}\nevent: group.post.created\ndata: ${data}\n\n`;
        for (const s of open) s.write(line);
        json(
          res,
          201,
          JSON.stringify({ id: postId, threadId, groupId, body: input.body, createdAt: at }),
        );
      });
    } else {
      const body = pages.get(url);
      if (body === undefined) json(res, 404, '{"code":"not_found"}');
      else json(res, 200, body);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.on('message', (m: Command & { id: number }) => {
    if (m.cmd === 'pages') {
      for (const p of m.pages) pages.set(p.path, p.body);
      process.send?.({ id: m.id });
    } else if (m.cmd === 'stop') {
      for (const s of open) s.end();
      server.close();
      process.send?.({ id: m.id });
      process.exit(0);
    }
  });
  process.send?.({ ready: true, url: `http://127.0.0.1:${address.port}` });
}

// ─── The clients (this process) ──────────────────────────────────────────────────────────────

function startChild<T>(
  which: '--serve' | '--baseline',
): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(import.meta.filename, [which], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${which} exited with ${String(code)}`)));
    child.once('message', (m: T) => resolve({ child, ready: m }));
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

/** One server as this process sees it: its streams, and the arrivals of post events on them. */
class Target {
  readonly streams: SseConnection[] = [];
  /** Post events received since the last reset, and when the last one came. */
  arrived = 0;
  lastAt = 0;
  private waiter: { count: number; resolve: () => void } | undefined;
  private readonly csrf = new Map<string, { token: string; cookie: string }>();

  constructor(
    readonly name: string,
    readonly url: string,
    readonly members: readonly Member[],
  ) {}

  async open(): Promise<void> {
    for (let i = 0; i < this.members.length; i += 250) {
      const opened = await Promise.all(
        this.members.slice(i, i + 250).map((m) =>
          openSse(`${this.url}/api/v1/events`, { cookie: m.cookie }, (msg) => {
            if (msg.event !== 'group.post.created') return;
            this.arrived += 1;
            this.lastAt = performance.now();
            if (this.waiter !== undefined && this.arrived >= this.waiter.count) {
              const w = this.waiter;
              this.waiter = undefined;
              w.resolve();
            }
          }),
        ),
      );
      for (const c of opened) {
        if (c.status !== 200) throw new Error(`${this.name}: stream refused: ${c.status}`);
        this.streams.push(c);
      }
    }
  }

  reset(): void {
    this.arrived = 0;
    this.lastAt = 0;
    for (const s of this.streams) s.messages.length = 0; // keep the client's memory flat
  }

  /** Resolves once `count` post events have arrived since the last reset. */
  until(count: number, timeoutMs = 120_000): Promise<void> {
    if (this.arrived >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: ${this.arrived} of ${count} events arrived`)),
        timeoutMs,
      );
      this.waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }

  /** The CSRF token and cookie a member's browser would hold (fetched once, as the web app does). */
  private async token(m: Member) {
    const known = this.csrf.get(m.id);
    if (known !== undefined) return known;
    const res = await fetch(`${this.url}/api/v1/csrf`, { headers: { cookie: m.cookie } });
    const { token } = (await res.json()) as { token: string };
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
    const got = { token, cookie: [m.cookie, ...set].join('; ') };
    this.csrf.set(m.id, got);
    return got;
  }

  /** Replies in the thread as member `m`; resolves with the request's own latency. */
  async post(m: Member, groupId: string, threadId: string, i: number): Promise<number> {
    const { token, cookie } = await this.token(m);
    const body = JSON.stringify({
      body: postBody(i),
      contentWarning: i % 10 === 3 ? 'talk of self-harm' : null,
    });
    const t0 = performance.now();
    const res = await fetch(`${this.url}/api/v1/groups/${groupId}/threads/${threadId}/posts`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': token },
      body,
    });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 201) throw new Error(`${this.name}: reply ${res.status} ${text}`);
    return ms;
  }

  async get(path: string, m: Member): Promise<{ ms: number; body: string }> {
    const t0 = performance.now();
    const res = await fetch(`${this.url}${path}`, { headers: { cookie: m.cookie } });
    const body = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${this.name}: GET ${path}: ${res.status} ${body}`);
    return { ms, body };
  }

  close(): void {
    for (const s of this.streams) s.close();
  }
}

const sortNum = (xs: number[]) => [...xs].sort((a, b) => a - b);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const med = (xs: number[]) => percentile(sortNum(xs), 50);
const p99 = (xs: number[]) => percentile(sortNum(xs), 99);
const x = (a: number, b: number) => (b > 0 ? `×${(a / b).toFixed(1)}` : 'n/a');

async function main(): Promise<void> {
  console.log(
    `groups bench: ${MEMBERS} members, ${ROUNDS} rounds (+${WARMUP}), ${POSTS} posts in the long ` +
      `thread, throughput ${CONCURRENCY} posters × ${SECONDS} s; load average ` +
      `${(await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const t = performance.now();
  const tendChild = await startChild<Ready>('--serve');
  const baseChild = await startChild<{ url: string }>('--baseline');
  const ready = tendChild.ready;
  console.log(
    `setup (accounts, sessions, group, ${POSTS} posts): ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const tend = new Target('Tend', ready.url, ready.members);
  const base = new Target('baseline', baseChild.ready.url, ready.members);
  try {
    const o = performance.now();
    await tend.open();
    await base.open();
    console.log(
      `${MEMBERS} streams open on each server (${((performance.now() - o) / 1000).toFixed(1)} s)`,
    );
    const { groupId, liveThreadId, bigThreadId } = ready;
    const writers = ready.members.slice(0, Math.max(1, MEMBERS - READERS));
    const readers = ready.members.slice(Math.max(0, MEMBERS - READERS));
    let poster = 0;
    const nextPoster = () => writers[poster++ % writers.length]!;

    // 1a. One post to every member, rounds alternating between the servers.
    const last: Record<string, number[]> = { Tend: [], baseline: [] };
    const postMs: Record<string, number[]> = { Tend: [], baseline: [] };
    for (let r = 0; r < ROUNDS + WARMUP; r++) {
      for (const target of r % 2 === 0 ? [tend, base] : [base, tend]) {
        target.reset();
        const m = nextPoster();
        const t0 = performance.now();
        const ms = await target.post(m, groupId, liveThreadId, r);
        await target.until(MEMBERS);
        if (target.arrived !== MEMBERS) throw new Error(`${target.name}: ${target.arrived} events`);
        if (r >= WARMUP) {
          last[target.name]!.push(target.lastAt - t0);
          postMs[target.name]!.push(ms);
        }
      }
    }
    console.log(`\n1. A reply reaching all ${MEMBERS} members' streams (${ROUNDS} rounds each)`);
    for (const name of ['Tend', 'baseline']) {
      console.log(
        `   ${name.padEnd(8)} to the last stream: median ${fmt(med(last[name]!))}, p99 ${fmt(p99(last[name]!))}; ` +
          `POST answered: median ${fmt(med(postMs[name]!))}, p99 ${fmt(p99(postMs[name]!))}`,
      );
    }
    console.log(
      `   Tend / baseline: to the last stream median ${x(med(last.Tend!), med(last.baseline!))}, ` +
        `p99 ${x(p99(last.Tend!), p99(last.baseline!))}; POST median ${x(med(postMs.Tend!), med(postMs.baseline!))}`,
    );

    // 1b. Throughput: CONCURRENCY posters back to back for SECONDS, then every event delivered.
    const throughput = async (target: Target) => {
      target.reset();
      let posted = 0;
      const t0 = performance.now();
      const end = t0 + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < end) {
            await target.post(nextPoster(), groupId, liveThreadId, posted);
            posted += 1;
          }
        }),
      );
      const answered = performance.now();
      await target.until(posted * MEMBERS);
      const seconds = (target.lastAt - t0) / 1000;
      const perSecond = posted / seconds;
      console.log(
        `   ${target.name.padEnd(8)} ${posted} posts, all answered after ${((answered - t0) / 1000).toFixed(1)} s, ` +
          `all ${posted * MEMBERS} events delivered after ${seconds.toFixed(1)} s: ${perSecond.toFixed(1)} posts/s ` +
          `(${Math.round(perSecond * MEMBERS)} events/s)`,
      );
      target.reset();
      return perSecond;
    };
    console.log(
      `\n   Throughput, ${CONCURRENCY} posters for ${SECONDS} s with ${MEMBERS} streams open:`,
    );
    const tendRate = await throughput(tend);
    const baseRate = await throughput(base);
    console.log(`   Tend / baseline: ${(tendRate / baseRate).toFixed(3)}× the posts per second`);

    // 2. Paging through the long thread.
    const path = (q: string) => `/api/v1/groups/${groupId}/threads/${bigThreadId}${q}`;
    const reference = await Promise.all(
      ready.pages.map((p) => tend.get(path(p.query), readers[0]!)),
    );
    await ask(baseChild.child, {
      cmd: 'pages',
      pages: ready.pages.map((p, i) => ({ path: path(p.query), body: reference[i]!.body })),
    });
    const first = JSON.parse(reference[0]!.body) as { posts: unknown[]; next: string | null };
    const lastPage = JSON.parse(reference.at(-1)!.body) as {
      posts: unknown[];
      next: string | null;
    };
    console.log(
      `\n2. Reading the thread of ${POSTS} posts, ${first.posts.length} posts a page ` +
        `(${ready.pages.length} pages, ${PAGE_REQUESTS} requests each, by ${readers.length} readers; ` +
        `last page next=${String(lastPage.next)})`,
    );
    let reader = 0;
    for (const [i, p] of ready.pages.entries()) {
      const times: Record<string, number[]> = { Tend: [], baseline: [] };
      for (let r = 0; r < PAGE_REQUESTS + WARMUP; r++) {
        const m = readers[reader++ % readers.length]!;
        for (const target of r % 2 === 0 ? [tend, base] : [base, tend]) {
          const got = await target.get(path(p.query), m);
          if (got.body !== reference[i]!.body) throw new Error(`${target.name}: different bytes`);
          if (r >= WARMUP) times[target.name]!.push(got.ms);
        }
      }
      console.log(
        `   ${p.name.padEnd(11)} ${String(reference[i]!.body.length).padStart(6)} bytes: ` +
          `Tend median ${fmt(med(times.Tend!))}, p99 ${fmt(p99(times.Tend!))}; baseline median ` +
          `${fmt(med(times.baseline!))}, p99 ${fmt(p99(times.baseline!))}; Tend / baseline ` +
          `median ${x(med(times.Tend!), med(times.baseline!))}, p99 ${x(p99(times.Tend!), p99(times.baseline!))}`,
      );
    }

    // 3. What storing one post's events costs, and what batching would save.
    const cost = await ask<{ perMember: number; batched: number }>(tendChild.child, {
      cmd: 'append-cost',
      rounds: 10,
    });
    console.log(
      `\n3. Storing one post's ${MEMBERS} events in the transaction (median of 10, rolled back): ` +
        `per member (UPDATE + INSERT each, as before) ${fmt(cost.perMember)}; appendEvents ` +
        `(batched) ${fmt(cost.batched)} (${x(cost.perMember, cost.batched)} faster)`,
    );
  } finally {
    tend.close();
    base.close();
    await ask(tendChild.child, { cmd: 'stop' }).catch(() => undefined);
    await ask(baseChild.child, { cmd: 'stop' }).catch(() => undefined);
  }
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv.includes('--baseline')) await serveBaseline();
else await main();
