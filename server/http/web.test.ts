import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';

type Headers = Record<string, string | string[] | number | undefined>;

function expectSecurityHeaders(headers: Headers) {
  const csp = String(headers['content-security-policy']);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  // No inline script, no eval, no inline style element anywhere.
  expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|'strict-dynamic'|\*/);
  expect(csp).not.toMatch(/style-src [^;]*unsafe-inline/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(String(headers['permissions-policy'])).toContain('camera=()');
  expect(headers['x-powered-by']).toBeUndefined();
  expect(typeof headers['x-request-id']).toBe('string');
}

describeEachEngine('web serving and security headers', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t.close());

  it('sends security headers on API responses, pages, assets and errors, and no-store on the API', async () => {
    for (const url of ['/api/v1/meta', '/readyz', '/api/openapi.json', '/api/v1/missing']) {
      const res = await t.app.inject({ method: 'GET', url });
      expectSecurityHeaders(res.headers);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    for (const url of [
      '/',
      '/_app/immutable/entry/start.abc123.js',
      '/some/client/route',
      '/manifest.webmanifest',
    ]) {
      const res = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(200);
      expectSecurityHeaders(res.headers);
    }
  });

  it('serves the app shell at / and for client routes, revalidated on every visit', async () => {
    const home = await t.app.inject({ method: 'GET', url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.body).toContain('shell');
    expect(home.headers['cache-control']).toBe('no-cache');

    const route = await t.app.inject({
      method: 'GET',
      url: '/plans/today?x=1',
      headers: { accept: 'text/html,*/*' },
    });
    expect(route.statusCode).toBe(200);
    expect(route.body).toBe(home.body);
    expect(route.headers['cache-control']).toBe('no-cache');
  });

  it('caches content-hashed assets for a year and everything else not at all', async () => {
    const asset = await t.app.inject({
      method: 'GET',
      url: '/_app/immutable/entry/start.abc123.js',
    });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const manifest = await t.app.inject({ method: 'GET', url: '/manifest.webmanifest' });
    expect(manifest.headers['content-type']).toMatch(/^application\/manifest\+json/);
    expect(manifest.headers['cache-control']).toBe('no-cache');
  });

  it('answers missing files and API paths with JSON 404s, never the app shell', async () => {
    for (const url of ['/_app/immutable/missing.js', '/favicon-missing.png', '/api/v1/nope']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    // A POST to a page path never gets the shell (without a CSRF token, it is refused first).
    const post = await t.app.inject({
      method: 'POST',
      url: '/some/page',
      headers: { accept: 'text/html' },
    });
    expect(post.statusCode).toBe(403);
    expect(post.json()).toMatchObject({ error: { code: 'csrf_failed' } });
  });

  it('answers 404, not 500, for a built file removed after start-up', async () => {
    rmSync(join(t.config.webDir, '_app', 'immutable', 'entry', 'start.abc123.js'));
    const res = await t.app.inject({ method: 'GET', url: '/_app/immutable/entry/start.abc123.js' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('does not serve files outside the web folder', async () => {
    for (const url of ['/../package.json', '/%2e%2e/package.json', '/_app/../../package.json']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toContain('"name": "tend"');
    }
  });
});

describeEachEngine('without a built web app', (engine) => {
  it('serves the API and answers pages with a JSON 404', async () => {
    const t = await createTestApp(engine, { web: false });
    try {
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      const page = await t.app.inject({
        method: 'GET',
        url: '/',
        headers: { accept: 'text/html' },
      });
      expect(page.statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});
