import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient, failureFrom, parseRetryAfter, type Fetch } from './client';

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function fakeServer(answer: (call: Call, n: number) => Response): { fetch: Fetch; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: (url, init) => {
      const call = { url, init };
      calls.push(call);
      return Promise.resolve(answer(call, calls.length));
    },
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

const header = (call: Call | undefined, name: string) =>
  (call?.init?.headers as Record<string, string> | undefined)?.[name];

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, at least one second', () => {
    expect(parseRetryAfter('17')).toBe(17);
    expect(parseRetryAfter('0')).toBe(1);
    expect(parseRetryAfter('2.2')).toBe(3);
    expect(parseRetryAfter(new Date(10_000 + 30_000).toUTCString(), 10_000)).toBe(30);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('failureFrom', () => {
  it("reads Tend's error shape and tolerates anything else", () => {
    expect(failureFrom(409, { error: { code: 'handle_taken', message: 'taken' } })).toEqual({
      ok: false,
      status: 409,
      code: 'handle_taken',
      message: 'taken',
    });
    expect(failureFrom(502, '<html>')).toMatchObject({ code: 'http_502', message: '' });
    expect(failureFrom(429, { error: { code: 'rate_limited', message: '' } }, 9)).toMatchObject({
      retryAfter: 9,
    });
  });

  it("keeps an error's issues (an import's problems line by line), and only a list of them", () => {
    const issues = [{ path: 'services.csv:3', message: 'name is missing' }];
    expect(failureFrom(422, { error: { code: 'hsds_invalid', message: 'no', issues } })).toEqual({
      ok: false,
      status: 422,
      code: 'hsds_invalid',
      message: 'no',
      issues,
    });
    expect(failureFrom(422, { error: { code: 'x', issues: 'all of it' } })).not.toHaveProperty(
      'issues',
    );
  });
});

describe('ApiClient', () => {
  const schema = z.object({ n: z.number() });

  it('sends the CSRF token on state-changing requests only, fetching it once', async () => {
    const server = fakeServer((call) =>
      call.url.endsWith('/api/v1/csrf') ? json(200, { token: 'tok' }) : json(200, { n: 1 }),
    );
    const client = new ApiClient(server.fetch);
    await client.get('/api/v1/x', schema);
    await client.request('POST', '/api/v1/y', { body: { a: 1 }, schema });
    await client.request('DELETE', '/api/v1/z');
    const urls = server.calls.map((c) => `${c.init?.method ?? 'GET'} ${c.url}`);
    expect(urls).toEqual([
      'GET /api/v1/x',
      'GET /api/v1/csrf',
      'POST /api/v1/y',
      'DELETE /api/v1/z',
    ]);
    expect(header(server.calls[0], 'x-csrf-token')).toBeUndefined();
    expect(header(server.calls[2], 'x-csrf-token')).toBe('tok');
    expect(header(server.calls[2], 'content-type')).toBe('application/json');
    expect(server.calls[2]?.init?.body).toBe('{"a":1}');
  });

  it('fetches a new token and retries once when the server says csrf_failed', async () => {
    let tokens = 0;
    const server = fakeServer((call) => {
      if (call.url.endsWith('/csrf')) return json(200, { token: `t${String(++tokens)}` });
      return header(call, 'x-csrf-token') === 't2'
        ? json(200, { n: 2 })
        : json(403, { error: { code: 'csrf_failed', message: '' } });
    });
    const res = await new ApiClient(server.fetch).request('PUT', '/p', { schema });
    expect(res).toEqual({ ok: true, status: 200, value: { n: 2 } });
    expect(tokens).toBe(2);
  });

  it('refuses answers that do not match the schema', async () => {
    const server = fakeServer(() => json(200, { n: 'one' }));
    await expect(new ApiClient(server.fetch).get('/x', schema)).resolves.toMatchObject({
      ok: false,
      code: 'bad_response',
    });
  });

  it('returns failures as values: errors, rate limits, no network', async () => {
    const limited = fakeServer(() =>
      json(429, { error: { code: 'rate_limited', message: 'wait' } }, { 'retry-after': '42' }),
    );
    await expect(new ApiClient(limited.fetch).get('/x', schema)).resolves.toEqual({
      ok: false,
      status: 429,
      code: 'rate_limited',
      message: 'wait',
      retryAfter: 42,
    });
    const offline = new ApiClient(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(offline.get('/x', schema)).resolves.toMatchObject({
      ok: false,
      status: 0,
      code: 'network',
    });
  });

  it('accepts 204 answers without a body', async () => {
    const server = fakeServer((call) =>
      call.url.endsWith('/csrf') ? json(200, { token: 't' }) : new Response(null, { status: 204 }),
    );
    await expect(new ApiClient(server.fetch).request('DELETE', '/s')).resolves.toEqual({
      ok: true,
      status: 204,
      value: undefined,
    });
  });
});
