// What the API benches share (bench/aid.ts, bench/resources.ts): a bench file forks itself as
// Tend's server and as a bare node:http baseline, and is the client of both; the baseline
// answers the very bytes Tend answered for the same URLs.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CompiledQuery, type Kysely, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { percentile } from './report.js';

/**
 * The baseline (run in a child): answers each URL it was given with its body, as JSON. Commands
 * by IPC: `{ cmd: 'pages', pages: [url, body][] }` and `{ cmd: 'stop' }`; first sends its `url`.
 */
export async function serveBaseline(): Promise<void> {
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    const body = pages.get(req.url ?? '');
    res.writeHead(body === undefined ? 404 : 200, {
      'content-type': 'application/json; charset=utf-8',
    });
    res.end(body ?? '{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.on('message', (m: { cmd: string; pages?: [string, string][] }) => {
    if (m.cmd === 'pages') {
      for (const [p, b] of m.pages ?? []) pages.set(p, b);
      process.send?.({ ok: true });
    } else if (m.cmd === 'stop') {
      server.close();
      process.send?.({ stopped: true });
      process.exit(0);
    }
  });
  process.send?.({ url: `http://127.0.0.1:${address.port}` });
}

/** Forks `file` (a bench, from source) with `args`; resolves with its first message. */
export function startChild<T>(
  file: string,
  args: string[],
): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(file, args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${String(code)}`)));
    child.once('message', (m: T) => resolve({ child, ready: m }));
  });
}

/** Sends a command to a child and resolves with its next message. */
export function ask<T>(child: ChildProcess, m: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (r: T) => resolve(r));
    child.send(m);
  });
}

/** Asks a child to stop and waits until it says so. */
export async function stopChild(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit');
  await ask(child, { cmd: 'stop' });
}

/** A GET with the session cookie, timed; anything but 200 throws. */
export async function timedGet(url: string, cookie: string): Promise<{ ms: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 200)}`);
  return { ms: performance.now() - t0, body };
}

/** The median and the 99th percentile of some timings. */
export function medianAndP99(xs: readonly number[]): { median: number; p99: number } {
  const sorted = [...xs].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/**
 * Runs `query` (a repository call) once against `db`, captures the first SQL statement it sends,
 * and answers its rows and time with the database's plan for that statement (EXPLAIN QUERY PLAN
 * on SQLite, EXPLAIN on PostgreSQL), one line a step.
 */
export async function explainFirstQuery<DB, R>(
  db: Kysely<DB>,
  engine: 'sqlite' | 'postgres',
  query: (db: Kysely<DB>) => Promise<R>,
): Promise<{ result: R; ms: number; plan: string[] }> {
  // Subqueries built from the same `db` pass through the plugin too, as they are built; the
  // statement sent is the one transformed last before the first result comes back.
  let latest: RootOperationNode | undefined;
  let captured: RootOperationNode | undefined;
  const spy: KyselyPlugin = {
    transformQuery: (a) => {
      latest = a.node;
      return a.node;
    },
    transformResult: async (a) => {
      captured ??= latest;
      return a.result;
    },
  };
  const t0 = performance.now();
  const result = await query(db.withPlugin(spy));
  const ms = performance.now() - t0;
  if (captured === undefined) throw new Error('the query sent no SQL');
  const compiled = db.getExecutor().compileQuery(captured, { queryId: 'plan' });
  const explain = engine === 'sqlite' ? 'explain query plan ' : 'explain ';
  const rows = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(explain + compiled.sql, [...compiled.parameters]),
  );
  const plan = rows.rows.map((r) =>
    typeof r.detail === 'string'
      ? r.detail
      : typeof r['QUERY PLAN'] === 'string'
        ? r['QUERY PLAN']
        : JSON.stringify(r),
  );
  return { result, ms, plan };
}
