import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { GROUP_MATRICES, GROUP_PREFIXES, operations } from '../test-support/route-matrix.js';

/**
 * Every route of groups and the spaces around them (meetings and calendars, conversations,
 * notifications, moderation, someone to talk to) carries one of the tags whose authorization
 * matrix lists every route of that tag. Together: a new group route without a matrix row fails.
 */
describeEachEngine('group routes are all in an authorization matrix', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
  });
  afterAll(async () => t.close());

  it('tags each group route with a tag a matrix covers', async () => {
    const ops = (await operations(t.app)).filter((o) =>
      GROUP_PREFIXES.some(
        (p) => o.path === p || o.path.startsWith(`${p}/`) || o.path.startsWith(`${p}-`),
      ),
    );
    expect(ops.length).toBeGreaterThan(50);
    const covered = Object.keys(GROUP_MATRICES);
    const uncovered = ops.filter((o) => !o.tags.some((tag) => covered.includes(tag)));
    expect(uncovered.map((o) => `${o.route} [${o.tags.join(', ')}]`)).toEqual([]);
  });
});
