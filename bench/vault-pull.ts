// How fast can a device pull a whole vault of 10,000 items, and how long does opening them take?
//
//   node --import tsx bench/vault-pull.ts        (uses the existing build: `npm run build` first)
//
// Starts the production build with `startTend()`, signs up through the accounts API (real keys;
// only Argon2id is skipped, as in server/test-support/person.ts), seals 10,000 envelopes of about
// 500 bytes and pushes them through the vault API. Then it pulls the whole vault (pages of 500,
// following the cursor) over and over from several keep-alive connections, first from Tend and
// then from a bare node:http server (this file with `--baseline`, in its own process) that
// answers the same URLs with the same JSON bytes, held in memory. It prints full pulls per
// second, items per second and server CPU per pull for both, their ratio, and the time to open
// (base64url-decode, unwrap, decrypt, verify) all 10,000 envelopes in Node and, when Debian's
// Chromium is there, in headless Chromium, where it also times a new device's first sync and
// list() with the web vault (web/src/lib/vault/sync) on real IndexedDB.
//
// Settings (environment): VAULT_BENCH_ITEMS (10000), VAULT_BENCH_DURATION (seconds per server,
// 10), VAULT_BENCH_CONNECTIONS (4), BENCH_LOG_LEVEL (Tend's LOG_LEVEL, info).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Agent, request as httpRequest } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openEnvelope } from '../core/src/crypto/envelope.js';
import { generateId } from '../core/src/crypto/ids.js';
import { fromBase64url, toBase64url } from '../core/src/encoding/base64url.js';
import { pullResponseSchema } from '../core/src/vault/sync.js';
import { repoRoot, startTend, type RunningTend } from '../e2e/support/tend-server.js';
import { Person } from '../server/test-support/person.js';
import { cpuSecondsFromProcStat, whole } from './report.js';
import { serveBaseline as listenAsBaseline } from './serve.js';
import { ApiClient, pushSealed } from './api-client.js';

const COLLECTION = 'journal';
const ITEM_TYPE = 'journal.entry';
const PAGE = 500;

const envNumber = (name: string, fallback: number, min: number, max: number): number =>
  whole(process.env, name, fallback, min, max);

interface Page {
  readonly path: string;
  readonly body: Buffer;
}

// The baseline: `--baseline <pages.json>` serves each page's bytes at its path.

function serveBaseline(file: string): void {
  const pages = new Map(
    (JSON.parse(readFileSync(file, 'utf8')) as { path: string; body: string }[]).map((p) => [
      p.path,
      Buffer.from(p.body, 'utf8'),
    ]),
  );
  const server = createServer((req, res) => {
    const body = req.method === 'GET' ? pages.get(req.url ?? '') : undefined;
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.length,
    });
    res.end(body);
  });
  listenAsBaseline(server);
}

function startBaseline(file: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'vault-pull.ts'), '--baseline', file],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The baseline did not start:\n${out}`)),
      15_000,
    );
    const onData = (b: Buffer) => {
      out += b.toString('utf8');
      const m = /Baseline is running at (http:\/\/\S+)/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ url: m[1], child });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The baseline exited with ${String(code)}:\n${out}`));
    });
  });
}

/** Fills the plaintext with readable-looking text so it compresses like a journal entry would. */
function plaintextOf(i: number, bytes: number): Uint8Array {
  const words = [
    'today',
    'I',
    'walked',
    'by',
    'the',
    'river',
    'and',
    'felt',
    'a',
    'bit',
    'lighter',
  ];
  let s = `{"n":${i},"text":"`;
  while (s.length < bytes - 2) s += `${words[(s.length + i) % words.length] ?? ''} `;
  return new TextEncoder().encode(`${s.slice(0, bytes - 2)}"}`);
}

async function seed(browser: ApiClient, person: Person, items: number) {
  const plaintextBytes = 500 - 126; // envelope = plaintext + 126 bytes
  return pushSealed(
    browser,
    person,
    COLLECTION,
    Array.from({ length: items }, (_, i) => ({
      itemId: generateId(),
      type: ITEM_TYPE,
      plaintext: plaintextOf(i, plaintextBytes),
    })),
  );
}

/** Pulls the whole vault once through the API, keeping each page's path and exact bytes. */
async function pullAll(browser: ApiClient): Promise<Page[]> {
  const pages: Page[] = [];
  let since = 0;
  for (;;) {
    const path = `/api/v1/vault/changes?since=${since}&limit=${PAGE}`;
    const res = await browser.send('GET', path);
    if (res.status !== 200) throw new Error(`pull: ${res.status} ${res.text.slice(0, 300)}`);
    const page = pullResponseSchema.parse(res.json);
    pages.push({ path, body: Buffer.from(res.text, 'utf8') });
    if (!page.more) return pages;
    since = page.cursor;
  }
}

function get(agent: Agent, base: URL, path: string, cookie: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path,
        headers: { cookie, accept: 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Buffer.concat(chunks))
            : reject(new Error(`GET ${path}: ${String(res.statusCode)}`)),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const ticks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 100;
  }
})();
const cpuOf = (pid: number | undefined): number | null => {
  if (pid === undefined) return null;
  try {
    return cpuSecondsFromProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'), ticks);
  } catch {
    return null;
  }
};

interface LoadResult {
  readonly pulls: number;
  readonly seconds: number;
  readonly cpuSeconds: number | null;
}

/** `connections` clients each pull the whole vault (every page, in order) again and again. */
async function load(
  url: string,
  pid: number | undefined,
  pages: readonly Page[],
  cookie: string,
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const cpuBefore = cpuOf(pid);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let pulls = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        for (const p of pages) await get(agent, base, p.path, cookie);
        pulls++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = cpuOf(pid);
  agent.destroy();
  return {
    pulls,
    seconds: elapsed,
    cpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
  };
}

/** Opens every envelope of the pulled pages, as a device does on its first sync. */
function decryptAll(pages: readonly Page[], accountId: string, key: Uint8Array): number {
  let opened = 0;
  for (const p of pages) {
    const page = pullResponseSchema.parse(JSON.parse(p.body.toString('utf8')));
    for (const c of page.changes) {
      const envelope = c.envelope === null ? undefined : fromBase64url(c.envelope);
      if (envelope === undefined) throw new Error('bad envelope');
      const r = openEnvelope({
        envelope,
        binding: {
          ownerId: accountId,
          collectionId: c.collection,
          itemId: c.itemId,
          itemType: ITEM_TYPE,
        },
        collectionKeys: (id) => (id === 1 ? key : undefined),
        expectedSequence: c.revision,
      });
      if (!r.ok) throw new Error(`open failed: ${r.error}`);
      opened++;
    }
  }
  return opened;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const items = envNumber('VAULT_BENCH_ITEMS', 10_000, 100, 100_000);
  const duration = envNumber('VAULT_BENCH_DURATION', 10, 1, 120);
  const connections = envNumber('VAULT_BENCH_CONNECTIONS', 4, 1, 64);
  const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
  if (!existsSync(join(repoRoot, 'dist', 'server', 'main.js'))) {
    throw new Error('The build is missing: run `npm run build` first.');
  }
  console.log(
    `Vault pull benchmark: ${items} items, ${duration} s per server, ${connections} connections, ` +
      `Tend LOG_LEVEL=${logLevel}; Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`,
  );

  const [load1 = 0] = os.loadavg();
  if (load1 > 0.5 * os.cpus().length) {
    console.warn(
      `Warning: the machine is busy (1-minute load average ${load1.toFixed(2)} on ${os.cpus().length} CPUs); ` +
        'other processes compete for the CPUs, so these figures are noisy.',
    );
  }

  const tmp = mkdtempSync(join(os.tmpdir(), 'tend-vault-bench-'));
  let tend: RunningTend | undefined;
  let baseline: ChildProcess | undefined;
  try {
    tend = await startTend({
      LOG_LEVEL: logLevel,
      VAULT_QUOTA_BYTES: String(Math.max(100 * 1024 * 1024, items * 2048)),
    });
    const tendProcess = tend.process;
    // Keep nothing of Tend's request log in memory here.
    tendProcess.stdout?.removeAllListeners('data');
    tendProcess.stderr?.removeAllListeners('data');
    tendProcess.stdout?.resume();
    tendProcess.stderr?.resume();

    const browser = new ApiClient(tend.url);
    const person = new Person('bench');
    const signUp = await browser.send('POST', '/api/v1/accounts', {
      handle: person.handle,
      keys: person.accountKeys(),
    });
    if (signUp.status !== 201) throw new Error(`sign-up: ${signUp.status} ${signUp.text}`);

    let t0 = performance.now();
    const { collectionKey, sealed } = await seed(browser, person, items);
    console.log(
      `Sealed and pushed ${items} envelopes in ${((performance.now() - t0) / 1000).toFixed(1)} s.`,
    );

    t0 = performance.now();
    const pages = await pullAll(browser);
    const firstPull = performance.now() - t0;
    const pulled = pages.flatMap(
      (p) => pullResponseSchema.parse(JSON.parse(p.body.toString('utf8'))).changes,
    );
    if (pulled.length !== items || pulled.some((c) => sealed.get(c.itemId) !== c.envelope)) {
      throw new Error(`The pull returned ${pulled.length} items, not the ${items} pushed.`);
    }
    const bytes = pages.reduce((n, p) => n + p.body.length, 0);
    console.log(
      `One pull: ${pages.length} pages, ${(bytes / 1024 / 1024).toFixed(2)} MiB of JSON, ` +
        `${pulled.length} envelopes of ${fromBase64url(pulled[0]?.envelope ?? '')?.length ?? 0} bytes; ` +
        `first pull took ${firstPull.toFixed(0)} ms.`,
    );

    const pagesFile = join(tmp, 'pages.json');
    writeFileSync(
      pagesFile,
      JSON.stringify(pages.map((p) => ({ path: p.path, body: p.body.toString('utf8') }))),
    );
    const base = await startBaseline(pagesFile);
    baseline = base.child;
    const check = await get(new Agent(), new URL(base.url), pages[0]?.path ?? '/', '');
    if (!check.equals(pages[0]?.body ?? Buffer.alloc(0)))
      throw new Error('The baseline answers other bytes.');

    const cookie = browser.cookieHeader();
    const results: Record<'Tend' | 'baseline', LoadResult> = {
      Tend: { pulls: 0, seconds: 0, cpuSeconds: null },
      baseline: { pulls: 0, seconds: 0, cpuSeconds: null },
    };
    for (const [name, url, pid] of [
      ['Tend', tend.url, tendProcess.pid],
      ['baseline', base.url, baseline.pid],
    ] as const) {
      process.stdout.write(`${name}: warming up… `);
      await load(url, pid, pages, cookie, 2, connections);
      process.stdout.write('measuring… ');
      results[name] = await load(url, pid, pages, cookie, duration, connections);
      console.log(`${(results[name].pulls / results[name].seconds).toFixed(2)} full pulls/s`);
    }

    const decryptRuns: number[] = [];
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      if (decryptAll(pages, person.accountId, collectionKey) !== items) throw new Error('count');
      decryptRuns.push(performance.now() - start);
    }
    const chromium = await inChromium(pages, person, collectionKey, tmp, tend.url, browser.cookies);

    const row = (name: string, r: LoadResult) => {
      const perSecond = r.pulls / r.seconds;
      const cpu = r.cpuSeconds === null || r.pulls === 0 ? null : (r.cpuSeconds * 1000) / r.pulls;
      return { name, perSecond, itemsPerSecond: perSecond * items, cpuMsPerPull: cpu };
    };
    const t = row('Tend', results.Tend);
    const b = row('baseline', results.baseline);
    const fmt = (n: number | null, d = 1) => (n === null ? 'n/a' : n.toFixed(d));
    console.log('');
    console.log('server         full pulls/s   items/s      server CPU ms/pull');
    for (const r of [t, b]) {
      console.log(
        `${r.name.padEnd(14)} ${fmt(r.perSecond, 2).padStart(12)}   ${fmt(r.itemsPerSecond, 0).padStart(9)}    ${fmt(r.cpuMsPerPull).padStart(10)}`,
      );
    }
    const cpuRatio =
      t.cpuMsPerPull !== null && b.cpuMsPerPull ? t.cpuMsPerPull / b.cpuMsPerPull : null;
    console.log(
      `Tend/baseline  ${fmt(t.perSecond / b.perSecond, 3).padStart(11)}×   ${''.padStart(9)}    ${fmt(cpuRatio, 2).padStart(9)}×`,
    );
    console.log('');
    console.log(
      `Opening all ${items} envelopes in Node (base64url, unwrap, XChaCha20-Poly1305, checks): ` +
        `median ${median(decryptRuns).toFixed(0)} ms of 5 runs (${((median(decryptRuns) * 1000) / items).toFixed(1)} µs each).`,
    );
    if (chromium !== undefined) {
      console.log(
        `In headless Chromium ${chromium.version}: opening them takes ${chromium.openMs.toFixed(0)} ms ` +
          `(median of 5, ${((chromium.openMs * 1000) / items).toFixed(1)} µs each). ` +
          `A new device with the web vault (web/src/lib/vault/sync, real IndexedDB): first sync ` +
          `${(chromium.syncMs / 1000).toFixed(2)} s, then list() opening ${chromium.listed} items ` +
          `${(chromium.listMs / 1000).toFixed(2)} s (${(chromium.relistMs / 1000).toFixed(2)} s the second time).`,
      );
    }
  } finally {
    baseline?.kill('SIGTERM');
    await tend?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

interface BrowserFigures {
  readonly version: string;
  /** Median ms to open every envelope (5 runs). */
  readonly openMs: number;
  /** A new device: `Vault.open` + first `sync()` pulling everything into IndexedDB. */
  readonly syncMs: number;
  /** Then `list()` of the collection: read from IndexedDB and open every item. */
  readonly listMs: number;
  /** `list()` again (the marks are already raised: reading and opening only). */
  readonly relistMs: number;
  readonly listed: number;
}

/** The browser side: raw envelope opening, and the web vault (sync + list) on real IndexedDB. */
const browserEntry = (accountId: string) => `
import { openEnvelope } from ${JSON.stringify(join(repoRoot, 'core/src/crypto/envelope.ts'))};
import { fromBase64url } from ${JSON.stringify(join(repoRoot, 'core/src/encoding/base64url.ts'))};
import { Vault } from ${JSON.stringify(join(repoRoot, 'web/src/lib/vault/sync/index.ts'))};
const g = globalThis as any;
g.openAll = (pages: string[], keyText: string) => {
  const key = fromBase64url(keyText)!;
  const parsed = pages.map((p) => JSON.parse(p).changes);
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    for (const changes of parsed) for (const c of changes) {
      const r = openEnvelope({ envelope: fromBase64url(c.envelope)!, binding: { ownerId: ${JSON.stringify(accountId)},
        collectionId: c.collection, itemId: c.itemId, itemType: ${JSON.stringify(ITEM_TYPE)} },
        collectionKeys: (id: number) => (id === 1 ? key : undefined), expectedSequence: c.revision });
      if (!r.ok) throw new Error(r.error);
    }
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[2];
};
g.syncVault = async (masterKeyText: string) => {
  const t0 = performance.now();
  const vault = await Vault.open({ accountId: ${JSON.stringify(accountId)}, masterKey: fromBase64url(masterKeyText)!, autoSync: false });
  const synced = await vault.sync();
  const t1 = performance.now();
  if (!synced.ok) throw new Error(JSON.stringify(synced.error));
  const listing = await vault.list(${JSON.stringify(COLLECTION)}, ${JSON.stringify(ITEM_TYPE)});
  const t2 = performance.now();
  await vault.list(${JSON.stringify(COLLECTION)}, ${JSON.stringify(ITEM_TYPE)});
  const t3 = performance.now();
  vault.close();
  if (listing.failures.length > 0) throw new Error(JSON.stringify(listing.failures[0]));
  return { syncMs: t1 - t0, listMs: t2 - t1, relistMs: t3 - t2, listed: listing.items.length };
};
`;

/**
 * Bundles the envelope code and the web vault for the browser, and times them in headless
 * Chromium on a page of Tend's own origin (so the vault's requests carry the session cookie).
 */
async function inChromium(
  pages: readonly Page[],
  person: Person,
  key: Uint8Array,
  tmp: string,
  tendUrl: string,
  cookies: ReadonlyMap<string, string>,
): Promise<BrowserFigures | undefined> {
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executable)) {
    console.log(`No Chromium at ${executable}: skipping the browser timings.`);
    return undefined;
  }
  const { build } = await import('esbuild');
  const entry = join(tmp, 'entry.ts');
  writeFileSync(entry, browserEntry(person.accountId));
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  const code = bundle.outputFiles[0]?.text ?? '';
  // Secure (__Host-) cookies are accepted over plain http on localhost only.
  const origin = tendUrl.replace('127.0.0.1', 'localhost');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: executable, headless: true });
  try {
    const context = await browser.newContext();
    await context.addCookies(
      [...cookies].map(([name, value]) => ({
        name,
        value,
        domain: 'localhost',
        path: '/',
        secure: true,
      })),
    );
    const page = await context.newPage();
    await page.route(`${origin}/__vault-bench`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>vault bench</title><script src="/__vault-bench.js"></script>',
      }),
    );
    await page.route(`${origin}/__vault-bench.js`, (route) =>
      route.fulfill({ contentType: 'text/javascript', body: code }),
    );
    await page.goto(`${origin}/__vault-bench`);
    type Fns = {
      openAll: (pages: string[], key: string) => number;
      syncVault: (
        masterKey: string,
      ) => Promise<{ syncMs: number; listMs: number; relistMs: number; listed: number }>;
    };
    const openMs = await page.evaluate(
      ([texts, k]) => (globalThis as unknown as Fns).openAll(texts, k),
      [pages.map((p) => p.body.toString('utf8')), toBase64url(key)] as const,
    );
    const vault = await page.evaluate(
      (k) => (globalThis as unknown as Fns).syncVault(k),
      toBase64url(person.masterKey),
    );
    return { version: browser.version(), openMs, ...vault };
  } finally {
    await browser.close();
  }
}

if (process.argv[2] === '--baseline') {
  serveBaseline(process.argv[3] ?? '');
} else {
  main().catch((e: unknown) => {
    console.error(
      `The benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
    process.exitCode = 1;
  });
}
