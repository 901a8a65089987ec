// The few parts of autocannon 9 that the benchmark uses (the package ships no types, and
// @types/autocannon is not a dependency). Field names follow autocannon's lib/aggregateResult.js.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface Options {
    url: string;
    connections?: number;
    pipelining?: number;
    /** Seconds. */
    duration?: number;
    /** Seconds per request before it counts as a timeout (and an error). */
    timeout?: number;
    headers?: Record<string, string>;
  }

  /** Histogram summary: mean/min/max plus percentiles named p50, p99, p99_9, … */
  export interface Histogram {
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total?: number;
    [percentile: `p${string}`]: number;
  }

  export interface Result {
    url: string;
    connections: number;
    pipelining: number;
    /** Seconds actually run. */
    duration: number;
    start: Date;
    finish: Date;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    /** Milliseconds, recorded in a 1 ms-resolution histogram. */
    latency: Histogram;
    /** Completed requests per one-second sample; `total` is all completed requests. */
    requests: Histogram & { sent: number };
    /** Bytes per one-second sample. */
    throughput: Histogram;
  }

  export interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void;
  }

  export default function autocannon(options: Options): Instance;
}
