import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  createRealtimeClient,
  parseMessage,
  streamUrl,
  type EventSourceLike,
} from './client';

const msg = (seq: number, type = 'circle.changed', data: Record<string, string> = {}) =>
  JSON.stringify({ seq, type, data, at: '2026-11-24T12:00:00.000Z' });

class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: EventSourceLike['onopen'] = null;
  onerror: EventSourceLike['onerror'] = null;
  closed = false;
  readonly listeners = new Map<string, ((ev: MessageEvent) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (ev: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  emit(type: string, data: string) {
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data }));
  }
  fail(permanently: boolean) {
    this.readyState = permanently ? 2 : 0;
    this.onerror?.(new Event('error'));
  }
}

const setup = (onHandlerError?: (e: unknown) => void) => {
  const sources: FakeSource[] = [];
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const client = createRealtimeClient({
    create: (url) => {
      const s = new FakeSource(url);
      sources.push(s);
      return s;
    },
    setTimeout: (fn, ms) => {
      const t = { fn, ms, cancelled: false };
      timers.push(t);
      return t;
    },
    clearTimeout: (h) => {
      (h as { cancelled: boolean }).cancelled = true;
    },
    random: () => 0.5,
    ...(onHandlerError === undefined ? {} : { onHandlerError }),
  });
  return { client, sources, timers };
};

describe('realtime client: pure parts', () => {
  it('parses only well-formed events whose type matches the SSE event name', () => {
    expect(parseMessage('circle.changed', msg(3, 'circle.changed', { a: 'b' }))).toEqual({
      seq: 3,
      type: 'circle.changed',
      data: { a: 'b' },
      at: '2026-11-24T12:00:00.000Z',
    });
    expect(parseMessage('share.changed', msg(3, 'circle.changed'))).toBeNull();
    expect(parseMessage('circle.changed', '{not json')).toBeNull();
    expect(parseMessage('circle.changed', JSON.stringify({ seq: 1 }))).toBeNull();
    expect(parseMessage('circle.changed', msg(1, 'made.up'))).toBeNull();
    expect(parseMessage('circle.changed', 42)).toBeNull();
  });

  it('backs off from 2 s, doubling, to at most a minute, with jitter of ±25 %', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((a) => backoffMs(a, () => 0.5))).toEqual([
      2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000,
    ]);
    expect(backoffMs(1, () => 0)).toBe(1500);
    expect(backoffMs(1, () => 1)).toBe(2500);
  });

  it('resumes with ?after= only when it has seen an event', () => {
    expect(streamUrl(null)).toBe('/api/v1/events');
    expect(streamUrl(0)).toBe('/api/v1/events?after=0');
    expect(streamUrl(41)).toBe('/api/v1/events?after=41');
  });
});

describe('realtime client', () => {
  it('opens one stream, and delivers events to handlers of their type and to "*"', () => {
    const { client, sources } = setup();
    const circle: number[] = [];
    const all: string[] = [];
    client.onEvent('circle.changed', (e) => circle.push(e.seq));
    const off = client.onEvent('*', (e) => all.push(e.type));
    client.start('ana');
    client.start('ana');
    expect(sources).toHaveLength(1);
    expect(sources[0]!.url).toBe('/api/v1/events');
    sources[0]!.open();
    expect(client.connected).toBe(true);
    sources[0]!.emit('circle.changed', msg(1));
    sources[0]!.emit('share.changed', msg(2, 'share.changed'));
    off();
    sources[0]!.emit('circle.changed', msg(3));
    expect(circle).toEqual([1, 3]);
    expect(all).toEqual(['circle.changed', 'share.changed']);
    expect(client.lastSeq).toBe(3);
  });

  it('a handler that throws does not stop the others', () => {
    const errors: unknown[] = [];
    const { client, sources } = setup((e) => errors.push(e));
    const got: number[] = [];
    client.onEvent('circle.changed', () => {
      throw new Error('page bug');
    });
    client.onEvent('circle.changed', (e) => got.push(e.seq));
    client.start('ana');
    sources[0]!.emit('circle.changed', msg(1));
    expect(got).toEqual([1]);
    expect(errors).toEqual([new Error('page bug')]);
  });

  it('leaves a dropped connection to the browser, and reconnects with back-off when it gives up', () => {
    const { client, sources, timers } = setup();
    client.start('ana');
    sources[0]!.open();
    sources[0]!.emit('circle.changed', msg(7));
    sources[0]!.fail(false); // the browser retries by itself, with Last-Event-ID
    expect(timers).toHaveLength(0);
    sources[0]!.fail(true); // e.g. a 502 from a proxy: the browser stops
    expect(sources[0]!.closed).toBe(true);
    expect(timers.map((t) => t.ms)).toEqual([2000]);
    timers[0]!.fn();
    expect(sources[1]!.url).toBe('/api/v1/events?after=7');
    sources[1]!.fail(true);
    expect(timers.map((t) => t.ms)).toEqual([2000, 4000]);
    timers[1]!.fn();
    sources[2]!.open(); // success resets the pause
    sources[2]!.fail(true);
    expect(timers.map((t) => t.ms)).toEqual([2000, 4000, 2000]);
  });

  it('stop closes the stream and cancels a pending reconnect; events from a closed stream are ignored', () => {
    const { client, sources, timers } = setup();
    const got: number[] = [];
    client.onEvent('*', (e) => got.push(e.seq));
    client.start('ana');
    sources[0]!.fail(true);
    client.stop();
    expect(timers[0]!.cancelled).toBe(true);
    client.start('ana');
    const old = sources[1]!;
    client.stop();
    expect(old.closed).toBe(true);
    old.emit('circle.changed', msg(1));
    expect(got).toEqual([]);
    expect(sources).toHaveLength(2);
  });

  it("another account starts over: it never resumes after someone else's sequence", () => {
    const { client, sources } = setup();
    client.start('ana');
    sources[0]!.emit('circle.changed', msg(40));
    client.stop();
    client.start('ana');
    expect(sources[1]!.url).toBe('/api/v1/events?after=40');
    client.start('ben');
    expect(sources[1]!.closed).toBe(true);
    expect(sources[2]!.url).toBe('/api/v1/events');
  });
});
