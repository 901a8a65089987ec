import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../server/test-support/engines.js';
import { repoRoot, startTend, type RunningTend } from './support/tend-server.js';

const webBuild = join(repoRoot, 'web', 'build');

/** Every same-origin script, module preload and stylesheet the shell asks for. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="(\/[^"]+)"/g)]
    .map((m) => m[1] ?? '')
    .filter((p) => p.startsWith('/_app/'));
}

describe('what `npm start` serves is the production build', () => {
  let tend: RunningTend;
  beforeAll(async () => {
    expect(
      existsSync(join(repoRoot, 'dist', 'server', 'main.js')),
      'run `npm run build` first',
    ).toBe(true);
    expect(existsSync(join(webBuild, 'index.html')), 'run `npm run build` first').toBe(true);
    tend = await startTend();
  });
  afterAll(async () => {
    expect(await tend.stop()).toBe(0);
  });

  it('serves web/build/index.html as the shell, with no dev server in sight', async () => {
    const res = await fetch(`${tend.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toBe(readFileSync(join(webBuild, 'index.html'), 'utf8'));
    expect(html).not.toMatch(/@vite\/client|\/@fs\/|\/node_modules\/|localhost:5173/);
    // No inline script: every script has a src.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('serves each hashed asset byte for byte from web/build, cached for a year', async () => {
    const html = readFileSync(join(webBuild, 'index.html'), 'utf8');
    const assets = assetsOf(html);
    expect(assets.length).toBeGreaterThan(0);
    for (const path of assets) {
      const res = await fetch(`${tend.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(
        Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(webBuild, path))),
        path,
      ).toBe(true);
      if (path.startsWith('/_app/immutable/')) {
        expect(res.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      }
    }
  });

  it('answers client routes with the same shell', async () => {
    const res = await fetch(`${tend.url}/plans/somewhere`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(readFileSync(join(webBuild, 'index.html'), 'utf8'));
  });
});

describe.skipIf(!inject('postgresAvailable'))('the production build on PostgreSQL', () => {
  let database: TestDatabase;
  let tend: RunningTend;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    tend = await startTend({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await tend.stop();
    await database.drop();
  });

  it('migrates, reports ready and serves the app', async () => {
    expect(await (await fetch(`${tend.url}/readyz`)).json()).toEqual({ status: 'ready' });
    // Logs are written asynchronously; the start-up line names the engine it runs on.
    await expect
      .poll(() => tend.output(), { timeout: 5000 })
      .toMatch(/"database":"PostgreSQL at [^"]*tend_test_/);
    expect((await fetch(`${tend.url}/`)).status).toBe(200);
  });
});
