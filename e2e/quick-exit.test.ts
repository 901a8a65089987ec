import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  collectProblems,
  newContext,
  noBrowser,
  waitForApp,
  waitForExpression,
} from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';

const NEUTRAL_PAGE = '<!doctype html><html lang="en"><title>Weather</title><h1>Weather</h1></html>';

/** Answers every request to `origin` with a neutral page, and records what was asked for. */
async function fakeNeutralSite(context: BrowserContext, origin: string): Promise<string[]> {
  const visited: string[] = [];
  await context.route(`${origin}/**`, async (route) => {
    visited.push(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/html', body: NEUTRAL_PAGE });
  });
  return visited;
}

async function openWelcome(suite: { url: string }, page: Page): Promise<void> {
  await page.goto(`${suite.url}/`);
  await waitForApp(page);
  // Something in this tab's session storage, which leaving must clear.
  await page.evaluate(`sessionStorage.setItem('tend.test', 'private')`);
}

async function expectLeft(page: Page, expectedUrl: string, tendUrl: string): Promise<void> {
  await page.waitForURL(expectedUrl);
  await expect(page.locator('h1').textContent()).resolves.toBe('Weather');
  await expect(page.getByText('Welcome to Tend').count()).resolves.toBe(0);
  // Back does not return to Tend's page: the exit replaced it in the history.
  expect(page.url()).not.toContain(tendUrl);
}

describe.skipIf(noBrowser)('quick exit (default neutral site)', () => {
  const suite = useTendAndBrowser();
  const exitUrl = 'https://www.bbc.com/weather';

  it('the button leaves at once for the neutral site and clears session storage', async () => {
    const context = await newContext(suite.browser);
    const visited = await fakeNeutralSite(context, 'https://www.bbc.com');
    const page = await context.newPage();
    const problems = collectProblems(page);
    await openWelcome(suite, page);

    const button = page.getByRole('button', { name: 'Leave quickly' });
    await expect(button.getAttribute('title')).resolves.toContain('Escape twice');
    await button.click();
    await expectLeft(page, exitUrl, suite.url);
    expect(visited).toEqual([exitUrl]);

    // Going back lands on the page before Tend (here: none), never on Tend's content.
    await page.goBack().catch(() => null);
    expect(page.url()).not.toBe(`${suite.url}/`);
    expect(problems.errors).toEqual([]);

    // Session storage lives per tab and origin, across navigations: back on Tend, it is empty.
    await page.goto(`${suite.url}/`);
    await waitForApp(page);
    await expect(page.evaluate<number>('sessionStorage.length')).resolves.toBe(0);
    await context.close();
  });

  it('pressing Escape twice leaves from anywhere on the page', async () => {
    const context = await newContext(suite.browser);
    await fakeNeutralSite(context, 'https://www.bbc.com');
    const page = await context.newPage();
    await openWelcome(suite, page);
    await page.locator('main').click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expectLeft(page, exitUrl, suite.url);
    await context.close();
  });

  it('Escape once, or twice slowly, does not leave', async () => {
    const context = await newContext(suite.browser);
    await fakeNeutralSite(context, 'https://www.bbc.com');
    const page = await context.newPage();
    await openWelcome(suite, page);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1300);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    expect(page.url()).toBe(`${suite.url}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Welcome to Tend');
    await context.close();
  });

  it('is reachable by Tab from the top of the page and works with Enter', async () => {
    const context = await newContext(suite.browser);
    await fakeNeutralSite(context, 'https://www.bbc.com');
    const page = await context.newPage();
    await openWelcome(suite, page);
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Tab');
    await expect(page.evaluate<string>(`document.activeElement.textContent.trim()`)).resolves.toBe(
      'Leave quickly',
    );
    await page.keyboard.press('Enter');
    await expectLeft(page, exitUrl, suite.url);
    await context.close();
  });

  it('is visible without scrolling, and stays visible after scrolling', async () => {
    const context = await newContext(suite.browser, { viewport: { width: 320, height: 568 } });
    const page = await context.newPage();
    await page.goto(`${suite.url}/`);
    await waitForApp(page);
    const button = page.getByRole('button', { name: 'Leave quickly' });
    await expect(button.isVisible()).resolves.toBe(true);
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    const box = await button.boundingBox();
    expect(box?.y).toBeGreaterThanOrEqual(0);
    expect(box?.y).toBeLessThan(100);
    await context.close();
  });
});

describe.skipIf(noBrowser)('quick exit (site chosen by the instance, remembered offline)', () => {
  const exitUrl = 'https://neutral.example/news';
  const suite = useTendAndBrowser({ QUICK_EXIT_URL: exitUrl });

  it('goes where the instance says, even when the meta request fails later', async () => {
    const context = await newContext(suite.browser);
    await fakeNeutralSite(context, 'https://neutral.example');
    const page = await context.newPage();
    await page.goto(`${suite.url}/`);
    await waitForApp(page);
    await waitForExpression(page, `localStorage.getItem('tend.instance') !== null`);

    // The meta endpoint is unreachable now: the remembered URL is used.
    await context.route(`${suite.url}/api/**`, (route) => route.abort('internetdisconnected'));
    await page.reload();
    await waitForApp(page);
    await page.getByRole('button', { name: 'Leave quickly' }).click();
    await expectLeft(page, exitUrl, suite.url);
    await context.close();
  });
});
