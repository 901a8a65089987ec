import { describe, expect, it } from 'vitest';
import {
  collectProblems,
  newContext,
  noBrowser,
  waitForApp,
  waitForExpression,
} from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';

describe.skipIf(noBrowser)('offline', () => {
  const suite = useTendAndBrowser();

  it('opens offline after a first visit: the welcome page and client routes', async () => {
    const context = await newContext(suite.browser);
    const page = await context.newPage();
    const problems = collectProblems(page);

    await page.goto(`${suite.url}/`);
    await waitForApp(page);
    await page.evaluate(`navigator.serviceWorker.ready.then(() => true)`);
    await page.reload();
    await waitForApp(page);
    await waitForExpression(page, `navigator.serviceWorker.controller !== null`);

    await context.setOffline(true);

    await page.reload();
    await waitForApp(page);
    await expect(page.locator('h1').textContent()).resolves.toBe('Welcome to Tend');
    await expect(page.getByRole('button', { name: 'Leave quickly' }).isVisible()).resolves.toBe(
      true,
    );

    await page.goto(`${suite.url}/somewhere`);
    await waitForApp(page);
    await expect(page.locator('h1').textContent()).resolves.toBe('Page not found');

    // A second tab, opened while offline, works too.
    const second = await context.newPage();
    await second.goto(`${suite.url}/`);
    await waitForApp(second);
    await expect(second.locator('h1').textContent()).resolves.toBe('Welcome to Tend');

    // The meta request fails offline (it is never cached); that is the only error allowed.
    const unexpected = problems.errors.filter(
      (e) => !/api\/v1\/meta|ERR_INTERNET_DISCONNECTED/.test(e),
    );
    expect(unexpected).toEqual([]);
    await context.close();
  });

  it('never answers the API from a cache', async () => {
    const context = await newContext(suite.browser);
    const page = await context.newPage();
    await page.goto(`${suite.url}/`);
    await waitForApp(page);
    await page.evaluate(`navigator.serviceWorker.ready.then(() => true)`);
    await page.reload();
    await waitForExpression(page, `navigator.serviceWorker.controller !== null`);
    await expect(
      page.evaluate<number>(`fetch('/api/v1/meta').then((r) => r.status)`),
    ).resolves.toBe(200);

    const cached = await page.evaluate<string[]>(`(async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    })()`);
    expect(cached).toContain('/');
    expect(cached.some((path) => path.startsWith('/_app/immutable/boot.'))).toBe(true);
    expect(cached.filter((path) => path.startsWith('/api/'))).toEqual([]);

    await context.setOffline(true);
    await expect(
      page.evaluate<string>(`fetch('/api/v1/meta').then(() => 'answered', () => 'failed')`),
    ).resolves.toBe('failed');
    await context.close();
  });
});
