// Someone to talk to, in three browsers. Aster and Cedar are members of a group; Birch is not.
// Aster says she is around to listen (the default window: now → two hours), with a few words of
// her own; Cedar does too. Birch is told calmly that listening is for group members, then asks
// to talk by keyboard alone and waits. Aster and Cedar see the ask arrive live, showing only what
// Birch hoped to talk about. Aster says "I can listen": the conversation opens for her; Cedar,
// a moment late, is told calmly that someone else is with them, and never learns who. Birch sees
// Aster's handle and words and goes into the conversation; they exchange messages (end-to-end
// encrypted: none of the words are in the database files or the server output). Aster ends the
// talk; Birch leaves kind words, which Aster sees, live. Then Cedar chooses "nothing" for the
// group's notifications and still sees it after a reload. axe in light and dark on every state.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { PASSPHRASE, signIn } from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { openRegistration } from './support/circle.js';
import { seedAccount, type SeededAccount } from './support/seed.js';
import { tabTo } from './support/keyboard.js';
import { useTendAndBrowser } from './support/suite.js';

const SLUG = 'evening-company';
const GROUP_ID = 'group-evening-company';
const WORDS = {
  hello: 'It has been a heavy week and the evenings are the worst',
  reply: 'I am here, take all the time you need tonight',
} as const;
const OWN_WORDS = 'Happy to just sit with you';
const KIND_TEXT = 'You made the evening lighter';

/** A page load locks the vault (the keys live in memory): the inline form opens it again. */
async function unlock(page: Page): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

describe.skipIf(noBrowser)('someone to talk to', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  const problems = new Map<string, PageProblems>();
  let aster: Page;
  let birch: Page;
  let cedar: Page;
  let cedarAccount: SeededAccount;
  let conversationUrl = '';

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

  async function toListen(page: Page): Promise<void> {
    await page.goto(`${suite.url}/listen`);
    await unlock(page);
    await page.getByRole('heading', { name: 'Someone to talk to', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Kind words people left you' }).waitFor();
  }

  it('sets up a group with Aster and Cedar; Birch is in no group', async () => {
    const admin = await seedAccount(suite.url, 'aster');
    await openRegistration(admin);
    await seedAccount(suite.url, 'birch');
    cedarAccount = await seedAccount(suite.url, 'cedar');
    const made = await admin.api.send('POST', '/api/v1/groups', {
      id: GROUP_ID,
      slug: SLUG,
      name: 'Evening company',
      description: 'A peer group for the long evenings.',
      topics: ['loneliness'],
      languages: ['en'],
      format: 'online',
      area: null,
      visibility: 'public',
      joinQuestions: [],
      agreement: 'We listen. No advice unless asked.',
    });
    expect(made.status, made.text).toBe(201);
    const joined = await cedarAccount.api.send('POST', `/api/v1/groups/${GROUP_ID}/join`, {
      agreementVersion: 1,
    });
    expect(joined.status, joined.text).toBe(200);
    [aster, birch, cedar] = await Promise.all([open('aster'), open('birch'), open('cedar')]);
  });

  it('Aster and Cedar are around to listen (now → two hours by default)', async () => {
    await toListen(aster);
    await checkBothSchemes(aster, '/listen (nothing yet)');
    const from = await aster.getByLabel('From').inputValue();
    const until = await aster.getByLabel('Until').inputValue();
    expect(Date.parse(until) - Date.parse(from)).toBe(2 * 3_600_000);
    await aster
      .getByRole('region', { name: 'Around to listen' })
      .getByRole('checkbox', { name: 'Feeling low' })
      .check();
    await aster.getByLabel('A few words of your own (optional)').fill(OWN_WORDS);
    await aster.getByRole('button', { name: "I'm around to listen" }).click();
    const window = aster.getByTestId('listen-window');
    await window.getByText("You're around to listen from", { exact: false }).waitFor();
    await window.getByText('Comfortable with: Just talking, Feeling low').waitFor();
    await aster.getByText('Nobody is asking right now.', { exact: false }).waitFor();
    await checkBothSchemes(aster, '/listen (listening, nobody asking)');

    await toListen(cedar);
    await cedar
      .getByRole('region', { name: 'Around to listen' })
      .getByRole('checkbox', { name: 'Feeling low' })
      .check();
    await cedar.getByRole('button', { name: "I'm around to listen" }).click();
    await cedar.getByText('Nobody is asking right now.', { exact: false }).waitFor();
  });

  it('Birch, in no group, is told calmly why listening is not open to him', async () => {
    await toListen(birch);
    await birch.getByRole('button', { name: "I'm around to listen" }).click();
    const told = birch.getByTestId('listen-not-member');
    await told
      .getByText('Being around to listen is for people who are part of a group', {
        exact: false,
      })
      .waitFor();
    await told.getByRole('link', { name: 'Find a group' }).waitFor();
    await checkBothSchemes(birch, '/listen (not a group member)');
  });

  it('Birch asks to talk by keyboard alone; Aster and Cedar see it live, never who', async () => {
    await birch.getByRole('heading', { name: "I'd like to talk" }).click();
    await tabTo(birch, 'input[name="listen-ask-topics-feeling-low"]');
    await birch.keyboard.press('Space');
    await tabTo(birch, '#listen-ask-languages');
    await birch.keyboard.type('en');
    await tabTo(birch, 'button[type="submit"]');
    expect(await birch.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Ask to talk',
    );
    await birch.keyboard.press('Enter');
    const waiting = birch.getByTestId('listen-waiting');
    await waiting.getByText('Waiting for someone — it can take a little while.').waitFor();
    await waiting.getByText('You hoped to talk about: Feeling low').waitFor();
    await waiting
      .getByText('If nobody is free, this ends by itself at', { exact: false })
      .waitFor();
    await checkBothSchemes(birch, '/listen (waiting)');
    // The waiting bar drifts slowly; with reduced motion it stands still.
    const bar = waiting.getByRole('progressbar', { name: 'Waiting for someone' }).locator('span');
    expect(await bar.evaluate((el) => getComputedStyle(el).animationName)).toContain('drift');
    await birch.emulateMedia({ reducedMotion: 'reduce' });
    expect(await bar.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
    await birch.emulateMedia({ reducedMotion: 'no-preference' });

    for (const page of [aster, cedar]) {
      const offer = page.getByTestId('listen-offer');
      await offer.getByText('Hoping to talk about: Feeling low').waitFor();
      await offer.getByText('In: English').waitFor();
      expect(await offer.textContent()).not.toContain('birch');
    }
    await checkBothSchemes(aster, '/listen (an ask offered)');
  });

  it('Aster says she can listen and lands in the conversation; Cedar is told calmly it was taken', async () => {
    // Cedar's page does not read the list again yet (as if the news were a moment late).
    const held: Route[] = [];
    let holding = true;
    await cedar.route('**/api/v1/listen/asks', async (route) => {
      if (holding && route.request().method() === 'GET') held.push(route);
      else await route.continue();
    });

    await aster.getByTestId('listen-offer').getByRole('button', { name: 'I can listen' }).click();
    await aster.getByRole('heading', { name: 'Conversation with birch' }).waitFor();
    conversationUrl = aster.url();
    expect(conversationUrl).toMatch(/\/messages\/[A-Za-z0-9_-]+$/);

    await cedar.getByTestId('listen-offer').getByRole('button', { name: 'I can listen' }).click();
    await cedar
      .getByTestId('listen-taken')
      .getByText('Someone else is already with them. Thank you for being there.')
      .waitFor();
    holding = false;
    for (const route of held.splice(0)) await route.continue();
    await cedar.unroute('**/api/v1/listen/asks');
    await cedar.getByText('Nobody is asking right now.', { exact: false }).waitFor();
    await checkBothSchemes(cedar, '/listen (taken by someone else)');
    // Nobody else sees who listens to whom: not on Cedar's page, not in what the server tells her.
    const main = (await cedar.locator('main').textContent()) ?? '';
    expect(main).not.toContain('birch');
    expect(main).not.toContain('aster');
    const seen = await cedarAccount.api.send('GET', '/api/v1/listen/asks');
    expect(seen.status).toBe(200);
    expect(seen.text).not.toContain('birch');
    expect(seen.text).not.toContain('aster');
    expect(seen.text).toContain('"status":"taken"');
  });

  it("Birch sees Aster's handle and words, goes into the conversation, and they talk", async () => {
    const accepted = birch.getByTestId('listen-accepted');
    await accepted.getByRole('heading', { name: 'aster can listen' }).waitFor();
    await accepted.getByText(`In their words: “${OWN_WORDS}”`).waitFor();
    const link = accepted.getByRole('link', { name: 'Go to your conversation with aster' });
    await link.waitFor();
    await checkBothSchemes(birch, '/listen (someone can listen)');
    await link.click();
    await birch.waitForURL(conversationUrl);
    await birch.getByRole('heading', { name: 'Conversation with aster' }).waitFor();

    await birch.getByLabel('Message', { exact: true }).fill(WORDS.hello);
    await birch.getByRole('button', { name: 'Send' }).click();
    await aster.getByTestId('dm-message').filter({ hasText: WORDS.hello }).waitFor();
    await aster.getByLabel('Message', { exact: true }).fill(WORDS.reply);
    await aster.getByRole('button', { name: 'Send' }).click();
    await birch.getByTestId('dm-message').filter({ hasText: WORDS.reply }).waitFor();
  });

  it('Aster ends the talk; Birch leaves kind words and Aster sees them live', async () => {
    await toListen(aster);
    const talk = aster.getByTestId('listen-talk');
    await talk.getByText("You're with birch").waitFor();
    await checkBothSchemes(aster, '/listen (talking)');
    await talk.getByRole('button', { name: 'End the talk with birch' }).click();
    await aster.getByRole('button', { name: 'End it' }).click();
    await aster.getByTestId('listen-after').getByText('Your talk with birch').waitFor();

    // Birch's conversation is closed for new messages.
    await birch.getByTestId('dm-ended').waitFor();
    expect(await birch.getByRole('button', { name: 'Send' }).count()).toBe(0);

    await toListen(birch);
    const after = birch.getByTestId('listen-after');
    await after.getByText('Your talk with aster').waitFor();
    await checkBothSchemes(birch, '/listen (after the talk)');
    await after.getByRole('checkbox', { name: 'I felt heard' }).check();
    await after.getByRole('checkbox', { name: 'Thank you' }).check();
    await after.getByLabel('Something of your own (optional)').fill(KIND_TEXT);
    await after.getByRole('button', { name: 'Send kind words' }).click();
    await after.getByText('Your kind words were sent to aster.').waitFor();

    const kind = aster.getByTestId('listen-kind-words');
    await kind.getByText('Thank you · I felt heard').waitFor();
    await kind.getByText(`“${KIND_TEXT}”`).waitFor();
    const section =
      (await aster.getByRole('region', { name: 'Kind words people left you' }).textContent()) ?? '';
    expect(section).not.toContain('birch');
    await checkBothSchemes(aster, '/listen (kind words)');
  });

  it('/groups links to someone to talk to', async () => {
    await cedar.goto(`${suite.url}/groups`);
    // Once the page has settled (my groups listed), follow the link.
    await cedar.getByRole('heading', { name: 'My groups' }).waitFor();
    await cedar.getByRole('link', { name: 'Evening company' }).first().waitFor();
    await cedar.getByRole('link', { name: 'Someone to talk to' }).click();
    await cedar.waitForURL(`${suite.url}/listen`);
    await cedar.getByRole('heading', { name: 'Someone to talk to', level: 1 }).waitFor();
  });

  it("Cedar chooses 'nothing' for the group's notifications; it is still chosen after a reload", async () => {
    await cedar.goto(`${suite.url}/groups/${SLUG}`);
    await cedar.getByRole('heading', { name: 'Notifications from this group' }).waitFor();
    const middle = cedar.getByRole('radio', { name: 'Mentions of me and meetings' });
    await middle.waitFor();
    expect(await middle.isChecked()).toBe(true);
    await cedar
      .getByText('Quiet hours and pausing all notifications are in', { exact: false })
      .waitFor();
    await cedar.getByRole('radio', { name: 'Nothing from this group' }).check();
    await cedar
      .getByRole('form', { name: 'Notifications from this group' })
      .getByRole('button', { name: 'Save' })
      .click();
    await cedar.getByText('Saved.', { exact: true }).waitFor();
    await checkBothSchemes(cedar, '/groups/[slug] (notification choice)');

    await cedar.reload();
    const nothing = cedar.getByRole('radio', { name: 'Nothing from this group' });
    await nothing.waitFor();
    expect(await nothing.isChecked()).toBe(true);
    const stored = await cedarAccount.api.send('GET', `/api/v1/groups/${GROUP_ID}/notifications`);
    expect(stored.text).toContain('"choice":"nothing"');
  });

  it('leaves none of the words written in the database files or the server output', async () => {
    // Expected failed requests: Birch's window (403, not a member) and Cedar's late accept (409).
    const unexpected = (handle: string, allowed: RegExp | null) =>
      (problems.get(handle)?.errors ?? []).filter(
        (e) => allowed === null || !(allowed.test(e) && e.includes('Failed to load resource')),
      );
    expect(unexpected('aster', null)).toEqual([]);
    expect(unexpected('birch', /403/)).toEqual([]);
    expect(unexpected('cedar', /409/)).toEqual([]);

    for (const c of contexts.splice(0)) await c.close();
    const files = readdirSync(suite.tend.dataDir).filter((f) => f.startsWith('tend.db'));
    expect(files).toContain('tend.db');
    const haystacks = [
      ...files.map((f) => ({ where: f, bytes: readFileSync(join(suite.tend.dataDir, f)) })),
      { where: 'server output', bytes: Buffer.from(suite.tend.output(), 'utf8') },
    ];
    // The check can fail: Aster's own words (meant for the server to hold) are found.
    expect(haystacks.some((h) => h.bytes.includes(Buffer.from(OWN_WORDS)))).toBe(true);
    for (const secret of Object.values(WORDS)) {
      for (const { where, bytes } of haystacks) {
        expect(bytes.includes(Buffer.from(secret, 'utf8')), `"${secret}" in ${where}`).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `"${secret}" in ${where}`).toBe(
          false,
        );
      }
    }
  });
});
