import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-support/app.js';
import { describeEachEngine } from './test-support/engines.js';

describeEachEngine('request logs', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(engine);
  });
  afterEach(async () => t.close());

  it('log the route pattern or a masked path, never a link token or an id in the path', async () => {
    const token = randomBytes(32).toString('base64url');
    const id = randomBytes(16).toString('base64url');
    expect((await t.app.inject({ url: `/api/v1/links/open/${token}` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/v1/circles/links/${token}` })).statusCode).toBe(404);
    await t.app.inject({ url: `/circle/join/${token}` });
    expect((await t.app.inject({ url: `/api/v1/reachouts/${id}` })).statusCode).toBe(401);
    const logs = t.logs();
    expect(logs).toContain('"path":"/api/v1/links/open/:token"');
    expect(logs).toContain('"path":"/circle/join/:token"');
    expect(logs).toContain('"path":"/api/v1/reachouts/:id"');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(id);
  });
});
