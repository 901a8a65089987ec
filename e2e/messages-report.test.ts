// Direct conversations in two browsers, after a key reset and with a report: Ana and Ben talk;
// Ana makes a new key for the conversation; every earlier message still opens for both and new
// ones go both ways. Ana reports one of Ben's messages from her device by keyboard alone (the plain
// explanation first); an instance admin reads the revealed message through the API and it
// verifies against Ben's published key. Then Ana blocks Ben from the conversation. axe in light
// and dark on each new state (new key, report form, blocked).
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyReportedMessage } from '../core/src/conversations/message.js';
import { queueResponseSchema } from '../core/src/moderation/api.js';
import { signIn } from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { openRegistration } from './support/circle.js';
import { seedAccount, type SeededAccount } from './support/seed.js';
import { useTendAndBrowser } from './support/suite.js';

const WORDS = {
  anaBefore: 'Before the new key, from Ana',
  benReported: 'You should just stop talking to people',
  benBefore: 'Before the new key, from Ben',
  anaAfter: 'After the new key, from Ana',
  benAfter: 'After the new key, from Ben',
  reportWords: 'It made me feel small',
} as const;

const EXPLANATION =
  "Direct messages are end-to-end encrypted. Reporting sends the messages you pick, with their signatures, to this Tend's admins, so they can check they're real. Nothing else from this conversation is shared.";

describe.skipIf(noBrowser)('direct messages: a new key, a report, a block', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  let keeper: SeededAccount;
  let ben: SeededAccount;
  let anaPage: Page;
  let benPage: Page;
  let anaProblems: PageProblems;
  let benProblems: PageProblems;
  let conversationId = '';

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  async function open(handle: string) {
    const context = await newContext(suite.browser);
    contexts.push(context);
    const page = await context.newPage();
    const problems = collectProblems(page);
    await signIn(page, suite.url, handle);
    await page.getByRole('navigation').getByRole('link', { name: 'My circle' }).click();
    await page
      .getByRole('navigation', { name: 'My circle pages' })
      .getByRole('link', { name: 'Messages' })
      .click();
    await page.getByRole('heading', { name: 'Messages', level: 1 }).waitFor();
    return { page, problems };
  }

  async function send(page: Page, text: string) {
    const box = page.getByLabel('Message', { exact: true });
    await box.fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('dm-message').filter({ hasText: text }).waitFor();
    // The composer is emptied once the send is done: only then is it ready for the next one.
    await expect.poll(() => box.inputValue()).toBe('');
  }

  async function seesAll(page: Page, texts: readonly string[]) {
    for (const text of texts)
      await page.getByTestId('dm-message').filter({ hasText: text }).waitFor();
    expect(await page.getByTestId('dm-unopened').count()).toBe(0);
  }

  it('Ana and Ben talk', async () => {
    keeper = await seedAccount(suite.url, 'keeper');
    await openRegistration(keeper);
    await seedAccount(suite.url, 'ana');
    ben = await seedAccount(suite.url, 'ben');

    ({ page: anaPage, problems: anaProblems } = await open('ana'));
    await anaPage.getByLabel('Their handle').fill('ben');
    await anaPage.getByRole('button', { name: 'Start' }).click();
    await anaPage.getByRole('heading', { name: 'Conversation with ben' }).waitFor();
    conversationId = anaPage.url().split('/').pop() ?? '';
    await send(anaPage, WORDS.anaBefore);

    ({ page: benPage, problems: benProblems } = await open('ben'));
    await benPage.getByRole('link', { name: 'With ana' }).click();
    await benPage.getByRole('heading', { name: 'Conversation with ana' }).waitFor();
    await send(benPage, WORDS.benReported);
    await send(benPage, WORDS.benBefore);
    await seesAll(anaPage, [WORDS.anaBefore, WORDS.benReported, WORDS.benBefore]);
  });

  it('Ana makes a new key: earlier messages still open for both, new ones go both ways', async () => {
    await anaPage.getByText('A new key for this conversation', { exact: true }).click();
    const make = anaPage.getByTestId('dm-new-key').getByRole('button', { name: 'Make a new key' });
    await make.waitFor();
    await checkBothSchemes(anaPage, '/messages/[id] (new key offered)');
    await make.click();
    await anaPage.getByText('A new key was made.', { exact: false }).waitFor();

    await send(anaPage, WORDS.anaAfter);
    // Ben, without a reload: the key changed under him; he reads the new message and the old.
    await seesAll(benPage, [WORDS.anaBefore, WORDS.benReported, WORDS.benBefore, WORDS.anaAfter]);
    await send(benPage, WORDS.benAfter);
    await seesAll(anaPage, [
      WORDS.anaBefore,
      WORDS.benReported,
      WORDS.benBefore,
      WORDS.anaAfter,
      WORDS.benAfter,
    ]);

    // A fresh visit opens every key again (the older one from the server, checked here).
    await benPage.getByRole('link', { name: 'All messages' }).click();
    await benPage.getByRole('link', { name: 'With ana' }).click();
    await seesAll(benPage, [
      WORDS.anaBefore,
      WORDS.benReported,
      WORDS.benBefore,
      WORDS.anaAfter,
      WORDS.benAfter,
    ]);
  });

  it('Ana reports one of Ben’s messages by keyboard alone, after the plain explanation', async () => {
    const button = anaPage.getByTestId('dm-report-open');
    await button.focus();
    await anaPage.keyboard.press('Enter');
    const form = anaPage.getByTestId('dm-report-form');
    await form.waitFor();
    expect(await form.getByTestId('dm-report-explain').textContent()).toBe(EXPLANATION);
    // Focus is on the form's heading; only Ben's messages are offered, oldest first.
    expect(await anaPage.evaluate(() => document.activeElement?.id)).toBe('dm-report-heading');
    const boxes = form.getByRole('checkbox');
    expect(await boxes.count()).toBe(3);
    expect(await form.getByText(WORDS.anaBefore).count()).toBe(0);
    await checkBothSchemes(anaPage, '/messages/[id] (report form)');

    // Past the three messages to the first reason, its words, and Send with nothing picked:
    // refused calmly.
    for (let i = 0; i < 4; i += 1) await anaPage.keyboard.press('Tab');
    expect(await anaPage.evaluate(() => document.activeElement?.id)).toBe(
      'dm-report-reason-unkind-or-harassing',
    );
    await anaPage.keyboard.press('Space');
    await anaPage.keyboard.press('Tab');
    expect(await anaPage.evaluate(() => document.activeElement?.id)).toBe('dm-report-words');
    await anaPage.keyboard.type(WORDS.reportWords);
    await anaPage.keyboard.press('Tab');
    expect(await anaPage.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Send report',
    );
    await anaPage.keyboard.press('Enter');
    await form.getByRole('alert').getByText('Please pick at least one message.').waitFor();

    // Back to Ben's first message with Shift+Tab (words, reason, three messages), and pick it.
    for (let i = 0; i < 5; i += 1) await anaPage.keyboard.press('Shift+Tab');
    expect(await anaPage.evaluate(() => document.activeElement?.getAttribute('type'))).toBe(
      'checkbox',
    );
    await anaPage.keyboard.press('Space');
    expect(await boxes.first().isChecked()).toBe(true);
    expect(await boxes.nth(1).isChecked()).toBe(false);
    expect(await form.getByRole('radio', { name: 'Unkind or harassing' }).isChecked()).toBe(true);
    for (let i = 0; i < 5; i += 1) await anaPage.keyboard.press('Tab');
    expect(await anaPage.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Send report',
    );
    await anaPage.keyboard.press('Enter');
    await anaPage.getByText('Report sent.', { exact: false }).waitFor();
    await form.waitFor({ state: 'detached' });
    expect(await anaPage.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Report messages',
    );
  });

  it('an instance admin reads the revealed message through the API, and it verifies', async () => {
    const res = await keeper.api.send('GET', '/api/v1/moderation/queue');
    expect(res.status, res.text).toBe(200);
    const { reports } = queueResponseSchema.parse(res.json);
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report).toMatchObject({
      kind: 'conversation',
      conversationId,
      reason: 'unkind-or-harassing',
      words: WORDS.reportWords,
      reported: { handle: 'ben' },
    });
    expect(report?.messages?.map((m) => m.text)).toEqual([WORDS.benReported]);
    // Nothing else from the conversation is in it.
    for (const other of [WORDS.anaBefore, WORDS.benBefore, WORDS.anaAfter, WORDS.benAfter]) {
      expect(res.text).not.toContain(other);
    }
    const revealed = report?.messages?.[0];
    if (revealed === undefined) throw new Error('no revealed message');
    const checked = verifyReportedMessage(revealed.report, ben.person.identity.ed25519PublicKey, {
      conversationId,
      senderId: ben.person.accountId,
    });
    expect(checked.ok && checked.value.content).toEqual({
      v: 1,
      type: 'message',
      text: WORDS.benReported,
    });
  });

  it('Ana blocks Ben from the conversation: nothing more can be sent; she can still read it', async () => {
    await anaPage.getByRole('button', { name: 'Block ben' }).click();
    await anaPage.getByRole('button', { name: 'Yes, block' }).click();
    await anaPage.getByText('ben is blocked.').waitFor();
    await anaPage.getByTestId('dm-blocked').waitFor();
    expect(await anaPage.getByLabel('Message', { exact: true }).count()).toBe(0);
    await seesAll(anaPage, [WORDS.benReported, WORDS.benAfter]);
    await checkBothSchemes(anaPage, '/messages/[id] (blocked)');

    expect(anaProblems.errors).toEqual([]);
    expect(benProblems.errors).toEqual([]);
  });
});
