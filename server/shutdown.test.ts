import { expect, it } from 'vitest';
import { createTestApp } from './test-support/app.js';
import { describeEachEngine } from './test-support/engines.js';

describeEachEngine('graceful shutdown', (engine) => {
  it('finishes the requests in flight, then stops listening', async () => {
    let markStarted: () => void = () => undefined;
    let release: () => void = () => undefined;
    const started = new Promise<void>((r) => (markStarted = r));
    const t = await createTestApp(engine, {
      extend: (app) => {
        app.get('/api/v1/test/slow', async () => {
          markStarted();
          await new Promise<void>((r) => (release = r));
          return { done: true };
        });
      },
    });
    try {
      const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const inFlight = fetch(`${url}/api/v1/test/slow`);
      await started;

      const closing = t.app.close();
      let closed = false;
      void closing.then(() => (closed = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(closed, 'close() must wait for the request in flight').toBe(false);

      release();
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ done: true });
      await closing;
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      release();
      await t.close();
    }
  });
});
