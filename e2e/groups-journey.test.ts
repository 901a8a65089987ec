// Peer support from one end to the other, in four browsers (issue 7, "Browser, several contexts").
// Rowan runs this Tend (its first account; never in a browser). Fay starts a group by request with
// agreements and a join question and schedules an online meeting with a link, in the UI. Ben and
// Mo (handle mona) are already in the group (through the API), Mo as its moderator; Fay has opened
// a conversation. Ana finds the group by a word on /groups and asks to join by keyboard alone,
// answering the question and accepting the agreements; Fay says yes in Manage and Ana is a member
// after a reload. Ana sees no meeting link until she says she's going. Ana replies in the
// conversation with a content warning: Ben, on that page, sees it arrive folded (the words are not
// on the page until he chooses Show) and reports it. Mo finds the report under Moderation and
// hides the post; Ben sees it hidden without a reload; Fay reads "mona hid a post by ana" in the
// moderation log. Then Ben is around to listen, Ana asks to talk, Ben says he can listen, and both
// are in the same one-to-one conversation and exchange a message. axe in light and dark on every
// page visited. The steps are one journey: after a failed step the rest are skipped.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateId } from '../core/src/crypto/ids.js';
import { PASSPHRASE, signIn } from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { openRegistration } from './support/circle.js';
import { seedAccount, type SeededAccount } from './support/seed.js';
import { useTendAndBrowser } from './support/suite.js';

const GROUP = 'Thursday riverside voices';
const SLUG = 'thursday-riverside-voices';
const WORD = 'kingfisher';
const QUESTION = 'What brings you to the group?';
const ANSWER = 'I would like company on Thursday evenings.';
const MEETING = 'Thursday evening circle';
const LINK = 'https://meet.example.org/riverside-voices';
const TITLE = 'How the week went';
const OPENING = 'Say how your week went, if you like.';
const WARNING = 'talk of a hard night';
const ANA_POST = 'Last night the voices were loud and I did not sleep at all.';
const REPORT_WORDS = 'Posted in the wrong conversation, I think.';
const REASON = 'Moved to a calmer place';
const HELLO = 'Thank you for being around tonight';
const REPLY = 'I am glad you asked, I have time';
const LIVE = 10_000;

/** Presses Tab until the focused element matches `selector` (keyboard only), at most 80 times. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** A page load locks the vault (the keys live in memory): the inline form opens it again. */
async function unlock(page: Page): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/** A date `days` from today (UTC), YYYY-MM-DD. */
function dateIn(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A PUT through the API as `who` (the test client sends GET and POST only). */
async function put(who: SeededAccount, path: string, body: unknown): Promise<Response> {
  const csrf = (await who.api.send('GET', '/api/v1/csrf')).json as { token: string };
  return fetch(who.api.base + path, {
    method: 'PUT',
    headers: {
      cookie: who.api.cookieHeader(),
      'x-csrf-token': csrf.token,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

const groupNav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'This group' }).getByRole('link', { name });

describe.skipIf(noBrowser)('peer support, the whole journey', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  const problems = new Map<string, PageProblems>();
  const accounts = new Map<string, SeededAccount>();
  let fay: Page;
  let ana: Page;
  let ben: Page;
  let mo: Page;
  let groupId = '';
  let threadId = '';
  let anaPostId = '';

  let broken = false;

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });
  beforeEach((context) => {
    if (broken) context.skip();
  });
  afterEach((context) => {
    if (context.task.result?.state === 'fail') broken = true;
  });

  async function open(handle: string): Promise<Page> {
    const context = await newContext(suite.browser);
    contexts.push(context);
    const page = await context.newPage();
    problems.set(handle, collectProblems(page));
    await signIn(page, suite.url, handle);
    return page;
  }

  const api = (handle: string) => {
    const account = accounts.get(handle);
    if (account === undefined) throw new Error(`no account ${handle}`);
    return account;
  };

  it('Fay starts a group by request with agreements and a join question', async () => {
    const rowan = await seedAccount(suite.url, 'rowan');
    await openRegistration(rowan);
    for (const handle of ['fay', 'ana', 'ben', 'mona']) {
      accounts.set(handle, await seedAccount(suite.url, handle));
    }
    fay = await open('fay');
    await fay
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Groups' })
      .click();
    await fay.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    await fay.getByRole('link', { name: 'Start a group' }).click();
    await fay.getByRole('heading', { name: 'Start a group', level: 1 }).waitFor();
    await fay.getByLabel('Name').fill(GROUP);
    await fay
      .getByLabel('What the group is about')
      .fill(`A peer group for people who hear voices. We call ourselves the ${WORD}s.`);
    await expect.poll(() => fay.getByLabel('Web address').inputValue()).toBe(SLUG);
    expect(await fay.getByRole('radio', { name: /^By request/ }).isChecked()).toBe(true);
    await fay.locator('#new-group-joinQuestions').fill(QUESTION);
    await fay.getByRole('button', { name: 'Start from an example' }).click();
    await fay.getByRole('button', { name: 'Start the group' }).click();
    await fay.getByRole('heading', { name: GROUP, level: 1 }).waitFor();
    expect(new URL(fay.url()).pathname).toBe(`/groups/${SLUG}`);
    await fay.getByText("You're a facilitator of this group.").waitFor();
    await checkBothSchemes(fay, '/groups/[slug] (facilitator)');

    const page = await api('fay').api.send('GET', `/api/v1/groups/by-slug/${SLUG}`);
    expect(page.status, page.text).toBe(200);
    groupId = (page.json as { id: string }).id;
    expect((page.json as { visibility: string }).visibility).toBe('request');
  });

  it('Fay schedules an online meeting with a link', async () => {
    await groupNav(fay, 'Meetings').click();
    await fay.getByRole('heading', { name: 'Meetings', level: 2 }).waitFor();
    await fay.getByRole('link', { name: 'Schedule a meeting' }).click();
    await fay.getByRole('heading', { name: 'Schedule a meeting', level: 2 }).waitFor();
    await fay.getByLabel('Title').fill(MEETING);
    await fay.getByLabel(/Meeting link/).fill(LINK);
    await fay.getByLabel('Date').fill(dateIn(3));
    await fay.getByLabel('Start time').fill('18:30');
    await checkBothSchemes(fay, 'schedule a meeting');
    await fay.getByRole('button', { name: 'Schedule it' }).click();
    await fay.getByRole('heading', { name: 'Meetings', level: 2 }).waitFor();
    await fay.getByRole('heading', { name: MEETING, level: 3 }).first().waitFor();
    await checkBothSchemes(fay, 'meetings (facilitator)');
  });

  it('Ben and Mo are already in the group, Mo as its moderator; Fay opens a conversation', async () => {
    // Set-up that is not the point of this journey (each part has its own browser test).
    for (const handle of ['ben', 'mona']) {
      const id = generateId();
      const asked = await api(handle).api.send('POST', `/api/v1/groups/${groupId}/requests`, {
        id,
        agreementVersion: 1,
        answers: ['I have been coming for a while.'],
      });
      expect(asked.status, asked.text).toBe(201);
      const said = await api('fay').api.send(
        'POST',
        `/api/v1/groups/${groupId}/requests/${id}/decision`,
        { approve: true },
      );
      expect(said.status, said.text).toBe(200);
    }
    const moId = api('mona').person.accountId;
    const role = await put(api('fay'), `/api/v1/groups/${groupId}/members/${moId}/role`, {
      role: 'moderator',
    });
    expect(role.status, await role.text()).toBe(200);
    const started = await api('fay').api.send('POST', `/api/v1/groups/${groupId}/threads`, {
      title: TITLE,
      body: OPENING,
      contentWarning: null,
    });
    expect(started.status, started.text).toBe(201);
    threadId = (started.json as { thread: { id: string } }).thread.id;
  });

  it('Ana finds the group by a word and asks to join by keyboard alone', async () => {
    ana = await open('ana');
    await ana
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Groups' })
      .click();
    await ana.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    await ana.getByLabel('Words to look for').focus();
    await ana.keyboard.type(WORD);
    await ana.keyboard.press('Enter');
    await ana.getByText('1 group found.').waitFor();
    await checkBothSchemes(ana, '/groups (results)');

    await tabTo(ana, `a[href="/groups/${SLUG}"]`);
    await ana.keyboard.press('Enter');
    await ana.getByRole('heading', { name: GROUP, level: 1 }).waitFor();
    await ana
      .getByRole('region', { name: 'Group agreements', exact: true })
      .getByText('No advice unless asked.')
      .waitFor();
    await checkBothSchemes(ana, '/groups/[slug] (visitor)');

    await tabTo(ana, 'section.join button');
    expect(await ana.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Ask to join',
    );
    await ana.keyboard.press('Enter');
    await tabTo(ana, '#join-answer-0');
    await ana.keyboard.type(ANSWER);
    await tabTo(ana, '#join-accept');
    await ana.keyboard.press('Space');
    expect(
      await ana
        .getByRole('checkbox', { name: 'I accept these agreements (version 1)' })
        .isChecked(),
    ).toBe(true);
    await checkBothSchemes(ana, '/groups/[slug] (asking)');
    await tabTo(ana, 'section.join button[type="submit"]');
    expect(await ana.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Request to join',
    );
    await ana.keyboard.press('Enter');
    await ana.getByText('Waiting for the facilitators.', { exact: false }).waitFor();
    await checkBothSchemes(ana, '/groups/[slug] (waiting)');
  });

  it('Fay reads the answer in Manage and says yes; Ana is in', async () => {
    await groupNav(fay, 'Manage').click();
    await fay.getByRole('heading', { name: 'Asking to join' }).waitFor();
    // The list is read when Manage opens and not live; once in four runs on a very busy machine it
    // did not show the answer within 30 s, so print what it showed and read it once more.
    const answer = fay.getByText(ANSWER);
    const shown = await answer.waitFor({ timeout: 15_000 }).then(
      () => true,
      () => false,
    );
    if (!shown) {
      const text = await fay.locator('section[aria-labelledby="manage-requests"]').innerText();
      process.stderr.write(`Manage showed, without Ana's answer: ${text}\n`);
      await fay.reload();
      await answer.waitFor();
    }
    await checkBothSchemes(fay, '/groups/[slug]/manage (a request)');
    await fay.getByRole('button', { name: 'Say yes to ana' }).click();
    await fay.getByText('ana is now a member.').waitFor();

    await ana.reload();
    await ana.getByText("You're a member of this group.").waitFor();
    await checkBothSchemes(ana, '/groups/[slug] (member)');
  });

  it('Ana sees no meeting link until she says she is going, and then sees it', async () => {
    await groupNav(ana, 'Meetings').click();
    const first = ana.locator('article', { hasText: MEETING }).first();
    await first.waitFor();
    await first.getByText("Online — the link appears when you say you're going.").waitFor();
    expect(await first.getByRole('link', { name: 'Join the meeting online' }).count()).toBe(0);
    expect(await ana.locator(`a[href="${LINK}"]`).count()).toBe(0);
    expect(await ana.locator('main').innerHTML()).not.toContain(LINK);
    await checkBothSchemes(ana, 'meetings (member, before a yes)');

    await first.getByRole('radio', { name: "Yes, I'm going" }).check();
    await first.getByRole('button', { name: 'Save my answer' }).click();
    await first.getByText('Your answer is saved.').waitFor();
    const link = first.getByRole('link', { name: 'Join the meeting online' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(LINK);
    await checkBothSchemes(ana, 'meetings (member, after a yes)');
  });

  it('Ana replies with a content warning; Ben sees it arrive folded, and reports it', async () => {
    ben = await open('ben');
    await ben.goto(`${suite.url}/groups/${SLUG}/conversations/${threadId}`);
    await unlock(ben);
    await ben.getByRole('heading', { name: TITLE, level: 2 }).waitFor();
    await ben.getByText(OPENING).waitFor();
    await checkBothSchemes(ben, 'thread (Ben, before)');

    // Ana goes there through the group's pages (her vault locked with the reload above).
    await groupNav(ana, 'Conversations').click();
    await unlock(ana);
    await ana.getByRole('link', { name: TITLE }).click();
    await ana.getByRole('heading', { name: TITLE, level: 2 }).waitFor();
    await ana.locator('#reply-body').fill(ANA_POST);
    await ana.getByLabel('Content warning (optional)').fill(WARNING);
    await ana
      .getByText('Everyone in this group, and the people who run this Tend, can read this.')
      .waitFor();
    await ana.getByRole('button', { name: 'Post reply' }).click();
    await ana.getByText('Your reply is posted.').waitFor();
    const mine = ana.locator('article', { hasText: `Content warning: ${WARNING}` });
    await mine.waitFor();
    anaPostId = (await mine.getAttribute('data-post-id')) ?? '';
    expect(anaPostId).not.toBe('');
    await checkBothSchemes(ana, 'thread (Ana, her post)');

    // Ben's page was not reloaded: the post arrives live, folded behind its warning.
    const post = ben.locator(`article[data-post-id="${anaPostId}"]`);
    await post.getByText(`Content warning: ${WARNING}`).waitFor({ timeout: LIVE });
    const show = post.getByRole('button', { name: 'Show', exact: true });
    await show.waitFor();
    expect(await show.getAttribute('aria-expanded')).toBe('false');
    expect(await ben.getByText(ANA_POST).count()).toBe(0);
    expect(await ben.locator('main').innerText()).not.toContain(ANA_POST);
    await checkBothSchemes(ben, 'thread (Ben, a folded post arrived)');
    await show.click();
    await post.getByText(ANA_POST).waitFor();

    await post.getByRole('button', { name: 'Report this post by ana' }).click();
    await post.getByRole('group', { name: 'Why are you reporting this post?' }).waitFor();
    await post.getByLabel('Something else').check();
    await post.locator(`#report-post-${anaPostId}-words`).fill(REPORT_WORDS);
    await checkBothSchemes(ben, 'thread (Ben, report form)');
    await post.getByRole('button', { name: 'Send the report' }).click();
    await post
      .getByText(
        "Thanks — the group's facilitators will look at it. They won't be told who reported it.",
      )
      .waitFor();
  });

  it('Mo, the moderator, finds the report and hides the post; Ben sees it hidden, live', async () => {
    mo = await open('mona');
    await mo.goto(`${suite.url}/groups/${SLUG}`);
    await mo.getByRole('heading', { name: GROUP, level: 1 }).waitFor();
    // A moderator keeps the group but does not manage it.
    await groupNav(mo, 'Moderation').waitFor();
    expect(await groupNav(mo, 'Manage').count()).toBe(0);
    await groupNav(mo, 'Moderation').click();
    await mo.getByRole('heading', { name: 'Moderation', level: 2 }).waitFor();
    const item = mo.locator('article', { hasText: `A post in “${TITLE}”` });
    await item.waitFor();
    await item.getByText('Written by ana').waitFor();
    await item.getByText(`In the reporter's words: ${REPORT_WORDS}`).waitFor();
    await item.getByText(`Content warning: ${WARNING}`).waitFor();
    expect(await item.getByText(ANA_POST).count()).toBe(0);
    expect((await mo.locator('main').innerText()).toLowerCase()).not.toContain('ben');
    await checkBothSchemes(mo, 'moderation queue (moderator)');

    await item.getByLabel('Reason (optional, kept in the moderation log)').fill(REASON);
    await item.getByRole('button', { name: 'Hide this post' }).click();
    await item.getByRole('button', { name: 'Unhide this post' }).waitFor();
    await checkBothSchemes(mo, 'moderation queue (post hidden)');

    const post = ben.locator(`article[data-post-id="${anaPostId}"]`);
    await post
      .getByText("This post is hidden by the group's moderators.")
      .waitFor({ timeout: LIVE });
    expect(await ben.getByText(ANA_POST).count()).toBe(0);
    await checkBothSchemes(ben, 'thread (Ben, post hidden)');
  });

  it('Fay, the facilitator, reads the hide in the moderation log', async () => {
    await groupNav(fay, 'Moderation').click();
    await fay.getByRole('heading', { name: 'Moderation', level: 2 }).waitFor();
    await fay.getByRole('link', { name: 'The moderation log' }).click();
    await fay.getByRole('heading', { name: 'The moderation log', level: 2 }).waitFor();
    const log = fay.getByTestId('audit-log');
    await log.getByText(/mona hid a post by ana/).waitFor();
    expect(await log.innerText()).toContain(`mona hid a post by ana — reason: ${REASON}, `);
    expect((await fay.locator('main').innerText()).toLowerCase()).not.toContain('ben');
    await checkBothSchemes(fay, 'moderation log (facilitator)');
  });

  it('Ben is around to listen; Ana asks to talk; Ben can listen; they talk one to one', async () => {
    await ben.goto(`${suite.url}/listen`);
    await unlock(ben);
    await ben.getByRole('heading', { name: 'Someone to talk to', level: 1 }).waitFor();
    await ben.getByRole('heading', { name: 'Kind words people left you' }).waitFor();
    await checkBothSchemes(ben, '/listen (Ben)');
    await ben
      .getByRole('region', { name: 'Around to listen' })
      .getByRole('checkbox', { name: 'Feeling low' })
      .check();
    await ben.getByRole('button', { name: "I'm around to listen" }).click();
    await ben.getByText('Nobody is asking right now.', { exact: false }).waitFor();

    await ana.goto(`${suite.url}/listen`);
    await unlock(ana);
    await ana.getByRole('heading', { name: 'Someone to talk to', level: 1 }).waitFor();
    await ana.getByRole('heading', { name: 'Kind words people left you' }).waitFor();
    await checkBothSchemes(ana, '/listen (Ana)');
    await ana
      .getByRole('region', { name: "I'd like to talk" })
      .getByRole('checkbox', { name: 'Feeling low' })
      .check();
    await ana.getByRole('button', { name: 'Ask to talk' }).click();
    await ana
      .getByTestId('listen-waiting')
      .getByText('Waiting for someone — it can take a little while.')
      .waitFor();
    await checkBothSchemes(ana, '/listen (Ana waiting)');

    const offer = ben.getByTestId('listen-offer');
    await offer.getByText('Hoping to talk about: Feeling low').waitFor({ timeout: LIVE });
    expect(await offer.textContent()).not.toContain('ana');
    await checkBothSchemes(ben, '/listen (Ben, an ask offered)');
    await offer.getByRole('button', { name: 'I can listen' }).click();
    await ben.getByRole('heading', { name: 'Conversation with ana' }).waitFor();
    const conversationUrl = ben.url();
    expect(conversationUrl).toMatch(/\/messages\/[A-Za-z0-9_-]+$/);
    await checkBothSchemes(ben, 'conversation (Ben)');

    const accepted = ana.getByTestId('listen-accepted');
    await accepted.getByRole('heading', { name: 'ben can listen' }).waitFor({ timeout: LIVE });
    await checkBothSchemes(ana, '/listen (Ana, someone can listen)');
    await accepted.getByRole('link', { name: 'Go to your conversation with ben' }).click();
    await ana.waitForURL(conversationUrl);
    await ana.getByRole('heading', { name: 'Conversation with ben' }).waitFor();

    await ana.getByLabel('Message', { exact: true }).fill(HELLO);
    await ana.getByRole('button', { name: 'Send' }).click();
    await ben.getByTestId('dm-message').filter({ hasText: HELLO }).waitFor({ timeout: LIVE });
    await ben.getByLabel('Message', { exact: true }).fill(REPLY);
    await ben.getByRole('button', { name: 'Send' }).click();
    await ana.getByTestId('dm-message').filter({ hasText: REPLY }).waitFor({ timeout: LIVE });
    await checkBothSchemes(ana, 'conversation (Ana, after messages)');
  });

  it('no page logged an error', () => {
    for (const [handle, p] of problems) {
      expect(
        p.errors.filter((e) => !/401/.test(e)),
        handle,
      ).toEqual([]);
    }
  });
});
