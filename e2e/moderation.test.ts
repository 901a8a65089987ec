// Moderation in four browsers (docs/MODERATION.md). Rowan runs this Tend (its first account, an
// admin); Fay facilitates the group; Quill and Nat are members. The group, the conversation and
// Nat's posts are made through the API. Quill reports Nat's post by keyboard alone and is thanked
// calmly; reporting it again says it is already reported. Fay finds the report under the group's
// Moderation tab (the post folded behind its content warning), hides the post with a reason
// (Quill sees it hidden without a reload), sends Nat a note and closes the report. Nat reads the
// note at /notes (the notification's path), which names the group, not Fay. Fay's moderation log
// says both actions in plain words. Quill's handle appears nowhere on a keeper's page. Quill sees
// the outcome in "My reports" and withdraws another report, then mutes Nat: Nat's other post
// folds, and opens with "Show". Rowan sees the instance's log at /admin/moderation. axe in light
// and dark on every page visited.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  makeConversationKey,
  openMessage,
  sealMessage,
  wrapConversationKey,
} from '../core/src/conversations/message.js';
import { generateId } from '../core/src/crypto/ids.js';
import { fromBase64url, toBase64url } from '../core/src/encoding/base64url.js';
import { PASSPHRASE, signIn } from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { openRegistration } from './support/circle.js';
import { seedAccount, type SeededAccount } from './support/seed.js';
import { tabTo, focused } from './support/keyboard.js';
import { useTendAndBrowser } from './support/suite.js';

const SLUG = 'steady-ground';
const GROUP_ID = 'group-steady-ground';
const GROUP_NAME = 'Steady ground';
const TITLE = 'What helped this week';
const OPENING = 'Share one small thing that helped, if you like.';
const REPORTED = 'Nobody here really understands anything, you are all pretending.';
const WARNING = 'harsh words';
const OTHER = 'I walked by the river on Sunday.';
const REPORT_WORDS = 'This felt cruel to read.';
const REASON = 'Unkind to the group';
const NOTE = 'Please remember our agreement: we speak kindly, even when we disagree.';
const REPORTER = 'quill';
const DIRECT = 'You should just stop coming to the group.';
const LIVE = 10_000;

/** A page load locks the vault (the keys live in memory): the inline form opens it again. */
async function unlock(page: Page): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/** The page's visible words must not name the reporter. */
async function neverNamesReporter(page: Page, what: string): Promise<void> {
  const text = await page.locator('main').innerText();
  expect(text.toLowerCase(), what).not.toContain(REPORTER);
}

describe.skipIf(noBrowser)('moderation: reports, actions, notes, the log and mutes', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  const problems = new Map<string, PageProblems>();
  let quillApi: SeededAccount;
  let natApi: SeededAccount;
  let fay: Page;
  let quill: Page;
  let threadId = '';
  let reportedId = '';
  let otherId = '';

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

  it('sets up a group with Fay facilitating, a conversation, and two posts by Nat', async () => {
    const rowan = await seedAccount(suite.url, 'rowan');
    await openRegistration(rowan);
    const facilitator = await seedAccount(suite.url, 'fay');
    quillApi = await seedAccount(suite.url, REPORTER);
    const nat = await seedAccount(suite.url, 'nat');
    natApi = nat;
    const made = await facilitator.api.send('POST', '/api/v1/groups', {
      id: GROUP_ID,
      slug: SLUG,
      name: GROUP_NAME,
      description: 'A peer group for finding our footing again, one week at a time.',
      topics: ['recovery'],
      languages: ['en'],
      format: 'online',
      area: null,
      visibility: 'public',
      joinQuestions: [],
      agreement: 'We speak kindly. No advice unless asked.',
    });
    expect(made.status, made.text).toBe(201);
    for (const member of [quillApi, nat]) {
      const joined = await member.api.send('POST', `/api/v1/groups/${GROUP_ID}/join`, {
        agreementVersion: 1,
      });
      expect(joined.status, joined.text).toBe(200);
    }
    const started = await facilitator.api.send('POST', `/api/v1/groups/${GROUP_ID}/threads`, {
      title: TITLE,
      body: OPENING,
      contentWarning: null,
    });
    expect(started.status, started.text).toBe(201);
    threadId = (JSON.parse(started.text) as { thread: { id: string } }).thread.id;
    const posts = `/api/v1/groups/${GROUP_ID}/threads/${threadId}/posts`;
    const a = await nat.api.send('POST', posts, { body: REPORTED, contentWarning: WARNING });
    expect(a.status, a.text).toBe(201);
    reportedId = (JSON.parse(a.text) as { id: string }).id;
    const b = await nat.api.send('POST', posts, { body: OTHER, contentWarning: null });
    expect(b.status, b.text).toBe(201);
    otherId = (JSON.parse(b.text) as { id: string }).id;
    fay = await open('fay');
    quill = await open(REPORTER);
  });

  it('Quill reports Nat’s post by keyboard alone, and is thanked', async () => {
    await quill.goto(`${suite.url}/groups/${SLUG}/conversations/${threadId}`);
    await unlock(quill);
    await quill.getByRole('heading', { name: TITLE, level: 2 }).waitFor();
    const post = quill.locator(`article[data-post-id="${reportedId}"]`);
    await post.getByText(`Content warning: ${WARNING}`).waitFor();
    // Nobody is offered to report their own words, or to mute a pseudonym: only others' posts.
    expect(await quill.getByRole('button', { name: 'Report this post by fay' }).count()).toBe(1);
    await checkBothSchemes(quill, 'thread with report buttons');

    await tabTo(quill, 'button[aria-label="Report this post by nat"]', 60);
    await quill.keyboard.press('Enter');
    const first = `#report-post-${reportedId}-unkind-or-harassing`;
    await post.getByRole('group', { name: 'Why are you reporting this post?' }).waitFor();
    expect(await focused(quill, first)).toBe(true);
    await quill.keyboard.press('Space');
    expect(await quill.locator(first).isChecked()).toBe(true);
    await quill.keyboard.press('Tab');
    expect(await focused(quill, `#report-post-${reportedId}-words`)).toBe(true);
    await quill.keyboard.type(REPORT_WORDS);
    await post
      .getByText("The group's facilitators and moderators will read this. They won't be told")
      .waitFor();
    await checkBothSchemes(quill, 'report form open');
    await quill.keyboard.press('Tab');
    expect(await quill.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Send the report',
    );
    await quill.keyboard.press('Enter');
    const thanks = post.getByText(
      "Thanks — the group's facilitators will look at it. They won't be told who reported it.",
    );
    await thanks.waitFor();
    expect(await focused(quill, '.thanks')).toBe(true);
    await checkBothSchemes(quill, 'report sent');
  });

  it('reporting the same post again says so plainly', async () => {
    const again = await quillApi.api.send('POST', '/api/v1/moderation/reports', {
      kind: 'post',
      groupId: GROUP_ID,
      postId: reportedId,
      reason: 'spam',
    });
    expect(again.status).toBe(409);
    await quill.reload();
    await unlock(quill);
    const post = quill.locator(`article[data-post-id="${reportedId}"]`);
    await post.getByRole('button', { name: 'Report this post by nat' }).click();
    await post.getByLabel('Spam').check();
    await post.getByRole('button', { name: 'Send the report' }).click();
    await post
      .getByRole('alert')
      .getByText("You've already reported this, and your report is still open.")
      .waitFor();
    await post.getByRole('button', { name: 'Cancel' }).click();
    await post.getByRole('button', { name: 'Report this post by nat' }).waitFor();
  });

  it('Fay finds the report under Moderation, folded behind its warning, without the reporter', async () => {
    await fay.goto(`${suite.url}/groups/${SLUG}`);
    await fay
      .getByRole('navigation', { name: 'This group' })
      .getByRole('link', { name: 'Moderation' })
      .click();
    await fay.getByRole('heading', { name: 'Moderation', level: 2 }).waitFor();
    const item = fay.locator('article', { hasText: `A post in “${TITLE}”` });
    await item.waitFor();
    await item.getByText('Reason: Unkind or harassing').waitFor();
    await item.getByText(`In the reporter's words: ${REPORT_WORDS}`).waitFor();
    await item.getByText('Written by nat').waitFor();
    await item.getByText(`Content warning: ${WARNING}`).waitFor();
    expect(await item.getByText(REPORTED).count()).toBe(0);
    await neverNamesReporter(fay, 'the queue');
    await checkBothSchemes(fay, 'moderation queue');
    await item.getByRole('button', { name: 'Show', exact: true }).click();
    await item.getByText(REPORTED).waitFor();
  });

  it('Fay hides the post with a reason; Quill sees it hidden without a reload', async () => {
    const item = fay.locator('article', { hasText: `A post in “${TITLE}”` });
    await item.getByLabel('Reason (optional, kept in the moderation log)').fill(REASON);
    await item.getByRole('button', { name: 'Hide this post' }).click();
    await item.getByRole('button', { name: 'Unhide this post' }).waitFor();
    await item.getByText('hidden', { exact: true }).waitFor();
    const post = quill.locator(`article[data-post-id="${reportedId}"]`);
    await post
      .getByText("This post is hidden by the group's moderators.")
      .waitFor({ timeout: LIVE });
    expect(await quill.getByText(REPORTED).count()).toBe(0);
  });

  it('Fay sends Nat a note and closes the report', async () => {
    const item = fay.locator('article', { hasText: `A post in “${TITLE}”` });
    await item.getByRole('button', { name: 'Send a note' }).click();
    const box = item.getByLabel('Your note, in your own words');
    expect(await focused(fay, 'textarea')).toBe(true);
    await box.fill(NOTE);
    await checkBothSchemes(fay, 'moderation queue, writing a note');
    await item.getByRole('button', { name: 'Send the note' }).click();
    await item.getByText('Your note was sent.').waitFor();
    await item.getByRole('button', { name: 'Close as acted on' }).click();
    await fay.getByText('There are no open reports.').waitFor();
  });

  it('Nat reads the note at /notes, which names the group and not Fay', async () => {
    const nat = await open('nat');
    await nat.goto(`${suite.url}/notes`);
    await nat.getByRole('heading', { name: 'Notes to me', level: 1 }).waitFor();
    const note = nat.locator('article', { hasText: NOTE });
    await note.getByRole('heading', { name: `From the keepers of ${GROUP_NAME}` }).waitFor();
    expect((await nat.locator('main').innerText()).toLowerCase()).not.toContain('fay');
    await checkBothSchemes(nat, 'notes to me');
  });

  it('Fay’s moderation log says both actions in plain words, and never who reported', async () => {
    await fay.getByRole('link', { name: 'The moderation log' }).click();
    await fay.getByRole('heading', { name: 'The moderation log', level: 2 }).waitFor();
    const log = fay.getByTestId('audit-log');
    await log.waitFor();
    const text = await log.innerText();
    expect(text).toContain('fay sent a note to nat, ');
    expect(text).toContain(`fay hid a post by nat — reason: ${REASON}, `);
    expect(text).toContain('fay closed a report about nat as acted on, ');
    // Newest first.
    expect(text.indexOf('closed a report')).toBeLessThan(text.indexOf('sent a note'));
    expect(text.indexOf('sent a note')).toBeLessThan(text.indexOf('hid a post'));
    await neverNamesReporter(fay, 'the moderation log');
    await checkBothSchemes(fay, 'moderation log');
  });

  it('Quill sees the outcome in My reports and withdraws another report', async () => {
    const another = await quillApi.api.send('POST', '/api/v1/moderation/reports', {
      kind: 'thread',
      groupId: GROUP_ID,
      threadId,
      reason: 'something-else',
    });
    expect(another.status, another.text).toBe(201);
    await quill.goto(`${suite.url}/reports`);
    await quill.getByRole('heading', { name: 'My reports', level: 1 }).waitFor();
    const post = quill.locator('article', { hasText: `A post in ${GROUP_NAME}` });
    await post.getByText('Looked at and acted on').waitFor();
    await post.getByText(`Your words: ${REPORT_WORDS}`).waitFor();
    expect(await post.getByRole('button', { name: /Withdraw/ }).count()).toBe(0);
    const thread = quill.locator('article', { hasText: `A conversation in ${GROUP_NAME}` });
    await thread.getByText('Open — waiting for someone to look at it').waitFor();
    await checkBothSchemes(quill, 'my reports');
    await thread
      .getByRole('button', { name: `Withdraw the report about A conversation in ${GROUP_NAME}` })
      .click();
    await thread.getByText('You withdrew it').waitFor();
    await quill.getByText('Your report is withdrawn.').waitFor();
  });

  it('Quill mutes Nat: Nat’s other post folds, and opens with Show', async () => {
    await quill.goto(`${suite.url}/groups/${SLUG}/conversations/${threadId}`);
    await unlock(quill);
    const other = quill.locator(`article[data-post-id="${otherId}"]`);
    await other.getByText(OTHER).waitFor();
    await other.getByRole('button', { name: 'Mute nat' }).click();
    await other.getByText('A post by nat, whom you muted.').waitFor();
    expect(await other.getByText(OTHER).count()).toBe(0);
    await other.getByText('You muted nat. Nobody is told.').waitFor();
    // Fay's posts are untouched.
    await quill.getByText(OPENING).waitFor();
    await checkBothSchemes(quill, 'thread with a muted post');
    await other.getByRole('button', { name: 'Show', exact: true }).click();
    await other.getByText(OTHER).waitFor();
    // Still muted after a reload (the list comes from the server).
    await quill.reload();
    await unlock(quill);
    await other.getByText('A post by nat, whom you muted.').waitFor();
    await other.getByRole('button', { name: 'Unmute nat' }).click();
    await other.getByText(OTHER).waitFor();
  });

  it('Fay, a keeper, still reads the hidden post in the conversation, marked, with Unhide', async () => {
    await fay.goto(`${suite.url}/groups/${SLUG}/conversations/${threadId}`);
    await unlock(fay);
    const post = fay.locator(`article[data-post-id="${reportedId}"]`);
    await post.getByText("Hidden from members: only the group's keepers can read it.").waitFor();
    await post.getByRole('button', { name: 'Unhide this post' }).waitFor();
    await post.getByRole('button', { name: 'Show', exact: true }).click();
    await post.getByText(REPORTED).waitFor();
    await checkBothSchemes(fay, 'thread, keeper with a hidden post');
  });

  it('Quill reports a direct message from Nat, revealing it from the device', async () => {
    const idOf = async (a: SeededAccount) =>
      ((await a.api.send('GET', '/api/v1/accounts/me')).json as { id: string }).id;
    const natId = await idOf(natApi);
    const quillId = await idOf(quillApi);
    const conversationId = generateId();
    const key = makeConversationKey();
    const wrap = (recipientId: string, recipient: SeededAccount) =>
      wrapConversationKey({
        conversationId,
        senderId: natId,
        recipientId,
        keyId: 1,
        key,
        recipientX25519PublicKey: recipient.person.identity.x25519PublicKey,
        senderEd25519Seed: natApi.person.identity.ed25519Seed,
      });
    const started = await natApi.api.send('POST', '/api/v1/conversations', {
      id: conversationId,
      with: quillId,
      keyId: 1,
      myShareKey: await wrap(natId, natApi),
      theirShareKey: await wrap(quillId, quillApi),
    });
    expect(started.status, started.text).toBe(201);
    const messageId = generateId();
    const sealed = sealMessage({
      conversationId,
      messageId,
      senderId: natId,
      keyId: 1,
      conversationKey: key,
      content: { v: 1, type: 'message', text: DIRECT },
      sentAt: Date.now(),
      senderEd25519Seed: natApi.person.identity.ed25519Seed,
    });
    if (!sealed.ok) throw new Error(sealed.error);
    const record = toBase64url(sealed.value);
    const sent = await natApi.api.send('POST', `/api/v1/conversations/${conversationId}/messages`, {
      id: messageId,
      keyId: 1,
      record,
    });
    expect(sent.status, sent.text).toBe(201);
    const opened = openMessage({
      record: fromBase64url(record)!,
      conversationId,
      messageId,
      senderId: natId,
      conversationKeys: () => key,
      senderEd25519PublicKey: natApi.person.identity.ed25519PublicKey,
    });
    if (!opened.ok) throw new Error(opened.error);
    const reported = await quillApi.api.send('POST', '/api/v1/moderation/reports', {
      kind: 'conversation',
      conversationId,
      messages: [opened.value.report],
      reason: 'unkind-or-harassing',
    });
    expect(reported.status, reported.text).toBe(201);
  });

  it('Rowan, the admin, sees the conversation report and the instance’s log from /admin', async () => {
    const rowan = await open('rowan');
    await rowan.goto(`${suite.url}/admin`);
    await rowan.getByRole('link', { name: 'Reports and the moderation log' }).click();
    await rowan.getByRole('heading', { name: 'Moderation across this Tend', level: 1 }).waitFor();
    const item = rowan.locator('article', { hasText: 'A direct conversation' });
    await item.getByText(DIRECT).waitFor();
    await item.getByText(/^From nat, signed /).waitFor();
    await item
      .getByText("Each message was checked against its sender's signature when it was reported")
      .waitFor();
    const log = rowan.getByTestId('audit-log');
    await log.getByText(`In ${GROUP_NAME}:`).first().waitFor();
    expect(await log.innerText()).toContain(`fay hid a post by nat — reason: ${REASON}, `);
    await neverNamesReporter(rowan, 'the admin moderation page');
    await checkBothSchemes(rowan, 'admin moderation');

    await item.getByRole('button', { name: 'Dismiss' }).click();
    await rowan.getByText('There are no open reports.').waitFor();
    await rowan.reload();
    const after = rowan.getByTestId('audit-log');
    await after.getByText(/rowan dismissed a report/).waitFor();
    expect(await after.innerText()).toContain('rowan dismissed a report about nat, ');
    await neverNamesReporter(rowan, 'the admin moderation page, after dismissing');
  });

  it('no page logged an error', () => {
    for (const [handle, p] of problems) {
      expect(
        // Expected refusals (a second report of the same post) are logged by the browser.
        p.errors.filter((e) => !/401|409/.test(e)),
        handle,
      ).toEqual([]);
    }
  });
});
