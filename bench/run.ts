// Benchmarks the built Tend server against a bare node:http baseline on loopback.
//
//   npm run bench                        (builds first)
//   node --import tsx bench/run.ts       (uses the existing build)
//
// Settings (environment): BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_LOG_LEVEL,
// BENCH_PIN; see bench/README.md. Prints a table, writes bench/results/<timestamp>.json, and
// exits non-zero when any run saw a non-2xx answer, an error, or Tend logged an error.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, sep } from 'node:path';
import autocannon, { type Instance, type Result } from 'autocannon';
import { repoRoot, startTend } from '../e2e/support/tend-server.js';
import {
  compare,
  cpuSecondsFromProcStat,
  formatTable,
  problems,
  readSettings,
  summarise,
  timestampForFileName,
  type Comparison,
  type RunSummary,
  type Settings,
} from './report.js';

const benchDir = import.meta.dirname;
const webBuild = join(repoRoot, 'web', 'build');
const serverMain = join(repoRoot, 'dist', 'server', 'main.js');

interface Server {
  name: 'Tend' | 'baseline';
  url: string;
  process: ChildProcess;
  stop: () => Promise<unknown>;
}

/** Servers to stop however the run ends. */
const servers: Server[] = [];
let currentLoad: Instance | undefined;
let interrupted = false;

/** Largest .js file under web/build/_app/immutable/, as a file path and its URL path. */
function largestScript(): { file: string; urlPath: string; bytes: number } {
  const dir = join(webBuild, '_app', 'immutable');
  let best: { file: string; bytes: number } | undefined;
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    if (!entry.endsWith('.js')) continue;
    const file = join(dir, entry);
    const bytes = statSync(file).size;
    if (best === undefined || bytes > best.bytes) best = { file, bytes };
  }
  if (best === undefined) throw new Error(`There is no .js file under ${dir}.`);
  return { ...best, urlPath: '/' + relative(webBuild, best.file).split(sep).join('/') };
}

/** Starts bench/baseline-server.ts in its own process and waits for its URL line. */
function startBaseline(file: string, urlPath: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(benchDir, 'baseline-server.ts'), file, urlPath],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const server: Server = {
    name: 'baseline',
    url: '',
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  servers.push(server);
  let out = '';
  return new Promise<Server>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`The baseline did not start:\n${out}`)), 15_000);
    const onData = (b: Buffer) => {
      out += b.toString('utf8');
      const m = /Baseline is running at (http:\/\/\S+)/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();
        server.url = m[1];
        res(server);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`The baseline exited with ${String(code)} before it was ready:\n${out}`));
    });
  });
}

/** Tend's warn/error log lines seen while the benchmark ran (Tend logs JSON lines via pino). */
const tendLog = { warnings: 0, errors: 0, samples: [] as string[] };

async function startTendServer(settings: Settings): Promise<Server> {
  const tend = await startTend({ LOG_LEVEL: settings.logLevel });
  servers.push({ name: 'Tend', url: tend.url, process: tend.process, stop: tend.stop });
  // startTend keeps every byte of output in one string and re-runs its start-up regex over all
  // of it on each chunk. Under load (LOG_LEVEL=info logs every request) that would cost this
  // process, which is also the load generator, more and more CPU. Keep only warnings and errors.
  const { stdout, stderr } = tend.process;
  let partial = '';
  const onData = (b: Buffer) => {
    const lines = (partial + b.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level === undefined || Number(level) < 40) continue;
      if (Number(level) >= 50) tendLog.errors++;
      else tendLog.warnings++;
      if (tendLog.samples.length < 5) tendLog.samples.push(line.slice(0, 500));
    }
  };
  for (const stream of [stdout, stderr]) {
    stream?.removeAllListeners('data');
    stream?.on('data', onData);
  }
  return { name: 'Tend', url: tend.url, process: tend.process, stop: tend.stop };
}

/** Pins every thread of `pid` to one CPU; returns false (after saying why) when it can't. */
function pin(pid: number, cpu: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch (e) {
    console.warn(`Could not pin process ${pid} to CPU ${cpu} (${String(e)}); running unpinned.`);
    return false;
  }
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 100;
  }
})();

/** CPU seconds the process has used so far (Linux only; null elsewhere). */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    return cpuSecondsFromProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'), ticksPerSecond);
  } catch {
    return null;
  }
}

/** Runs autocannon once; also keeps every response time, for sub-millisecond percentiles. */
async function load(
  url: string,
  seconds: number,
  settings: Settings,
): Promise<{ result: Result; latencies: number[] }> {
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    connections: settings.connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
  });
  currentLoad = instance;
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
  });
  try {
    const result = await instance;
    return { result, latencies };
  } finally {
    currentLoad = undefined;
  }
}

/** One GET through fetch, to check both servers answer the same before loading them. */
async function probe(url: string): Promise<{ status: number; type: string; body: Buffer }> {
  const res = await fetch(url);
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: Buffer.from(await res.arrayBuffer()),
  };
}

/** Stops every server; says so when one did not exit cleanly (code 0) on SIGTERM. */
async function stopAll(): Promise<void> {
  currentLoad?.stop();
  const stopping = servers.splice(0);
  const outcomes = await Promise.allSettled(stopping.map((s) => s.stop()));
  outcomes.forEach((o, i) => {
    const name = stopping[i]?.name ?? 'a server';
    if (o.status === 'rejected') console.warn(`Stopping ${name} failed: ${String(o.reason)}`);
    else if (o.value !== 0) console.warn(`${name} exited with ${String(o.value)} when stopped.`);
  });
}

async function main(): Promise<number> {
  const settings = readSettings(process.env);
  if (!existsSync(serverMain) || !existsSync(join(webBuild, 'index.html'))) {
    console.error(
      `The build is missing (${existsSync(serverMain) ? 'web/build/index.html' : 'dist/server/main.js'}). ` +
        'Run `npm run build` first, or `npm run bench`, which builds and then benchmarks.',
    );
    return 1;
  }
  const asset = largestScript();
  const warnings: string[] = [];
  const startedAt = new Date();
  const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `Tend benchmark: ${settings.durationSeconds} s per run after ${settings.warmupSeconds} s warm-up, ` +
      `${settings.connections} connections, pipelining 1, Tend LOG_LEVEL=${settings.logLevel}`,
  );
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${cpuModel}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  const [load1 = 0] = os.loadavg();
  if (load1 > 0.5 * os.cpus().length) {
    warnings.push(
      `The machine was busy before the benchmark started (1-minute load average ${load1.toFixed(2)}); ` +
        'other processes compete for the same CPUs, so these figures are noisy.',
    );
  }
  const baseline = await startBaseline(asset.file, asset.urlPath);
  const tend = await startTendServer(settings);
  let pinned = settings.pin && os.cpus().length >= 2;
  if (pinned) {
    pinned = pin(tend.process.pid ?? -1, 0) && pin(baseline.process.pid ?? -1, 0);
    pinned = pinned && pin(process.pid, 1);
  }
  console.log(
    pinned
      ? 'Servers pinned to CPU 0, load generator (this process) to CPU 1.'
      : 'Not pinned: servers and load generator share all CPUs.',
  );

  const benchmarks = [
    { name: 'GET /readyz', path: '/readyz' },
    {
      name: `GET ${asset.urlPath.slice(asset.urlPath.lastIndexOf('/') + 1)} (${(asset.bytes / 1024).toFixed(1)} KiB)`,
      path: asset.urlPath,
    },
  ];
  const comparisons: Comparison[] = [];
  const raw: Record<string, { tend: Result; baseline: Result }> = {};
  for (const b of benchmarks) {
    const [t, base] = await Promise.all([probe(tend.url + b.path), probe(baseline.url + b.path)]);
    if (t.status !== 200 || base.status !== 200) {
      throw new Error(
        `${b.name} answered ${t.status} on Tend and ${base.status} on the baseline; expected 200.`,
      );
    }
    if (!t.body.equals(base.body)) {
      warnings.push(`${b.name}: Tend and the baseline answer different bodies.`);
    }
    if (t.type !== base.type) {
      warnings.push(`${b.name}: content-type is "${t.type}" on Tend, "${base.type}" on baseline.`);
    }

    const results: Partial<Record<Server['name'], { result: Result; summary: RunSummary }>> = {};
    for (const server of [tend, baseline]) {
      if (interrupted) throw new Error('Interrupted.');
      process.stdout.write(`${b.name} on ${server.name}: warming up… `);
      if (settings.warmupSeconds > 0)
        await load(server.url + b.path, settings.warmupSeconds, settings);
      process.stdout.write('measuring… ');
      const cpuBefore = cpuSeconds(server.process.pid);
      const { result, latencies } = await load(
        server.url + b.path,
        settings.durationSeconds,
        settings,
      );
      const cpuAfter = cpuSeconds(server.process.pid);
      const used = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
      const summary = summarise(result, latencies, used);
      results[server.name] = { result, summary };
      console.log(`${summary.requestsPerSecond.toFixed(1)} req/s`);
      if (server.process.exitCode !== null || server.process.signalCode !== null) {
        throw new Error(`${server.name} stopped during ${b.name}.`);
      }
    }
    const { Tend: tendRun, baseline: baseRun } = results;
    if (tendRun === undefined || baseRun === undefined) throw new Error('A run is missing.');
    comparisons.push(compare(b.name, tendRun.summary, baseRun.summary));
    raw[b.name] = { tend: tendRun.result, baseline: baseRun.result };
  }

  const found = problems(comparisons);
  if (tendLog.errors > 0) found.push(`Tend logged ${tendLog.errors} error lines during the run.`);
  console.log('\n' + formatTable(comparisons) + '\n');
  console.log(
    'Tend/baseline: req/s 0.25× means Tend served a quarter as many requests per second;',
  );
  console.log('p99 4× means Tend’s slowest 1 % of answers took four times as long.');
  for (const w of warnings) console.warn(`Warning: ${w}`);
  if (tendLog.warnings + tendLog.errors > 0) {
    console.warn(
      `Tend logged ${tendLog.warnings} warning and ${tendLog.errors} error lines, e.g.:\n  ` +
        tendLog.samples.join('\n  '),
    );
  }
  for (const p of found) console.warn(`Warning: ${p}`);

  const resultsDir = join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const outFile = join(resultsDir, `${timestampForFileName(startedAt)}.json`);
  const report = {
    startedAt: startedAt.toISOString(),
    settings,
    pinned,
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      cpus: os.cpus().length,
      cpuModel,
      loadAverageAtStart: os.loadavg(),
    },
    asset: {
      file: relative(repoRoot, asset.file),
      urlPath: asset.urlPath,
      bytes: asset.bytes,
      baselineServes: 'streamed from disk on every request (fs.createReadStream)',
    },
    comparisons,
    problems: found,
    warnings,
    tendLog,
    autocannon: raw,
  };
  writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
  console.log(`Results written to ${relative(repoRoot, outFile)}`);
  return found.length > 0 ? 1 : 0;
}

const onSignal = (signal: NodeJS.Signals, code: number) => () => {
  if (interrupted) return;
  interrupted = true;
  console.error(`\n${signal}: stopping the servers…`);
  void stopAll().finally(() => process.exit(code));
};
process.once('SIGINT', onSignal('SIGINT', 130));
process.once('SIGTERM', onSignal('SIGTERM', 143));
// Last resort if this process dies some other way: never leave a server running.
process.once('exit', () => {
  for (const s of servers) {
    if (s.process.exitCode === null && s.process.signalCode === null) s.process.kill('SIGTERM');
  }
});

main()
  .catch((e: unknown) => {
    console.error(`The benchmark failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  })
  .then(async (code) => {
    await stopAll();
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    console.error(`Stopping the servers failed: ${String(e)}`);
    process.exitCode = 1;
  });
