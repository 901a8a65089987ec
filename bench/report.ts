// Pure helpers for the benchmark: summarise autocannon results, compare Tend with the
// baseline, format the table. No I/O here, so bench/report.test.ts can check all of it.
import type { Result } from 'autocannon';

export interface RunSummary {
  /** Mean of autocannon's one-second samples of completed requests. */
  requestsPerSecond: number;
  /** Completed requests in the measured run (warm-up not included). */
  totalRequests: number;
  durationSeconds: number;
  /** Latency percentiles in ms, from every response time (not autocannon's 1 ms buckets). */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** autocannon's own figures: whole milliseconds (its histogram truncates). */
  autocannonLatencyP50Ms: number;
  autocannonLatencyP99Ms: number;
  bytesPerSecond: number;
  non2xx: number;
  /** Connection errors and timeouts (autocannon counts timeouts as errors too). */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /**
   * CPU time the server process (all its threads) spent per completed request, in µs; null when
   * not measured. Less sensitive than req/s to other processes competing for the CPUs.
   */
  serverCpuMicrosPerRequest: number | null;
}

export interface Comparison {
  name: string;
  tend: RunSummary;
  baseline: RunSummary;
  /** Tend's req/s divided by the baseline's: 1 is as fast, 0.5 is half as many requests. */
  requestsRatio: number | null;
  /** Tend's p99 latency divided by the baseline's: 2 is twice as slow at the tail. */
  p99Ratio: number | null;
  /** Tend's CPU time per request divided by the baseline's: 3 is three times the work. */
  cpuRatio: number | null;
}

/** Nearest-rank percentile (0 < p ≤ 100) of values sorted ascending; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/**
 * `latenciesMs` are the response times of the measured run, in any order; `serverCpuSeconds` is
 * the CPU time the server used during it.
 */
export function summarise(
  result: Result,
  latenciesMs: ArrayLike<number> = new Float64Array(0),
  serverCpuSeconds: number | null = null,
): RunSummary {
  const totalRequests = result.requests.total ?? 0;
  const sorted = Float64Array.from(latenciesMs).sort();
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
  return {
    requestsPerSecond: result.requests.mean,
    totalRequests,
    durationSeconds: result.duration,
    latencyP50Ms: percentile(sorted, 50),
    latencyP99Ms: percentile(sorted, 99),
    autocannonLatencyP50Ms: result.latency.p50 ?? Number.NaN,
    autocannonLatencyP99Ms: result.latency.p99 ?? Number.NaN,
    bytesPerSecond: result.throughput.mean,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    serverCpuMicrosPerRequest:
      serverCpuSeconds === null || totalRequests === 0
        ? null
        : (serverCpuSeconds * 1e6) / totalRequests,
  };
}

/**
 * User + system CPU seconds of a process (all threads) from the text of Linux's /proc/<pid>/stat;
 * null when the text is not in that format. Fields 14 and 15 (utime, stime) count clock ticks.
 */
export function cpuSecondsFromProcStat(text: string, ticksPerSecond: number): number | null {
  // The command name (field 2) is in parentheses and may itself contain spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime) || ticksPerSecond <= 0) return null;
  return (utime + stime) / ticksPerSecond;
}

/** a / b, or null when the quotient means nothing (b is zero, or either is not a number). */
export function ratio(a: number, b: number): number | null {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}

export function compare(name: string, tend: RunSummary, baseline: RunSummary): Comparison {
  return {
    name,
    tend,
    baseline,
    requestsRatio: ratio(tend.requestsPerSecond, baseline.requestsPerSecond),
    p99Ratio: ratio(tend.latencyP99Ms, baseline.latencyP99Ms),
    cpuRatio: ratio(
      tend.serverCpuMicrosPerRequest ?? Number.NaN,
      baseline.serverCpuMicrosPerRequest ?? Number.NaN,
    ),
  };
}

/** One line per run that had non-2xx answers, errors or no completed request at all. */
export function problems(comparisons: readonly Comparison[]): string[] {
  const out: string[] = [];
  for (const c of comparisons) {
    for (const [server, s] of [
      ['Tend', c.tend],
      ['baseline', c.baseline],
    ] as const) {
      const parts: string[] = [];
      if (s.non2xx > 0) {
        const codes = Object.entries(s.statusCodes)
          .filter(([code]) => !code.startsWith('2'))
          .map(([code, n]) => `${n}×${code}`)
          .join(', ');
        parts.push(`${s.non2xx} non-2xx answers${codes === '' ? '' : ` (${codes})`}`);
      }
      if (s.errors > 0) parts.push(`${s.errors} errors (${s.timeouts} of them timeouts)`);
      if (s.totalRequests === 0) parts.push('no request completed');
      if (parts.length > 0) out.push(`${c.name} on ${server}: ${parts.join('; ')}`);
    }
  }
  return out;
}

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const times = (r: number | null) => (r === null ? 'n/a' : `${r.toFixed(2)}×`);

/** A plain-text table: one row per server and benchmark, then a ratio row per benchmark. */
export function formatTable(comparisons: readonly Comparison[]): string {
  const header = [
    'benchmark',
    'server',
    'req/s (mean)',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    'non-2xx',
    'errors',
  ];
  const rows: string[][] = [];
  for (const c of comparisons) {
    for (const [server, s] of [
      ['Tend', c.tend],
      ['baseline', c.baseline],
    ] as const) {
      rows.push([
        server === 'Tend' ? c.name : '',
        server,
        fixed(s.requestsPerSecond, 1),
        fixed(s.latencyP50Ms, 3),
        fixed(s.latencyP99Ms, 3),
        fixed(s.serverCpuMicrosPerRequest ?? Number.NaN, 0),
        String(s.non2xx),
        String(s.errors),
      ]);
    }
    rows.push([
      '',
      'Tend/baseline',
      times(c.requestsRatio),
      '',
      times(c.p99Ratio),
      times(c.cpuRatio),
      '',
      '',
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Text columns align left, figures right.
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** 2026-11-24T08:30:05.123Z → 2026-11-24T08-30-05Z (safe in file names everywhere). */
export function timestampForFileName(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(':', '-');
}

export interface Settings {
  /** Seconds of measured load per server and benchmark (BENCH_DURATION). */
  durationSeconds: number;
  /** Seconds of unmeasured load just before each measured run (BENCH_WARMUP). */
  warmupSeconds: number;
  /** Concurrent connections autocannon keeps open (BENCH_CONNECTIONS). */
  connections: number;
  /** Tend's LOG_LEVEL (BENCH_LOG_LEVEL); `info`, the production default, logs every request. */
  logLevel: string;
  /** Pin the servers to CPU 0 and the load generator to CPU 1 (BENCH_PIN=0 turns it off). */
  pin: boolean;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** A whole-number setting from `env`, or `fallback`; one clear sentence when out of bounds. */
export function whole(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${raw}".`);
  }
  return n;
}

/** Reads the BENCH_* variables; throws one clear sentence when a value is out of bounds. */
export function readSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const logLevel = env.BENCH_LOG_LEVEL?.trim() || 'info';
  if (!logLevels.includes(logLevel)) {
    throw new Error(`BENCH_LOG_LEVEL must be one of ${logLevels.join(', ')}, not "${logLevel}".`);
  }
  const pin = env.BENCH_PIN?.trim() ?? '1';
  if (pin !== '0' && pin !== '1' && pin !== '') {
    throw new Error(`BENCH_PIN must be 0 or 1, not "${pin}".`);
  }
  return {
    durationSeconds: whole(env, 'BENCH_DURATION', 10, 1, 120),
    warmupSeconds: whole(env, 'BENCH_WARMUP', 2, 0, 30),
    connections: whole(env, 'BENCH_CONNECTIONS', 10, 1, 200),
    logLevel,
    pin: pin !== '0',
  };
}
