import { expect, it } from 'vitest';
import { instanceMetaSchema } from '../../core/src/meta.js';
import { createTestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';

describeEachEngine('instance', (engine) => {
  it('tells anyone its name, version and the quick-exit address its operator chose', async () => {
    const t = await createTestApp(engine, {
      env: { QUICK_EXIT_URL: 'https://example.org/weather' },
    });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/meta' });
      expect(res.statusCode).toBe(200);
      expect(instanceMetaSchema.parse(res.json())).toEqual({
        name: 'Tend',
        version: '0.0.0-test',
        quickExitUrl: 'https://example.org/weather',
      });
    } finally {
      await t.close();
    }
  });

  it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
    const t = await createTestApp(engine);
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json<{
        openapi: string;
        info: { title: string };
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      }>();
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.info.title).toBe('Tend API');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/api/v1/csrf', '/api/v1/meta', '/healthz', '/readyz']),
      );
      const meta = doc.paths['/api/v1/meta']?.get?.responses['200'];
      expect(JSON.stringify(meta)).toContain('quickExitUrl');
    } finally {
      await t.close();
    }
  });
});
