// The keepers' daily notice choice on /resources/review (DailyNotice.svelte). Ana runs this Tend
// (the first account: an admin, so a keeper). By keyboard alone she ticks "Tell me, at most once a
// day, when new suggestions arrive"; a calm status line says it is saved and a reload shows it
// kept. Offline, unticking says plainly it was not saved and the box goes back. Online again she
// unticks it. axe in light and dark.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { signIn } from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import { newContext, noBrowser } from './support/browser.js';
import { focused, tabTo } from './support/keyboard.js';
import { seedAccount } from './support/seed.js';
import { useTendAndBrowser } from './support/suite.js';

const BOX = '#resources-notice-daily';

describe.skipIf(noBrowser)('keepers choose a daily notice of new suggestions', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  let context: BrowserContext;
  let page: Page;

  afterAll(async () => {
    await context?.close();
  });

  it('Ana ticks it by keyboard, sees it saved, and it is kept', async () => {
    const ana = await seedAccount(suite.url, 'ana');
    const before = await ana.api.send('GET', '/api/v1/resources/notify');
    expect(before.status, before.text).toBe(200);
    context = await newContext(suite.browser);
    page = await context.newPage();
    await signIn(page, suite.url, 'ana');
    await page.goto(`${suite.url}/resources/review`);
    await page
      .getByRole('heading', { level: 2, name: 'Being told about new suggestions' })
      .waitFor();
    await page.getByText('It never says what they are or who sent them.').waitFor();
    const box = page.getByRole('checkbox', {
      name: 'Tell me, at most once a day, when new suggestions arrive',
    });
    await expect.poll(() => box.isEnabled()).toBe(true);
    expect(await box.isChecked()).toBe(false);
    await checkBothSchemes(page, 'review with the daily notice');

    await tabTo(page, BOX);
    await page.keyboard.press('Space');
    await page
      .getByRole('status')
      .filter({ hasText: 'Saved. You will be told at most once a day' })
      .waitFor();
    expect(await box.isChecked()).toBe(true);
    expect(await focused(page, BOX)).toBe(true);
    await checkBothSchemes(page, 'daily notice saved');

    await page.reload();
    await expect.poll(() => box.isEnabled()).toBe(true);
    expect(await box.isChecked()).toBe(true);
    const after = await ana.api.send('GET', '/api/v1/resources/notify');
    expect(JSON.parse(after.text)).toEqual({ dailySuggestions: true });
  });

  it('offline, it says plainly it was not saved; online again, unticking saves', async () => {
    const box = page.locator(BOX);
    await context.setOffline(true);
    await box.focus();
    await page.keyboard.press('Space');
    await page.getByRole('alert').filter({ hasText: 'this was not saved' }).waitFor();
    expect(await box.isChecked()).toBe(true);
    await checkBothSchemes(page, 'daily notice not saved');
    await context.setOffline(false);
    await page.keyboard.press('Space');
    await page
      .getByRole('status')
      .filter({ hasText: 'Saved. You will not be told about new suggestions.' })
      .waitFor();
    expect(await box.isChecked()).toBe(false);
  });
});
