import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { describe, expect, it } from 'vitest';
import {
  compare,
  cpuSecondsFromProcStat,
  formatTable,
  percentile,
  problems,
  ratio,
  readSettings,
  summarise,
  timestampForFileName,
  type RunSummary,
} from './report.js';

const run = (over: Partial<RunSummary> = {}): RunSummary => ({
  requestsPerSecond: 1000,
  totalRequests: 10_000,
  durationSeconds: 10,
  latencyP50Ms: 1,
  latencyP99Ms: 4,
  autocannonLatencyP50Ms: 1,
  autocannonLatencyP99Ms: 4,
  bytesPerSecond: 100_000,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  statusCodes: { '200': 10_000 },
  serverCpuMicrosPerRequest: 100,
  ...over,
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('ratio', () => {
  it('divides, and refuses to divide by zero or by nothing', () => {
    expect(ratio(500, 1000)).toBe(0.5);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(Number.NaN, 1)).toBeNull();
  });
});

describe('compare and problems', () => {
  it('computes Tend/baseline for req/s and p99', () => {
    const c = compare(
      'GET /readyz',
      run({ requestsPerSecond: 250, latencyP99Ms: 8, serverCpuMicrosPerRequest: 300 }),
      run(),
    );
    expect(c.requestsRatio).toBe(0.25);
    expect(c.p99Ratio).toBe(2);
    expect(c.cpuRatio).toBe(3);
    expect(compare('x', run({ serverCpuMicrosPerRequest: null }), run()).cpuRatio).toBeNull();
    expect(problems([c])).toEqual([]);
  });

  it('reports non-2xx answers, errors and empty runs, naming the server', () => {
    const c = compare(
      'GET /x',
      run({ non2xx: 3, statusCodes: { '200': 7, '503': 3 } }),
      run({ errors: 2, timeouts: 1, totalRequests: 0 }),
    );
    expect(problems([c])).toEqual([
      'GET /x on Tend: 3 non-2xx answers (3×503)',
      'GET /x on baseline: 2 errors (1 of them timeouts); no request completed',
    ]);
  });
});

describe('formatTable', () => {
  it('prints one row per server and a ratio row, with n/a for meaningless ratios', () => {
    const table = formatTable([
      compare(
        'GET /readyz',
        run({ requestsPerSecond: 500, serverCpuMicrosPerRequest: 250 }),
        run({ latencyP99Ms: 0 }),
      ),
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(
      /^benchmark\s+server\s+req\/s \(mean\)\s+p50 ms\s+p99 ms\s+CPU µs\/req\s+non-2xx\s+errors$/,
    );
    expect(lines[2]).toMatch(/^GET \/readyz\s+Tend\s+500\.0\s+1\.000\s+4\.000\s+250\s+0\s+0$/);
    expect(lines[3]).toMatch(/^\s+baseline\s+1000\.0/);
    expect(lines[4]).toMatch(/Tend\/baseline\s+0\.50×\s+n\/a\s+2\.50×$/);
  });
});

describe('readSettings', () => {
  it('has defaults and bounds', () => {
    expect(readSettings({})).toEqual({
      durationSeconds: 10,
      warmupSeconds: 2,
      connections: 10,
      logLevel: 'info',
      pin: true,
    });
    expect(readSettings({ BENCH_DURATION: '5', BENCH_PIN: '0' })).toMatchObject({
      durationSeconds: 5,
      pin: false,
    });
    expect(() => readSettings({ BENCH_DURATION: '0' })).toThrow(/BENCH_DURATION/);
    expect(() => readSettings({ BENCH_DURATION: '1.5' })).toThrow(/whole number/);
    expect(() => readSettings({ BENCH_LOG_LEVEL: 'loud' })).toThrow(/BENCH_LOG_LEVEL/);
  });
});

describe('cpuSecondsFromProcStat', () => {
  it('adds utime and stime, whatever the command name holds', () => {
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194304 98 0 0 0 250 50 0 0 20 0 11 0';
    expect(cpuSecondsFromProcStat(stat, 100)).toBe(3);
    expect(cpuSecondsFromProcStat('garbage', 100)).toBeNull();
  });
});

describe('timestampForFileName', () => {
  it('has no colons', () => {
    expect(timestampForFileName(new Date('2026-11-24T08:30:05.123Z'))).toBe('2026-11-24T08-30-05Z');
  });
});

describe('summarise', () => {
  it('reads a real autocannon result (guards the field names in bench/autocannon.d.ts)', async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/missing' ? 404 : 200).end('ok');
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const { port } = server.address() as AddressInfo;
    try {
      const latencies: number[] = [];
      const instance = autocannon({
        url: `http://127.0.0.1:${port}/missing`,
        connections: 2,
        duration: 1,
      });
      instance.on('response', (_c: unknown, _s: number, _b: number, ms: number) => {
        latencies.push(ms);
      });
      const s = summarise(await instance, latencies);
      expect(s.totalRequests).toBeGreaterThan(0);
      expect(s.totalRequests).toBe(latencies.length);
      expect(s.requestsPerSecond).toBeGreaterThan(0);
      expect(s.non2xx).toBe(s.totalRequests);
      expect(s.statusCodes['404']).toBe(s.totalRequests);
      expect(s.errors).toBe(0);
      expect(s.latencyP99Ms).toBeGreaterThanOrEqual(s.latencyP50Ms);
      expect(Number.isFinite(s.autocannonLatencyP99Ms)).toBe(true);
      expect(s.serverCpuMicrosPerRequest).toBeNull();
      expect(problems([compare('GET /missing', s, s)])[0]).toMatch(/non-2xx answers \(\d+×404\)/);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
