import { describe, expect, it } from 'vitest';
import { collectProblems, newContext, noBrowser, waitForApp } from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';

describe.skipIf(noBrowser)('welcome page', () => {
  const suite = useTendAndBrowser();

  it('loads with no console errors, a title, lang="en" and all landmarks', async () => {
    const context = await newContext(suite.browser);
    const page = await context.newPage();
    const problems = collectProblems(page);

    const response = await page.goto(`${suite.url}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await waitForApp(page);

    await expect(page.title()).resolves.toBe('Tend');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.locator('h1').textContent()).resolves.toBe('Welcome to Tend');
    for (const role of ['banner', 'navigation', 'main', 'contentinfo'] as const) {
      await expect(page.getByRole(role).count(), role).resolves.toBe(1);
    }
    await expect(page.getByText('Tend never contacts the police').count()).resolves.toBe(1);

    // The version comes from GET /api/v1/meta.
    await page.locator('footer .version').waitFor();
    await expect(page.locator('footer .version').textContent()).resolves.toMatch(
      /^Tend version \d+\.\d+\.\d+/,
    );

    // A client-side navigation makes SvelteKit's announcer speak (its element carries the one
    // inline style the CSP allows by hash): still no errors.
    await page.goto(`${suite.url}/no-such-page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Go to the welcome page' }).click();
    await page.getByRole('heading', { name: 'Welcome to Tend' }).waitFor();
    await expect(page.locator('#svelte-announcer').textContent()).resolves.toContain('Tend');
    await page.waitForLoadState('networkidle');

    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('skip link is the first Tab stop and Enter moves focus to main', async () => {
    const context = await newContext(suite.browser);
    const page = await context.newPage();
    await page.goto(`${suite.url}/`);
    await waitForApp(page);

    await page.keyboard.press('Tab');
    await expect(page.evaluate<string>(`document.activeElement.textContent.trim()`)).resolves.toBe(
      'Skip to main content',
    );
    await expect(
      page.getByRole('link', { name: 'Skip to main content' }).isVisible(),
    ).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.evaluate<string>(`document.activeElement.id`)).resolves.toBe('main');
    await context.close();
  });

  it('keyboard order is sensible and focus is always visible', async () => {
    const context = await newContext(suite.browser, { viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${suite.url}/`);
    await waitForApp(page);

    const stops: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Tab');
      const stop = await page.evaluate<{ name: string; outline: string; width: string }>(`(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {
          name: (el.getAttribute('aria-label') || el.textContent || '').trim(),
          outline: style.outlineStyle,
          width: style.outlineWidth,
        };
      })()`);
      expect(stop.outline, `focus ring on "${stop.name}"`).not.toBe('none');
      expect(parseFloat(stop.width), `focus ring width on "${stop.name}"`).toBeGreaterThanOrEqual(
        2,
      );
      stops.push(stop.name);
    }
    expect(stops).toEqual(['Skip to main content', 'Leave quickly', 'Tend', 'Home']);
    await context.close();
  });

  it('touch targets in the shell are at least 44×44 CSS pixels', async () => {
    const context = await newContext(suite.browser);
    const page = await context.newPage();
    await page.goto(`${suite.url}/`);
    await waitForApp(page);
    for (const target of [
      page.getByRole('button', { name: 'Leave quickly' }),
      page.getByRole('link', { name: 'Tend', exact: true }),
      page.getByRole('link', { name: 'Home' }),
    ]) {
      const box = await target.boundingBox();
      expect(box?.height).toBeGreaterThanOrEqual(44);
      expect(box?.width).toBeGreaterThanOrEqual(44);
    }
    await context.close();
  });
});
