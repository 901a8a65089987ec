// The mutual aid board in the browser, with four people: Ana runs this Tend (the board, a zone and
// a coordinator are set up through the API); Ben posts a need without his name, by keyboard
// alone; Cleo sees it as "a community member's", says "I can help" and waits; Ben opens the
// private conversation and they talk (end-to-end encrypted); Ben chooses Cleo, marks it done and
// thanks her; Cleo finds the thank-you among her own. Dee, a coordinator, sees an open need and
// downloads the open-needs CSV, which names nobody who didn't allow it; the printable list too.
// axe in light and dark on every aid page visited.
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { signIn } from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { openRegistration } from './support/circle.js';
import { seedAccount, type SeededAccount } from './support/seed.js';
import { put } from './support/api.js';
import { tabTo } from './support/keyboard.js';
import { useTendAndBrowser } from './support/suite.js';
import { unlock, unlockIfAsked } from './support/unlock.js';

const NEED = 'Groceries from the big shop this week, I can pay you back';
const OTHER_NEED = 'A lift to the clinic on Thursday morning';
const HELLO = 'I can go on Saturday morning, where shall I drop them?';
const REPLY = 'Thank you so much, I will tell you the door code here';
const THANKS_TEXT = 'You made a hard week easier';

/** Console errors other than the refusals the test expects. */
const unexpected = (errors: readonly string[]) =>
  errors.filter((e) => !/status of 40[349]/.test(e));

describe.skipIf(noBrowser)('mutual aid board', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  const problems = new Map<string, PageProblems>();
  let ana: SeededAccount;
  let ben: Page;
  let cleo: Page;
  let dee: Page;
  let postUrl = '';

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  async function open(handle: string): Promise<Page> {
    const context = await newContext(suite.browser, { acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    problems.set(handle, collectProblems(page));
    await signIn(page, suite.url, handle);
    return page;
  }

  it('Ana turns the board on, adds a zone and makes Dee a coordinator', async () => {
    ana = await seedAccount(suite.url, 'ana');
    await openRegistration(ana);
    await seedAccount(suite.url, 'ben');
    await seedAccount(suite.url, 'cleo');
    const deeAccount = await seedAccount(suite.url, 'dee');
    const me = await deeAccount.api.send('GET', '/api/v1/accounts/me');
    const deeId = (me.json as { id: string }).id;
    await put(ana.api, '/api/v1/aid/communities/instance/settings', {
      enabled: true,
      defaultExpiryDays: 30,
    });
    await put(ana.api, '/api/v1/aid/areas/northside', { name: 'Northside', lat: 51.53, lon: -2.6 });
    await put(ana.api, `/api/v1/aid/communities/instance/coordinators/${deeId}`, {});
  });

  it('Ben posts a need without his name, by keyboard alone', async () => {
    ben = await open('ben');
    await ben
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Mutual aid' })
      .click();
    await ben.getByRole('heading', { name: 'Mutual aid', level: 1 }).waitFor();
    await ben.getByText('Nothing on the board yet.', { exact: false }).waitFor();
    await checkBothSchemes(ben, '/aid (empty)');

    await ben.getByRole('link', { name: 'Ask for help or offer some' }).focus();
    await ben.keyboard.press('Enter');
    await ben.getByRole('heading', { name: 'Ask for help or offer some', level: 1 }).waitFor();
    await ben.getByText("Don't put your address here", { exact: false }).waitFor();
    await ben.getByText("The board's moderators can see who posted", { exact: false }).waitFor();
    await checkBothSchemes(ben, '/aid/new');

    await tabTo(ben, '#aid-post-category');
    // Choose one → Food → Groceries
    await ben.keyboard.press('ArrowDown');
    await ben.keyboard.press('ArrowDown');
    expect(await ben.locator('#aid-post-category').inputValue()).toBe('groceries');
    await tabTo(ben, '#aid-post-description');
    await ben.keyboard.type(NEED);
    await tabTo(ben, '#aid-post-area');
    await ben.keyboard.press('ArrowDown');
    expect(await ben.locator('#aid-post-area').inputValue()).toBe('northside');
    await tabTo(ben, '#aid-post-anonymous');
    await ben.keyboard.press('Space');
    expect(await ben.locator('#aid-post-anonymous').isChecked()).toBe(true);
    await tabTo(ben, 'button[type="submit"]');
    await ben.keyboard.press('Enter');

    await ben.waitForURL(
      (u) => /^\/aid\/[A-Za-z0-9_-]+$/.test(u.pathname) && u.pathname !== '/aid/new',
    );
    postUrl = ben.url();
    await ben.getByRole('heading', { name: 'A need: Groceries', level: 1 }).waitFor();
    await ben.getByTestId('aid-status').getByText('Status: Open').waitFor();
    await ben.getByTestId('aid-author').getByText('Your post').waitFor();
    await ben.getByText('Nobody has responded yet.').waitFor();
    await checkBothSchemes(ben, '/aid/[postId] (mine)');
  });

  it('Cleo sees it as a community member’s and says "I can help"', async () => {
    cleo = await open('cleo');
    await cleo
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Mutual aid' })
      .click();
    const card = cleo.getByTestId('aid-post').filter({ hasText: NEED });
    await card.getByText('Posted by a community member', { exact: false }).waitFor();
    await card.getByText('Area: Northside').waitFor();
    expect(await card.textContent()).not.toContain('ben');
    await checkBothSchemes(cleo, '/aid (a post)');

    // Filters: offers only hides it; needs in Groceries shows it.
    await cleo.getByLabel('Needs or offers').selectOption('offer');
    await cleo.getByRole('button', { name: 'Show', exact: true }).click();
    await cleo.getByText('Nothing matches these filters right now.').waitFor();
    await cleo.getByLabel('Needs or offers').selectOption('need');
    await cleo.getByLabel('Category').selectOption('groceries');
    await cleo.getByRole('button', { name: 'Show', exact: true }).click();
    await card.waitFor();

    await card.getByRole('link', { name: 'A need: Groceries' }).click();
    await cleo.getByTestId('aid-author').getByText('Posted by a community member').waitFor();
    await cleo
      .getByText("They'll see your name and can open a private conversation", { exact: false })
      .waitFor();
    await checkBothSchemes(cleo, '/aid/[postId] (someone else’s)');
    await cleo.getByRole('button', { name: 'I can help' }).click();
    await cleo.getByTestId('aid-waiting').waitFor();
    // Nothing Cleo's browser was given names Ben.
    const page = await fetch(`${postUrl.replace('/aid/', '/api/v1/aid/posts/')}`, {
      headers: {
        cookie: (await cleo.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; '),
      },
    });
    expect(await page.text()).not.toContain('ben');
  });

  it('Ben opens the private conversation and they talk', async () => {
    await ben.reload();
    await unlock(ben);
    const response = ben.getByTestId('aid-response').filter({ hasText: 'cleo' });
    await response.getByText('Waiting for you', { exact: false }).waitFor();
    await checkBothSchemes(ben, '/aid/[postId] (a response)');
    await ben.getByRole('button', { name: 'Talk with cleo' }).click();
    await ben.waitForURL(/\/messages\/[A-Za-z0-9_-]+$/);
    await ben.getByRole('heading', { name: 'Conversation with cleo' }).waitFor();
    await ben.getByLabel('Message', { exact: true }).fill(REPLY);
    await ben.getByRole('button', { name: 'Send' }).click();

    await cleo.reload();
    await unlock(cleo);
    await cleo.getByRole('link', { name: 'Go to your conversation' }).click();
    await cleo.getByRole('heading', { name: 'Conversation with ben' }).waitFor();
    await cleo.getByTestId('dm-message').filter({ hasText: REPLY }).waitFor();
    await cleo.getByLabel('Message', { exact: true }).fill(HELLO);
    await cleo.getByRole('button', { name: 'Send' }).click();
    await ben.getByTestId('dm-message').filter({ hasText: HELLO }).waitFor();
  });

  it('Ben chooses Cleo, marks it done and thanks her', async () => {
    await ben.goto(postUrl);
    const choose = ben.getByRole('button', { name: 'Choose cleo to help' });
    await unlockIfAsked(ben, choose);
    await choose.click();
    await ben.getByTestId('aid-status').getByText('Status: Someone is helping').waitFor();
    await ben.getByRole('button', { name: "It's done" }).click();
    await ben
      .getByRole('group', { name: "It's done" })
      .getByRole('button', { name: "It's done" })
      .click();
    await ben.getByTestId('aid-status').getByText('Status: Done').waitFor();
    await ben.getByRole('heading', { name: 'Say thank you' }).waitFor();
    await checkBothSchemes(ben, '/aid/[postId] (done)');
    await ben.getByLabel('Thank you', { exact: true }).check();
    await ben.getByLabel('It made a difference').check();
    await ben.getByLabel('Your own words (optional)').fill(THANKS_TEXT);
    await ben.getByRole('button', { name: 'Send', exact: true }).click();
    await ben.getByTestId('aid-thanks-sent').waitFor();
  });

  it('the thank-you note reaches Cleo', async () => {
    await cleo.goto(`${suite.url}/aid/mine`);
    const note = cleo.getByTestId('aid-thanks');
    await note.getByText('Thank you · It made a difference').waitFor();
    await note.getByText(THANKS_TEXT).waitFor();
    await checkBothSchemes(cleo, '/aid/mine');
  });

  it('Dee, a coordinator, downloads the open-needs CSV and sees the printable list', async () => {
    // Ana asks for a lift with her name, not allowing it on paper.
    const posted = await ana.api.send('POST', '/api/v1/aid/communities/instance/posts', {
      id: 'need-lift-0001',
      kind: 'need',
      category: 'rides',
      description: OTHER_NEED,
      areaId: 'northside',
      when: { kind: 'ongoing' },
    });
    expect(posted.status, posted.text).toBe(201);

    dee = await open('dee');
    await dee
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Mutual aid' })
      .click();
    await dee
      .getByRole('navigation', { name: 'Mutual aid' })
      .getByRole('link', { name: 'Coordinate' })
      .click();
    await dee.getByRole('heading', { name: 'Coordinate', level: 1 }).waitFor();
    await dee.getByTestId('aid-post').filter({ hasText: OTHER_NEED }).waitFor();
    // The figures name their rows in words: the category as the board says it, then months.
    await dee.getByRole('rowheader', { name: 'Rides', exact: true }).waitFor();
    await dee.getByLabel('Grouped by').selectOption('month');
    await dee.getByRole('button', { name: 'Show', exact: true }).click();
    const month = new Intl.DateTimeFormat('en', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date());
    await dee.getByRole('rowheader', { name: month, exact: true }).waitFor();
    await checkBothSchemes(dee, '/aid/coordinate');

    const [download] = await Promise.all([
      dee.waitForEvent('download'),
      dee.getByRole('link', { name: 'Download the list (CSV)' }).click(),
    ]);
    const path = await download.path();
    const csv = await readFile(path, 'utf8');
    expect(csv).toContain(OTHER_NEED);
    expect(csv).not.toContain(NEED);
    for (const name of ['ana', 'ben', 'cleo', 'dee'])
      expect(csv).not.toMatch(new RegExp(`\\b${name}\\b`));

    await dee.getByRole('link', { name: 'Printable list' }).click();
    await dee.getByRole('heading', { name: 'Open needs', level: 1 }).waitFor();
    await dee.getByRole('cell', { name: OTHER_NEED }).waitFor();
    await checkBothSchemes(dee, '/aid/coordinate/print');

    for (const [handle, p] of problems) {
      expect(unexpected(p.errors), handle).toEqual([]);
    }
  });
});
