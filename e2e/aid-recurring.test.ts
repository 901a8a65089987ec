// Recurring help, one date at a time, in the browser. Olu (in London) offers "Thursday rides to
// the clinic" every week; Rae (in New York) sees each Thursday in her own time and London's, and
// asks for the second Thursday only ("I'd like this one", which opens their encrypted
// conversation). Olu chooses Rae for that Thursday; Rae, who asked, confirms it happened and
// thanks Olu for that date. The first Thursday stays open throughout. Everything after posting is
// done from the keyboard; axe in light and dark on every page visited.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { signIn } from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { openRegistration } from './support/circle.js';
import { seedAccount } from './support/seed.js';
import { put } from './support/api.js';
import { tabTo } from './support/keyboard.js';
import { useTendAndBrowser } from './support/suite.js';
import { unlockIfAsked } from './support/unlock.js';

const OFFER = 'Thursday rides to the clinic, back by noon';
const DAY = 86_400_000;

/** The first Thursday at least two days from now (UTC), as YYYY-MM-DD. */
function firstThursday(): string {
  let t = Date.now() + 2 * DAY;
  while (new Date(t).getUTCDay() !== 4) t += DAY;
  return new Date(t).toISOString().slice(0, 10);
}

/** Focuses a control and presses Enter (as a keyboard user does once there). */
async function press(locator: ReturnType<Page['getByRole']>): Promise<void> {
  await locator.focus();
  await locator.press('Enter');
}

const unexpected = (errors: readonly string[]) =>
  errors.filter((e) => !/status of 40[349]/.test(e));

describe.skipIf(noBrowser)('recurring help, one date at a time', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  const problems = new Map<string, PageProblems>();
  let olu: Page;
  let rae: Page;
  let postUrl = '';

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  async function open(handle: string, timezoneId: string): Promise<Page> {
    const context = await newContext(suite.browser, { timezoneId });
    contexts.push(context);
    const page = await context.newPage();
    problems.set(handle, collectProblems(page));
    await signIn(page, suite.url, handle);
    return page;
  }

  const dates = (page: Page) => page.getByTestId('aid-occurrence');

  it('Olu offers Thursday rides every week; the page shows 8 dates, then later ones', async () => {
    const ana = await seedAccount(suite.url, 'ana');
    await openRegistration(ana);
    await seedAccount(suite.url, 'olu');
    await seedAccount(suite.url, 'rae');
    await put(ana.api, '/api/v1/aid/communities/instance/settings', {
      enabled: true,
      defaultExpiryDays: 30,
    });

    olu = await open('olu', 'Europe/London');
    await olu.goto(`${suite.url}/aid/new`);
    await olu.getByRole('heading', { name: 'Ask for help or offer some', level: 1 }).waitFor();
    await olu.locator('#aid-post-offer').check();
    await olu.locator('#aid-post-category').selectOption('rides');
    await olu.locator('#aid-post-description').fill(OFFER);
    await olu.locator('#aid-post-when-recurring').check();
    await olu.locator('#aid-post-start-date').fill(firstThursday());
    await olu.locator('#aid-post-start-time').fill('10:00');
    for (const d of ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']) {
      await olu.locator(`#aid-post-day-${d}`).setChecked(d === 'TH');
    }
    expect(await olu.locator('#aid-post-zone').inputValue()).toBe('Europe/London');
    await olu.locator('#aid-post-expires').fill('90');
    await press(olu.getByRole('button', { name: 'Post', exact: true }));

    await olu.waitForURL(
      (u) => /^\/aid\/[A-Za-z0-9_-]+$/.test(u.pathname) && u.pathname !== '/aid/new',
    );
    postUrl = olu.url();
    await olu.getByRole('heading', { name: 'Dates', level: 2 }).waitFor();
    await expect.poll(() => dates(olu).count()).toBe(8);
    // Every date is a Thursday at 10:00 in London, Olu's own time: said once.
    expect(await dates(olu).first().getByRole('heading', { level: 3 }).textContent()).toMatch(
      /^Thu, .*10:00\sAM$/,
    );
    expect(await dates(olu).first().textContent()).not.toContain('where this was posted');
    const later = olu.getByRole('button', { name: 'Show later dates' });
    await olu.getByText('Showing 8 of', { exact: false }).waitFor();
    await checkBothSchemes(olu, '/aid/[postId] (recurring, mine)');
    await press(later);
    await expect.poll(() => dates(olu).count()).toBeGreaterThan(8);
  });

  it('Rae sees each date in her time and London’s, and asks for the second Thursday only', async () => {
    rae = await open('rae', 'America/New_York');
    await rae.goto(postUrl);
    const second = dates(rae).nth(1);
    await unlockIfAsked(rae, second.getByRole('button', { name: "I'd like this one" }));
    // 10:00 in London is 5:00 in New York in winter (and 6:00 while their clocks differ by 5).
    expect(await second.getByRole('heading', { level: 3 }).textContent()).toMatch(
      /^Thu, .*[56]:00\sAM$/,
    );
    await second
      .getByText(/That's Thu, .*10:00\sAM (GMT|BST|GMT\+1) where this was posted/)
      .waitFor();
    await checkBothSchemes(rae, '/aid/[postId] (recurring, someone else’s)');

    await rae.locator('body').focus();
    await tabTo(rae, '[data-testid="aid-occurrence"]:nth-of-type(2) button.primary', 120);
    await rae.keyboard.press('Enter');
    // A named post: the encrypted conversation opens at once.
    await rae.waitForURL(/\/messages\/[A-Za-z0-9_-]+$/);
    await rae.getByRole('heading', { name: 'Conversation with olu' }).waitFor();

    await rae.goto(postUrl);
    // Only that date: the first still offers "I'd like this one" (once the vault is open: wait
    // for it, not for the link, which shows before the page asks for the passphrase), and the
    // whole post is untouched.
    await unlockIfAsked(rae, dates(rae).first().getByRole('button', { name: "I'd like this one" }));
    await dates(rae).nth(1).getByRole('link', { name: 'Go to your conversation' }).waitFor();
    await rae.getByRole('button', { name: "I'd like this", exact: true }).waitFor();
  });

  it('Olu chooses Rae for that Thursday; the first stays open', async () => {
    await olu.goto(postUrl);
    const second = dates(olu).nth(1);
    const choose = second.getByRole('button', { name: 'Choose rae for this date' });
    await unlockIfAsked(olu, choose);
    expect(await dates(olu).first().getByTestId('aid-occurrence-response').count()).toBe(0);
    // The whole post's list has nobody: Rae asked for one date.
    await olu.getByText('Nobody has responded yet.').waitFor();
    await checkBothSchemes(olu, '/aid/[postId] (a response for one date)');
    await press(choose);
    await second.getByText('rae is receiving this date.').waitFor();
    expect(await second.getAttribute('data-status')).toBe('helping');
    expect(await dates(olu).first().getAttribute('data-status')).toBe('open');
    await olu.getByTestId('aid-status').getByText('Status: Open').waitFor();
  });

  it('Rae, who asked, confirms it happened and thanks Olu for that date', async () => {
    await rae.goto(postUrl);
    const second = dates(rae).nth(1);
    const done = second.getByRole('button', { name: "It's done" });
    await unlockIfAsked(rae, done);
    await second.getByText("You're the one receiving this date.").waitFor();
    await press(done);
    await press(
      second.getByRole('group', { name: "It's done" }).getByRole('button', { name: "It's done" }),
    );
    await second.getByText('Status: Done').waitFor();
    expect(await dates(rae).first().getAttribute('data-status')).toBe('open');
    await checkBothSchemes(rae, '/aid/[postId] (one date done)');

    const thanks = second.getByLabel('Thank you', { exact: true });
    await thanks.focus();
    await rae.keyboard.press('Space');
    expect(await thanks.isChecked()).toBe(true);
    await press(second.getByRole('button', { name: 'Send thanks for this date' }));
    await second.getByTestId('aid-occurrence-thanked').waitFor();
    // The whole post stays open; the first Thursday too.
    await rae.getByTestId('aid-status').getByText('Status: Open').waitFor();
    expect(await dates(rae).first().getAttribute('data-status')).toBe('open');
  });

  it('Mine says which date: Rae’s response, and the thank-you Olu received', async () => {
    await rae.goto(`${suite.url}/aid/mine`);
    const response = rae.getByTestId('aid-mine-response');
    await response.getByText(/^For \w{3} \d{1,2}, \d{4}/).waitFor();
    await checkBothSchemes(rae, '/aid/mine (a response for one date)');

    await olu.goto(`${suite.url}/aid/mine`);
    const note = olu.getByTestId('aid-thanks');
    await note.getByText('Thank you').waitFor();
    await note.getByText(/^For \w{3} \d{1,2}, \d{4}/).waitFor();
    await checkBothSchemes(olu, '/aid/mine (thanks for one date)');

    for (const [handle, p] of problems) {
      expect(unexpected(p.errors), handle).toEqual([]);
    }
  });
});
