// Group conversations and meetings in two browsers. Ada (facilitator, her browser in Tokyo) and
// Ben (member, pseudonym "Wren" in this group, his browser in New York); the group and Ben's
// membership are made through the API. Ada starts a conversation with a content warning; Ben sees
// it folded, opens it, and replies by keyboard alone; Ada sees the reply arrive without a reload
// and reacts; Ben edits his reply, posts under his pseudonym (Ada sees "Wren", never "ben") and
// deletes his reply (Ada sees it deleted, live). Ada schedules a weekly meeting in Europe/London;
// Ben sees it in his own zone with the group's, says yes by keyboard and then sees the link; his
// private calendar feed answers text/calendar with the meeting, and stops once turned off. axe in
// light and dark on every page visited.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { PASSPHRASE, signIn } from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { openRegistration } from './support/circle.js';
import { seedAccount, type SeededAccount } from './support/seed.js';
import { useTendAndBrowser } from './support/suite.js';

const SLUG = 'voices-between';
const GROUP_ID = 'group-voices-between';
const TITLE = 'Evenings after the hospital';
const WARNING = 'talk of hospital stays';
const FIRST = 'Coming home was harder than I expected.';
const REPLY = 'Thank you for saying this. Same for me.';
const EDITED = 'Thank you for saying this. It was the same for me.';
const PSEUDONYMOUS = 'Writing this one as Wren.';
const MEETING = 'Tuesday check-in';
const LINK = 'https://meet.example.org/voices-between';
const LIVE = 10_000;

/** Presses Tab until the focused element matches `selector` (keyboard only), at most 60 times. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
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

/** A local date `days` from today (UTC), YYYY-MM-DD. */
function dateIn(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe.skipIf(noBrowser)('group conversations and meetings', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  const problems = new Map<string, PageProblems>();
  let ada: Page;
  let ben: Page;
  let threadUrl = '';

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

  it('sets up a public group with Ada facilitating and Ben a member under a pseudonym', async () => {
    const facilitator: SeededAccount = await seedAccount(suite.url, 'ada');
    await openRegistration(facilitator);
    const member = await seedAccount(suite.url, 'ben');
    const made = await facilitator.api.send('POST', '/api/v1/groups', {
      id: GROUP_ID,
      slug: SLUG,
      name: 'Voices between meetings',
      description: 'A peer group for people who hear voices, and for talking between meetings.',
      topics: ['hearing voices'],
      languages: ['en'],
      format: 'online',
      area: null,
      visibility: 'public',
      joinQuestions: [],
      agreement: 'We listen. No advice unless asked. What is said here stays here.',
    });
    expect(made.status, made.text).toBe(201);
    const joined = await member.api.send('POST', `/api/v1/groups/${GROUP_ID}/join`, {
      agreementVersion: 1,
      pseudonym: 'Wren',
    });
    expect(joined.status, joined.text).toBe(200);
    ada = await open('ada', 'Asia/Tokyo');
    ben = await open('ben', 'America/New_York');
  });

  it('Ada starts a conversation with a content warning', async () => {
    await ada.goto(`${suite.url}/groups/${SLUG}/conversations`);
    await unlock(ada);
    await ada.getByRole('heading', { name: 'Conversations', level: 2, exact: true }).waitFor();
    await ada.getByText('No conversations yet').waitFor();
    await checkBothSchemes(ada, 'conversations, empty');
    await ada.getByLabel('Title').fill(TITLE);
    await ada.getByLabel("What you'd like to say").fill(FIRST);
    await ada.getByLabel('Content warning (optional)').fill(WARNING);
    await ada
      .getByText('Everyone in this group, and the people who run this Tend, can read this.')
      .waitFor();
    await ada.getByRole('button', { name: 'Preview' }).click();
    await ada.getByRole('region', { name: 'Preview' }).getByText(FIRST).waitFor();
    await ada.getByRole('button', { name: 'Start the conversation' }).click();
    await ada.getByRole('heading', { name: TITLE, level: 2 }).waitFor();
    threadUrl = ada.url();
    expect(threadUrl).toMatch(new RegExp(`/groups/${SLUG}/conversations/[^/]+$`));
    await checkBothSchemes(ada, 'thread, own post');
  });

  it('Ben sees it folded, opens it, and replies by keyboard; Ada sees the reply live', async () => {
    await ben.goto(`${suite.url}/groups/${SLUG}/conversations`);
    await unlock(ben);
    await ben.getByRole('link', { name: TITLE }).waitFor();
    await ben.getByText(`Content warning: ${WARNING}`).waitFor();
    await checkBothSchemes(ben, 'conversations list');
    await ben.getByRole('link', { name: TITLE }).click();
    const show = ben.getByRole('button', { name: 'Show' });
    await show.waitFor();
    await ben.getByText(`Content warning: ${WARNING}`).waitFor();
    expect(await show.getAttribute('aria-expanded')).toBe('false');
    expect(await ben.getByText(FIRST).count()).toBe(0);
    await checkBothSchemes(ben, 'thread, folded');
    await show.click();
    await ben.getByText(FIRST).waitFor();
    expect(await ben.getByRole('button', { name: 'Hide' }).getAttribute('aria-expanded')).toBe(
      'true',
    );
    // The warning stays visible while the post is open.
    await ben.getByText(`Content warning: ${WARNING}`).waitFor();

    await tabTo(ben, '#reply-body');
    await ben.keyboard.type(REPLY);
    await tabTo(ben, '#reply button[type="submit"], form button[type="submit"]');
    const focusedLabel = await ben.evaluate(() => document.activeElement?.textContent?.trim());
    expect(focusedLabel).toBe('Post reply');
    await ben.keyboard.press('Enter');
    await ben.getByText('Your reply is posted.').waitFor();
    await ben.getByText(REPLY).waitFor();
    // Ada's page was not reloaded: the reply arrives through the realtime channel.
    await ada.getByText(REPLY).waitFor({ timeout: LIVE });
    await ada.getByText('A new post arrived.').waitFor({ timeout: LIVE });
  });

  it('Ada reacts to the reply; the toggle says so', async () => {
    const reply = ada.locator('article', { hasText: REPLY });
    await reply.getByRole('button', { name: 'Hug: nobody yet' }).click();
    const hug = reply.getByRole('button', { name: 'Hug: 1 person' });
    await hug.waitFor();
    expect(await hug.getAttribute('aria-pressed')).toBe('true');
    await checkBothSchemes(ada, 'thread with a reply and a reaction');
  });

  it('Ben edits his reply, posts under his pseudonym, and deletes his reply', async () => {
    const replyId = await ben.locator('article', { hasText: REPLY }).getAttribute('data-post-id');
    const mine = ben.locator(`article[data-post-id="${replyId ?? ''}"]`);
    await mine.getByRole('button', { name: 'Edit' }).click();
    await mine.getByLabel("What you'd like to say").fill(EDITED);
    await mine.getByRole('button', { name: 'Save changes' }).click();
    await ben.getByText(EDITED).waitFor();
    await mine.getByText('(edited)').waitFor();
    await ada.getByText(EDITED).waitFor({ timeout: LIVE });

    await ben.locator('#reply-body').fill(PSEUDONYMOUS);
    await ben.getByLabel('Post under my pseudonym “Wren”').check();
    await ben.getByRole('button', { name: 'Post reply' }).click();
    await ben.getByText(PSEUDONYMOUS).waitFor();
    const seen = ada.locator('article', { hasText: PSEUDONYMOUS });
    await seen.waitFor({ timeout: LIVE });
    expect(await seen.locator('header').innerText()).toContain('Wren');
    expect(await seen.innerText()).not.toContain('ben');

    await mine.getByRole('button', { name: 'Delete' }).click();
    await ben.getByRole('button', { name: 'Delete my post' }).click();
    await ben.getByText('This post was deleted.').waitFor();
    await ada.getByText('This post was deleted.').waitFor({ timeout: LIVE });
    expect(await ada.getByText(EDITED).count()).toBe(0);
    await checkBothSchemes(ben, 'thread after edits and a delete');
  });

  it('Ben finds the conversation by a word in it, and the result leads there', async () => {
    await ben.getByRole('link', { name: 'All conversations' }).click();
    await ben.getByLabel('Words to look for').fill('harder');
    await ben.getByRole('button', { name: 'Search', exact: true }).click();
    await ben.getByText('1 result').waitFor();
    await checkBothSchemes(ben, 'conversations with search results');
    await ben.getByRole('link', { name: `In “${TITLE}”` }).click();
    await ben.getByRole('heading', { name: TITLE, level: 2 }).waitFor();
    expect(ben.url()).toBe(threadUrl);
  });

  it('Ada schedules a weekly meeting in Europe/London from a browser in Tokyo', async () => {
    await ada.goto(`${suite.url}/groups/${SLUG}/meetings/new`);
    await ada.getByRole('heading', { name: 'Schedule a meeting', level: 2 }).waitFor();
    expect(await ada.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');
    await ada.getByLabel('Title').fill(MEETING);
    await ada.getByLabel(/Meeting link/).fill(LINK);
    await ada.getByLabel('Date').fill(dateIn(7));
    await ada.getByLabel('Start time').fill('19:00');
    await ada.getByLabel('Time zone').selectOption('Europe/London');
    const preview = ada.getByTestId('schedule-preview');
    expect(await preview.innerText()).toMatch(/^Every week on \w+day at 19:00 \(Europe\/London\)$/);
    await checkBothSchemes(ada, 'schedule a meeting');
    await ada.getByRole('button', { name: 'Schedule it' }).click();
    await ada.getByRole('heading', { name: 'Meetings', level: 2 }).waitFor();
    await ada.getByRole('heading', { name: MEETING, level: 3 }).first().waitFor();
    await checkBothSchemes(ada, 'meetings, facilitator');
  });

  it('Ben sees it in his own zone, says yes by keyboard, and then sees the link', async () => {
    await ben.goto(`${suite.url}/groups/${SLUG}/meetings`);
    const first = ben.locator('article', { hasText: MEETING }).first();
    await first.waitFor();
    const when = await first.getByTestId('meeting-when').innerText();
    // 19:00 in London is 14:00 in New York (both on standard time, or both on summer time,
    // outside the few weeks a year when only one has changed).
    expect(when).toMatch(/Eastern (Standard|Daylight) Time/);
    expect(when).toMatch(/\b2:00/);
    const groupZone = await first.getByText("In the group's time zone").innerText();
    expect(groupZone).toMatch(/7:00/);
    expect(groupZone).toMatch(/(Greenwich Mean|British Summer) Time/);
    await first.getByText("Online — the link appears when you say you're going.").waitFor();
    expect(await first.getByRole('link', { name: 'Join the meeting online' }).count()).toBe(0);
    await checkBothSchemes(ben, 'meetings, member');

    const yes = first.getByRole('radio', { name: "Yes, I'm going" });
    const yesId = await yes.getAttribute('id');
    await tabTo(ben, `#${yesId ?? ''}`);
    await ben.keyboard.press('Space');
    expect(await yes.isChecked()).toBe(true);
    await tabTo(ben, 'button[type="submit"]:not([disabled])');
    expect(await ben.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Save my answer',
    );
    await ben.keyboard.press('Enter');
    await first.getByText('Your answer is saved.').waitFor();
    const link = first.getByRole('link', { name: 'Join the meeting online' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(LINK);
    await checkBothSchemes(ben, 'meetings, after a yes');
  });

  it('Ben subscribes in his calendar app, and turns the feed off', async () => {
    await ben.getByRole('button', { name: 'Subscribe in your calendar app' }).click();
    const box = ben.getByLabel('Private calendar link');
    await box.waitFor();
    const url = await box.inputValue();
    expect(url).toMatch(/\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    await checkBothSchemes(ben, 'calendar feed made');
    const feed = await fetch(url.replace(/^https?:\/\/[^/]+/, suite.url));
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await feed.text();
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toContain(`SUMMARY:${MEETING}`);

    await ben.getByRole('button', { name: 'Turn off this feed' }).click();
    await ben.getByRole('button', { name: 'Turn it off' }).click();
    await ben.getByText('The calendar link is turned off.').waitFor();
    const gone = await fetch(url.replace(/^https?:\/\/[^/]+/, suite.url));
    expect(gone.status).toBe(404);
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
