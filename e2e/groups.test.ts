// Peer-support groups in the browser, with two people: Ana starts a group by request (keyboard
// only) with agreements and a join question; Ben finds it by a word of its description and its
// format, asks to join answering the question; Ana says yes; Ben reads the group's home and its
// agreements; Ana publishes a new version and Ben re-accepts it; an invite-only group can't be
// found by Ben and its address shows "not found"; Ben leaves; offline, the list says groups need
// a connection. axe in light and dark on every page visited.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { signIn } from './support/accounts.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { checkBothSchemes } from './support/axe.js';
import { seedAccount } from './support/seed.js';
import { useTendAndBrowser, type Suite } from './support/suite.js';

const GROUP = 'Tuesday night voices';
const WORD = 'lanternfish';
const QUESTION = 'What would you like from the group?';
const ANSWER = 'Company on Tuesday evenings';
const NEW_POINT = 'We start and end on time.';
const SECRET = 'Quiet harbour circle';

async function person(suite: Suite, handle: string, admin = false) {
  const seeded = await seedAccount(suite.url, handle);
  if (admin) {
    // Ana is the first account (the admin): open sign-up so Ben can join without an invite.
    const { api } = seeded;
    const csrf = (await api.send('GET', '/api/v1/csrf')).json as { token: string };
    const open = await fetch(`${suite.url}/api/v1/admin/settings`, {
      method: 'PUT',
      headers: {
        cookie: api.cookieHeader(),
        'x-csrf-token': csrf.token,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ registrationMode: 'open' }),
    });
    expect(open.status).toBe(200);
  }
  const context = await newContext(suite.browser);
  const page = await context.newPage();
  const problems = collectProblems(page);
  await signIn(page, suite.url, handle);
  return { context, page, problems };
}

/** Presses Tab and checks that focus lands on the element with this id. */
async function tabTo(page: Page, id: string) {
  await page.keyboard.press('Tab');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(id);
}

/**
 * Console errors other than the answers the test expects: a 404 for a hidden group, the 409 that
 * keeps the last facilitator, failed requests while offline.
 */
const unexpected = (errors: readonly string[]) =>
  errors.filter((e) => !/status of 40[49]|ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e));

describe.skipIf(noBrowser)('peer-support groups', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  let ana: Page;
  let anaProblems: PageProblems;
  let ben: Page;
  let benProblems: PageProblems;
  let groupPath = '';
  let secretPath = '';

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it('Ana starts a group by request, by keyboard alone', async () => {
    const a = await person(suite, 'ana', true);
    contexts.push(a.context);
    ana = a.page;
    anaProblems = a.problems;

    await ana
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Groups' })
      .click();
    await ana.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    await ana.getByText('There are no groups to show yet.').waitFor();
    await checkBothSchemes(ana, '/groups (empty)');

    await ana.getByRole('link', { name: 'Start a group' }).focus();
    await ana.keyboard.press('Enter');
    await ana.getByRole('heading', { name: 'Start a group', level: 1 }).waitFor();
    await checkBothSchemes(ana, '/groups/new');

    // Submitting the empty form says what's missing, by each field.
    await ana.getByRole('button', { name: 'Start the group' }).focus();
    await ana.keyboard.press('Enter');
    await ana.getByRole('heading', { name: 'Please check the form' }).waitFor();
    await checkBothSchemes(ana, '/groups/new (problems)');

    await ana.getByLabel('Name').focus();
    await ana.keyboard.type(GROUP);
    await tabTo(ana, 'new-group-slug'); // suggested from the name
    expect(await ana.getByLabel('Web address').inputValue()).toBe('tuesday-night-voices');
    await tabTo(ana, 'new-group-description');
    await ana.keyboard.type(
      `A peer group for people who hear voices. We call ourselves the ${WORD}.`,
    );
    await tabTo(ana, 'new-group-topics');
    await ana.keyboard.type('hearing voices, evenings');
    await tabTo(ana, 'new-group-languages');
    expect(await ana.getByLabel('Languages').inputValue()).toBe('en');
    await tabTo(ana, 'new-group-format-online');
    await ana.keyboard.press('ArrowDown'); // In person
    await expect
      .poll(() => ana.getByRole('radio', { name: 'In person', exact: true }).isChecked())
      .toBe(true);
    await tabTo(ana, 'new-group-area');
    await ana.keyboard.type('Leeds');
    await tabTo(ana, 'new-group-visibility-request'); // by request is the default
    await tabTo(ana, 'new-group-joinQuestions');
    await ana.keyboard.type(QUESTION);
    await ana.keyboard.press('Tab'); // "Start from an example"
    await ana.keyboard.press('Enter');
    await tabTo(ana, 'new-group-agreement');
    expect(await ana.getByLabel('Agreements').inputValue()).toContain(
      'What is said here stays here',
    );
    await ana.keyboard.press('Tab');
    await ana.keyboard.press('Enter');

    await ana.getByRole('heading', { name: GROUP, level: 1 }).waitFor();
    groupPath = new URL(ana.url()).pathname;
    expect(groupPath).toBe('/groups/tuesday-night-voices');
    await ana.getByText("You're a facilitator of this group.").waitFor();
    await ana
      .getByRole('navigation', { name: 'This group' })
      .getByRole('link', { name: 'Manage' })
      .waitFor();
    await ana
      .getByRole('region', { name: 'Group agreements', exact: true })
      .getByText('No advice unless asked.')
      .waitFor();
    await checkBothSchemes(ana, '/groups/[slug] (facilitator)');
  });

  it('Ana starts an invite-only group too, with an address that says nothing', async () => {
    await ana
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Groups' })
      .click();
    await ana.getByRole('link', { name: 'Start a group' }).click();
    await ana.getByLabel('Name').fill(SECRET);
    await ana
      .getByLabel('What the group is about')
      .fill(`A small circle that meets at the harbour. ${WORD}`);
    await ana.getByRole('radio', { name: 'By invitation only' }).check();
    await expect
      .poll(() => ana.getByLabel('Web address').inputValue())
      .toMatch(/^group-[0-9a-f]{12}$/);
    await ana.getByRole('button', { name: 'Start from an example' }).click();
    await ana.getByRole('button', { name: 'Start the group' }).click();
    await ana.getByRole('heading', { name: SECRET, level: 1 }).waitFor();
    secretPath = new URL(ana.url()).pathname;
  });

  it('Ben finds the group by a word and its format, and asks to join', async () => {
    const b = await person(suite, 'ben');
    contexts.push(b.context);
    ben = b.page;
    benProblems = b.problems;

    await ben
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Groups' })
      .click();
    await ben.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    await ben.getByLabel('Words to look for').fill(WORD);
    await ben.getByLabel('Format').selectOption({ label: 'In person' });
    await ben.getByRole('button', { name: 'Search', exact: true }).click();
    await ben.getByText('1 group found.').waitFor();
    expect(new URL(ben.url()).search).toBe(`?q=${WORD}&format=in-person`);
    // The search box keeps focus: the results are announced, not jumped to.
    expect(await ben.evaluate(() => document.activeElement?.textContent)).toBe('Search');
    await expect.poll(() => ben.getByRole('link', { name: SECRET }).count()).toBe(0);
    await checkBothSchemes(ben, '/groups (results)');

    // Another format finds nothing, in calm words.
    await ben.getByLabel('Format').selectOption({ label: 'Online' });
    await ben.getByRole('button', { name: 'Search', exact: true }).click();
    await ben.getByText('No groups match this search.', { exact: false }).waitFor();
    await ben.getByLabel('Format').selectOption({ label: 'In person' });
    await ben.getByRole('button', { name: 'Search', exact: true }).click();

    await ben.getByRole('link', { name: GROUP }).click();
    await ben.getByRole('heading', { name: GROUP, level: 1 }).waitFor();
    expect(await ben.getByRole('navigation', { name: 'This group' }).count()).toBe(0);
    await ben
      .getByRole('region', { name: 'Group agreements', exact: true })
      .getByText('No advice unless asked.')
      .waitFor();
    await checkBothSchemes(ben, '/groups/[slug] (visitor)');

    await ben.getByRole('button', { name: 'Ask to join' }).click();
    await ben.getByLabel(QUESTION).fill(ANSWER);
    // Not without accepting the agreements.
    await ben.getByRole('button', { name: 'Request to join' }).click();
    await ben.getByText('To go on, tick “I accept these agreements”.').waitFor();
    await ben.getByRole('checkbox', { name: 'I accept these agreements (version 1)' }).check();
    await checkBothSchemes(ben, '/groups/[slug] (asking)');
    await ben.getByRole('button', { name: 'Request to join' }).click();
    await ben.getByText('Waiting for the facilitators.', { exact: false }).waitFor();
    await checkBothSchemes(ben, '/groups/[slug] (waiting)');
  });

  it('Ana reads the answer and says yes; Ben is a member and reads the agreements', async () => {
    await ana.goto(`${suite.url}${groupPath}`);
    await ana
      .getByRole('navigation', { name: 'This group' })
      .getByRole('link', { name: 'Manage' })
      .click();
    await ana.getByRole('heading', { name: 'Asking to join' }).waitFor();
    await ana.getByText(ANSWER).waitFor();
    await checkBothSchemes(ana, '/groups/[slug]/manage');
    await ana.getByRole('button', { name: 'Say yes to ben' }).click();
    await ana.getByText('ben is now a member.').waitFor();

    await ben.reload();
    await ben.getByText("You're a member of this group.").waitFor();
    await ben
      .getByRole('navigation', { name: 'This group' })
      .getByRole('link', { name: 'Conversations' })
      .waitFor();
    await ben
      .getByRole('region', { name: 'Group agreements', exact: true })
      .getByText('What is said here stays here.')
      .waitFor();
    await checkBothSchemes(ben, '/groups/[slug] (member)');
  });

  it('Ana publishes a new version of the agreements; Ben is asked to re-accept, and does', async () => {
    const text = ana.getByRole('textbox', { name: 'Agreements' });
    await text.fill(`${await text.inputValue()}\n- ${NEW_POINT}`);
    await ana.getByRole('button', { name: 'Publish the new version' }).click();
    await ana.getByText('Version 2 is published.', { exact: false }).waitFor();

    await ben.reload();
    const changed = ben.getByRole('region', { name: 'The group agreements have changed' });
    await changed.waitFor();
    await ben
      .getByRole('region', { name: 'Group agreements', exact: true })
      .getByText(NEW_POINT)
      .waitFor();
    await checkBothSchemes(ben, '/groups/[slug] (agreement changed)');
    await changed.getByRole('checkbox', { name: 'I accept these agreements (version 2)' }).check();
    await changed.getByRole('button', { name: 'Accept the new agreements' }).click();
    await ben.getByText("Thank you — you've accepted the new agreements.").waitFor();
    expect(
      await ben.getByRole('region', { name: 'The group agreements have changed' }).count(),
    ).toBe(0);
  });

  it('an invite-only group cannot be found by Ben, and its address shows not found', async () => {
    await ben.goto(`${suite.url}/groups?q=harbour`);
    await ben.getByText('No groups match this search.', { exact: false }).waitFor();
    await ben.goto(`${suite.url}${secretPath}`);
    await ben.getByRole('heading', { name: 'Group not found', level: 1 }).waitFor();
    await checkBothSchemes(ben, '/groups/[slug] (not found)');
    await ben.goto(`${suite.url}/groups/no-such-group`);
    await ben.getByRole('heading', { name: 'Group not found', level: 1 }).waitFor();
  });

  it('Ana invites Ben to the invite-only group by handle and makes a link; Ben joins', async () => {
    await ana.goto(`${suite.url}${secretPath}/manage`);
    await ana.getByRole('heading', { name: 'Invitations' }).waitFor();
    await ana.getByLabel('Invite someone by their handle').fill('ben');
    await ana.getByRole('button', { name: 'Invite', exact: true }).click();
    await ana.getByText('ben is invited.', { exact: false }).waitFor();
    await ana.getByRole('button', { name: 'Make a link' }).click();
    const link = await ana.getByLabel('The link to pass on').inputValue();
    expect(link).toMatch(/\/groups\/join\/[A-Za-z0-9_-]{43}$/);
    await ana.getByText('A link, used by nobody yet').waitFor();
    await checkBothSchemes(ana, '/groups/[slug]/manage (invitations)');

    await ben.goto(`${suite.url}/groups`);
    const mine = ben.getByRole('region', { name: 'My groups' });
    await mine.getByText("You've been invited to this group.").waitFor();
    await mine.getByRole('link', { name: SECRET }).click();
    await ben.getByRole('heading', { name: SECRET, level: 1 }).waitFor();
    await ben.getByRole('button', { name: 'Join', exact: true }).click();
    await ben.getByRole('checkbox', { name: 'I accept these agreements (version 1)' }).check();
    await checkBothSchemes(ben, '/groups/[slug] (invited)');
    await ben.getByRole('button', { name: 'Join the group' }).click();
    await ben.getByText("You're a member of this group.").waitFor();
  });

  it('Ana changes roles; the last facilitator cannot step down, and is told why', async () => {
    await ana.reload();
    const members = ana.getByRole('region', { name: 'Members and roles' });
    await members.getByLabel('Role of ben', { exact: true }).selectOption({ label: 'Moderator' });
    await members.getByRole('button', { name: 'Change the role of ben' }).click();
    await ana.getByText('ben is now: Moderator.').waitFor();
    await members.getByLabel('Role of ana', { exact: true }).selectOption({ label: 'Member' });
    await members.getByRole('button', { name: 'Change the role of ana' }).click();
    await ana.getByText('A group needs at least one facilitator.', { exact: false }).waitFor();
    await checkBothSchemes(ana, '/groups/[slug]/manage (roles)');
  });

  it('Ben leaves, after being asked; offline, groups say they need a connection', async () => {
    await ben.goto(`${suite.url}${groupPath}`);
    await ben.getByRole('button', { name: 'Leave this group' }).click();
    await ben.getByText(`Leave ${GROUP}?`, { exact: false }).waitFor();
    await checkBothSchemes(ben, '/groups/[slug] (leaving)');
    await ben.getByRole('button', { name: 'Leave the group' }).click();
    await ben.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    await ben.getByRole('link', { name: GROUP }).first().click();
    await ben.getByRole('button', { name: 'Ask to join' }).waitFor();

    // Offline: a group's page and the list say groups need a connection; nothing breaks.
    await ben.goto(`${suite.url}/groups`);
    await ben.getByRole('heading', { name: 'Find a group' }).waitFor();
    const link = ben.getByRole('link', { name: GROUP }).first();
    await link.waitFor();
    await contexts[1]?.setOffline(true);
    await link.click();
    await ben.getByText("You're offline — groups need a connection.", { exact: false }).waitFor();
    await checkBothSchemes(ben, '/groups/[slug] (offline)');
    await ben.goBack();
    await expect.poll(() => new URL(ben.url()).pathname).toBe('/groups');
    await ben.getByRole('link', { name: 'Start a group' }).waitFor(); // the list page's own
    await ben.getByText("You're offline — groups need a connection.", { exact: false }).waitFor();
    await checkBothSchemes(ben, '/groups (offline)');
    await contexts[1]?.setOffline(false);

    expect(unexpected(anaProblems.errors)).toEqual([]);
    expect(unexpected(benProblems.errors)).toEqual([]);
  });
});
