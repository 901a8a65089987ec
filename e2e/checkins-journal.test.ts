// The journal in the browser: write an entry by keyboard alone with Markdown (bold, a link and an
// <img onerror> attempt that must stay text) and a content warning; reload and unlock: it is
// closed until opened; open it, attach it to a check-in; arrive from a check-in with
// ?checkin=<id>; leaving with unsaved words asks first; delete asks first. axe light and dark.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DERIVE_TIMEOUT, PASSPHRASE, signIn } from './support/accounts.js';
import {
  collectProblems,
  newContext,
  noBrowser,
  waitForApp,
  type PageProblems,
} from './support/browser.js';
import { checkinItems, seedAccount, seedTrackers, yearOfCheckins } from './support/seed.js';
import { useTendAndBrowser } from './support/suite.js';
import { checkBothSchemes } from './support/axe.js';

const today = new Date().toISOString().slice(0, 10);
const NOW = new Date(Date.parse(`${today}T00:00:00Z`) - 30 * 864e5).toISOString();

const BODY =
  'A **steady** day. See [my notes](https://example.org/notes).\n\n<img src=x onerror="window.__pwned=1">';
const WARNING = 'hospital memories';

async function unlock(page: Page) {
  await waitForApp(page);
  await page.getByText('Your data is locked on this device.').waitFor();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.keyboard.press('Enter');
}

describe.skipIf(noBrowser)('the journal', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  const entries = () => page.getByTestId('journal-entry');
  const status = () => page.getByTestId('journal-status');

  afterAll(async () => {
    await context.close();
  });

  it('writes an entry with Markdown and a content warning by keyboard alone', async () => {
    const trackers = seedTrackers(NOW);
    await seedAccount(suite.url, 'juno', {
      checkins: checkinItems(trackers, yearOfCheckins(trackers, today, 3)),
    });
    context = await newContext(suite.browser);
    page = await context.newPage();
    problems = collectProblems(page);
    await signIn(page, suite.url, 'juno');

    await page.getByRole('navigation').getByRole('link', { name: 'Check-ins' }).first().click();
    await page.getByRole('heading', { name: 'Check in', level: 1 }).waitFor();
    await page
      .getByRole('navigation', { name: 'Check-ins' })
      .getByRole('link', { name: 'Journal' })
      .click();
    await page.getByRole('heading', { name: 'Journal', level: 1 }).waitFor();
    await page.getByText('No entries yet.').waitFor();
    await checkBothSchemes(page, '/checkins/journal (empty)');

    // Saving with nothing written names the field.
    await page.getByRole('button', { name: 'Save entry' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Write something first').waitFor();
    const body = page.getByRole('textbox', { name: 'What I want to write' });
    await expect(body.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(body.getAttribute('aria-describedby')).resolves.toContain('journal-body-error');

    await page.keyboard.type(BODY);
    await page.keyboard.press('Tab');
    const warning = page.getByRole('textbox', { name: 'A content warning for myself (optional)' });
    await expect(warning.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type(WARNING);
    await page.keyboard.press('Enter');
    await status().getByText('Saved on this device.').waitFor();
    await expect(body.inputValue()).resolves.toBe('');

    await page.getByText('One entry, newest first.').waitFor();
    const entry = entries().first();
    await entry.getByText(`Content warning: ${WARNING}`).waitFor();
    await expect(entry.getByRole('button', { name: 'Open this entry' }).isVisible()).resolves.toBe(
      true,
    );
    await expect(entry.locator('strong').count()).resolves.toBe(0);
    await expect(entry.getByText('steady').isVisible()).resolves.toBe(false);
    await checkBothSchemes(page, '/checkins/journal (one closed entry)');
  });

  it('after a reload the entry is closed again; opened, its Markdown is safe', async () => {
    await page.reload();
    await unlock(page);
    const entry = entries().first();
    await entry.getByText(`Content warning: ${WARNING}`).waitFor({ timeout: DERIVE_TIMEOUT });
    await expect(entry.locator('strong').count()).resolves.toBe(0);

    const open = entry.getByRole('button', { name: 'Open this entry' });
    await expect(open.getAttribute('aria-expanded')).resolves.toBe('false');
    await open.focus();
    await page.keyboard.press('Enter');
    await entry.locator('strong', { hasText: 'steady' }).waitFor();
    await expect(
      entry.getByRole('button', { name: 'Close this entry' }).getAttribute('aria-expanded'),
    ).resolves.toBe('true');
    const link = entry.getByRole('link', { name: 'my notes' });
    await expect(link.getAttribute('href')).resolves.toBe('https://example.org/notes');
    await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    // The <img onerror> attempt is shown as the text it is, never as an element.
    await expect(entry.locator('img').count()).resolves.toBe(0);
    await entry.getByText('<img src=x onerror="window.__pwned=1">').waitFor();
    await expect(page.evaluate('window.__pwned === undefined')).resolves.toBe(true);
    await checkBothSchemes(page, '/checkins/journal (entry open)');
  });

  it('attaches the entry to a check-in (same id, new updatedAt)', async () => {
    const entry = entries().first();
    await entry.getByRole('button', { name: /^Change the entry of / }).click();
    await page.getByRole('heading', { name: 'Change this entry', level: 2 }).waitFor();
    await expect(
      page.getByRole('textbox', { name: 'What I want to write' }).inputValue(),
    ).resolves.toBe(BODY);
    const attach = page.getByLabel('Attach to a check-in (optional)');
    // The recent check-ins, named by their time and a few values.
    const options = await attach.locator('option').allTextContents();
    expect(options[0]).toBe('Not attached');
    expect(options).toHaveLength(4);
    expect(options[1]).toMatch(/Sleep: \d/);
    await attach.selectOption('seed-1');
    await checkBothSchemes(page, '/checkins/journal (changing an entry)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await status().getByText('Saved on this device.').waitFor();
    await page.getByText('One entry, newest first.').waitFor();
    await entries()
      .first()
      .getByText(/^About my check-in of .*Sleep: \d/)
      .waitFor();
  });

  it('arrives from a check-in with ?checkin=, and asks before leaving unsaved words', async () => {
    await page.goto(`${suite.url}/checkins/journal?checkin=seed-2`);
    await unlock(page);
    const attach = page.getByLabel('Attach to a check-in (optional)');
    await attach.waitFor({ timeout: DERIVE_TIMEOUT });
    await expect(attach.inputValue()).resolves.toBe('seed-2');

    // Backdated: an earlier date and time.
    await page.getByLabel('Date', { exact: true }).fill('2026-01-15');
    await page.getByLabel('Time', { exact: true }).fill('07:45');
    await page.getByRole('textbox', { name: 'What I want to write' }).fill('Woke early.');

    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page
      .getByRole('navigation', { name: 'Check-ins' })
      .getByRole('link', { name: 'History' })
      .click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('not saved yet');
    await expect(
      page.getByRole('heading', { name: 'Journal', level: 1 }).isVisible(),
    ).resolves.toBe(true);

    await page.getByRole('button', { name: 'Save entry' }).click();
    await page.getByText('2 entries, newest first.').waitFor();
    const older = entries().nth(1);
    await older.getByText('Woke early.').waitFor();
    await expect(older.locator('time').getAttribute('datetime')).resolves.toBe(
      await page.evaluate(`new Date(2026, 0, 15, 7, 45).toISOString()`),
    );
    await older.getByText(/^About my check-in of /).waitFor();
  });

  it('deletes an entry only after asking', async () => {
    const older = entries().nth(1);
    await older.getByRole('button', { name: /^Delete the entry of / }).click();
    await older.getByText('Delete this entry?').waitFor();
    await older.getByRole('button', { name: 'Keep it' }).click();
    await expect(entries().count()).resolves.toBe(2);
    await older.getByRole('button', { name: /^Delete the entry of / }).click();
    await checkBothSchemes(page, '/checkins/journal (asking before delete)');
    await older.getByRole('button', { name: 'Yes, delete it' }).click();
    await page.getByText('One entry, newest first.').waitFor();
    await status().getByText('Entry deleted.').waitFor();
    expect(problems.errors).toEqual([]);
  });
});
