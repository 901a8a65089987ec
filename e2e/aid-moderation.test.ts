// Reporting and moderating the mutual aid board in three browsers (docs/AID.md "Moderation").
// Rowan runs this Tend (its first account, an admin: the instance board's moderator); Wren posts a
// need without a name (through the API); Quill reports it from its page by keyboard alone and is
// thanked without a word about anyone else's reports. Rowan finds it in /admin/moderation — the
// post's words folded behind its content warning, nobody named — hides it with a reason (it leaves
// the board for Quill), looks at who posted it (told first that this is logged, asked why) and
// closes the report; the log says each in plain words, naming nobody. Wren sees the post marked
// hidden by the board's moderators. axe in light and dark on every state added.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { generateId } from '../core/src/crypto/ids.js';
import { signIn } from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { openRegistration } from './support/circle.js';
import { seedAccount } from './support/seed.js';
import { put } from './support/api.js';
import { tabTo, focused } from './support/keyboard.js';
import { useTendAndBrowser } from './support/suite.js';

const NEED = 'Someone to sort the post at my flat, 4B Elm Court, I can never face it alone';
const WARNING = 'money worries';
const REPORT_WORDS = 'This gives their address on the board.';
const HIDE_REASON = 'Shares an address: asked them to use the private conversation';
const WHY = 'A second report says this is someone else’s address';
const AUTHOR = 'wren';
const REPORTER = 'quill';

/** Console errors other than the refusals the test expects (a hidden post is 404 to Quill). */
const unexpected = (errors: readonly string[]) => errors.filter((e) => !/status of 40[34]/.test(e));

describe.skipIf(noBrowser)('mutual aid: reporting and moderating a post', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  const problems = new Map<string, PageProblems>();
  let rowan: Page;
  let quill: Page;
  let postId = '';

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  async function open(handle: string): Promise<Page> {
    const context = await newContext(suite.browser);
    contexts.push(context);
    const page = await context.newPage();
    problems.set(handle, collectProblems(page));
    await signIn(page, suite.url, handle);
    return page;
  }

  it('Rowan turns the board on; Wren posts a need without a name', async () => {
    const admin = await seedAccount(suite.url, 'rowan');
    await openRegistration(admin);
    const wren = await seedAccount(suite.url, AUTHOR);
    await seedAccount(suite.url, REPORTER);
    await put(admin.api, '/api/v1/aid/communities/instance/settings', {
      enabled: true,
      defaultExpiryDays: 30,
    });
    await put(admin.api, '/api/v1/aid/areas/eastside', {
      name: 'Eastside',
      lat: 51.45,
      lon: -2.55,
    });
    postId = generateId();
    const made = await wren.api.send('POST', '/api/v1/aid/communities/instance/posts', {
      id: postId,
      kind: 'need',
      category: 'errands',
      description: NEED,
      contentWarning: WARNING,
      areaId: 'eastside',
      reachKm: 2,
      when: { kind: 'ongoing' },
      anonymous: true,
    });
    expect(made.status, made.text).toBe(201);
  });

  it('Quill reports it from its page by keyboard alone, and is thanked calmly', async () => {
    quill = await open(REPORTER);
    await quill
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Mutual aid' })
      .click();
    const card = quill.getByTestId('aid-post').filter({ hasText: `Content warning: ${WARNING}` });
    await card.getByRole('link', { name: 'A need: Errands' }).click();
    await quill.getByTestId('aid-author').getByText('Posted by a community member').waitFor();

    await tabTo(quill, 'div.report > button.secondary');
    await quill.keyboard.press('Enter');
    const id = `#report-aid-post-${postId}`;
    await quill.getByRole('group', { name: 'Why are you reporting this post?' }).waitFor();
    expect(await focused(quill, `${id}-unkind-or-harassing`)).toBe(true);
    // The instance board has no group agreement to break: that reason is not offered here.
    expect(await quill.locator(`${id}-breaks-group-agreement`).count()).toBe(0);
    // Unkind → unsafe → spam → shares private information.
    for (let i = 0; i < 3; i += 1) await quill.keyboard.press('ArrowDown');
    expect(await quill.locator(`${id}-sharing-private-information`).isChecked()).toBe(true);
    await quill.keyboard.press('Tab');
    expect(await focused(quill, `${id}-words`)).toBe(true);
    await quill.keyboard.type(REPORT_WORDS);
    await quill
      .getByText("The board's moderators will read this. They won't be told who reported it.")
      .waitFor();
    await checkBothSchemes(quill, '/aid/[postId] (report form open)');
    await quill.keyboard.press('Tab');
    expect(await quill.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Send the report',
    );
    await quill.keyboard.press('Enter');
    await quill
      .getByText(
        "Thanks — the board's moderators will look at it. They won't be told who reported it.",
      )
      .waitFor();
    expect(await focused(quill, '.thanks')).toBe(true);
    const thanks = (await quill.locator('.thanks').innerText()).toLowerCase();
    expect(thanks).not.toMatch(/other|already|people|times/);
    await checkBothSchemes(quill, '/aid/[postId] (report sent)');
  });

  it('Rowan finds it in the admins’ queue, folded, naming nobody, and hides it', async () => {
    rowan = await open('rowan');
    await rowan.goto(`${suite.url}/admin/moderation`);
    const item = rowan
      .locator('article[data-report-id]')
      .filter({ hasText: 'A post on the mutual aid board' });
    await item.getByText(`Content warning: ${WARNING}`).waitFor();
    await item.getByText('Reason: Shares private information').waitFor();
    await item.getByText(`In the reporter's words: ${REPORT_WORDS}`).waitFor();
    await item.getByText('Posted without a name', { exact: false }).waitFor();
    // Folded until Rowan chooses to read it.
    expect(await item.getByText(NEED).isVisible()).toBe(false);
    const text = (await rowan.locator('main').innerText()).toLowerCase();
    expect(text).not.toContain(AUTHOR);
    expect(text).not.toContain(REPORTER);
    await checkBothSchemes(rowan, '/admin/moderation (an aid post reported)');
    await item.getByRole('button', { name: 'Show', exact: true }).click();
    await item.getByText(NEED).waitFor();
    expect(await item.getByRole('link', { name: 'Open the post' }).getAttribute('href')).toBe(
      `/aid/${postId}`,
    );

    await item.getByLabel('Reason (optional, kept in the moderation log)').fill(HIDE_REASON);
    await item.getByRole('button', { name: 'Hide this post from the board' }).click();
    await item.getByRole('button', { name: 'Show this post on the board again' }).waitFor();
    await item.getByText('hidden', { exact: true }).waitFor();
  });

  it('the hidden post leaves the board for Quill', async () => {
    await quill
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Mutual aid' })
      .click();
    await quill.getByRole('heading', { name: 'Mutual aid', level: 1 }).waitFor();
    await quill.getByText('Nothing on the board yet.', { exact: false }).waitFor();
    expect(await quill.getByTestId('aid-post').count()).toBe(0);
    await quill.goto(`${suite.url}/aid/${postId}`);
    await quill.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await quill.getByText(NEED).count()).toBe(0);
  });

  it('Rowan looks at who posted it, told first that it is logged, and asked why', async () => {
    await rowan
      .locator('article[data-report-id]')
      .filter({ hasText: 'A post on the mutual aid board' })
      .getByRole('link', { name: 'Open the post' })
      .click();
    const tools = rowan.getByRole('region', { name: 'Keeping the board safe' });
    await tools.getByRole('button', { name: 'Show this post on the board again' }).waitFor();
    await rowan.getByTestId('aid-status').getByText('Hidden by a moderator').waitFor();
    await checkBothSchemes(rowan, '/aid/[postId] (a moderator, hidden)');

    await tools.getByRole('button', { name: 'See who posted this' }).click();
    await tools.getByText('Looking is written in the moderation log', { exact: false }).waitFor();
    expect(await focused(rowan, '#aid-reveal-why')).toBe(true);
    await tools.getByRole('button', { name: 'Show me who posted' }).click();
    await tools.getByText('Please say why first.').waitFor();
    expect(await rowan.locator('#aid-reveal-why').getAttribute('aria-invalid')).toBe('true');
    await checkBothSchemes(rowan, '/aid/[postId] (see who posted: asked why)');
    await rowan.locator('#aid-reveal-why').fill(WHY);
    await tools.getByRole('button', { name: 'Show me who posted' }).click();
    await tools.getByTestId('aid-revealed').getByText(`Posted by ${AUTHOR}.`).waitFor();
    expect(await focused(rowan, '[data-testid="aid-revealed"]')).toBe(true);
    await checkBothSchemes(rowan, '/aid/[postId] (who posted, shown)');
  });

  it('Rowan closes the report; the log says each step in plain words, naming nobody', async () => {
    await rowan.goto(`${suite.url}/admin/moderation`);
    const item = rowan
      .locator('article[data-report-id]')
      .filter({ hasText: 'A post on the mutual aid board' });
    await item.getByRole('button', { name: 'Close as acted on' }).click();
    await rowan.getByText('There are no open reports.').waitFor();
    await rowan.reload();
    const log = rowan.getByTestId('audit-log');
    await log
      .getByText(`rowan looked at who wrote a post on the mutual aid board — reason: ${WHY}`, {
        exact: false,
      })
      .waitFor();
    await log
      .getByText(`rowan hid a post on the mutual aid board — reason: ${HIDE_REASON}`, {
        exact: false,
      })
      .waitFor();
    await log
      .getByText('rowan closed a report about a post on the mutual aid board as acted on', {
        exact: false,
      })
      .waitFor();
    expect((await log.innerText()).toLowerCase()).not.toContain(AUTHOR);
    expect(await log.getByRole('link', { name: 'See the post' }).count()).toBe(3);
    await checkBothSchemes(rowan, '/admin/moderation (the log with the aid board)');
  });

  it('Wren sees the post marked hidden by the board’s moderators', async () => {
    const wren = await open(AUTHOR);
    await wren.goto(`${suite.url}/aid/${postId}`);
    await wren
      .getByTestId('aid-hidden-note')
      .getByText("The board's moderators hid this post.", { exact: false })
      .waitFor();
    // Nothing about reports, and no moderator's tools or report button on their own post.
    expect(await wren.getByRole('button', { name: 'Report this post' }).count()).toBe(0);
    expect(await wren.getByRole('region', { name: 'Keeping the board safe' }).count()).toBe(0);
    await checkBothSchemes(wren, '/aid/[postId] (mine, hidden)');
  });

  it('no page showed an unexpected error', () => {
    for (const [who, p] of problems) expect(unexpected(p.errors), who).toEqual([]);
  });
});
