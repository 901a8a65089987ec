import { expect, it } from 'vitest';
import { createTestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';

describeEachEngine('health', (engine) => {
  it('says the process is alive and the database is reachable', async () => {
    const t = await createTestApp(engine);
    try {
      const health = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: 'ok' });
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready' });

      // Once the database is gone, the process is still alive but no longer ready.
      await t.handle.close();
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const notReady = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json()).toMatchObject({ error: { code: 'not_ready' } });
    } finally {
      await t.close();
    }
  });
});
