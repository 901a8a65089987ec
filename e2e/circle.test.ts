// My circle in the browser, with two people: Alex builds a pod map (one person added by keyboard
// alone), invites Sam by handle; Sam reads the ask and accepts with what they can offer; Alex
// compares Sam's fingerprint and marks it verified, shares their crisis section with Sam; Sam
// reads it under "Circles I'm in"; Alex edits it in the plan and Sam sees the edit; Alex stops
// sharing and Sam no longer sees it. axe in light and dark on every circle page.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePlanItem, type Plan, type Section } from '../core/src/plans/index.js';
import { DERIVE_TIMEOUT, PASSPHRASE, fingerprintOf, signIn } from './support/accounts.js';
import {
  collectProblems,
  newContext,
  noBrowser,
  waitForApp,
  type PageProblems,
} from './support/browser.js';
import { seedAccount } from './support/seed.js';
import { useTendAndBrowser, type Suite } from './support/suite.js';
import { checkBothSchemes } from './support/axe.js';

const NOW = '2026-11-20T09:00:00.000Z';
const STEP_IN = 'Signs that I need others to step in';
const SHARED_WORDS = 'I stop answering messages for two days';
const PRIVATE_WORDS = 'Only for me: the long walk by the canal';
const EDITED_WORDS = 'I stop answering messages for a whole day';
const plan: Plan = {
  v: 1,
  id: 'plan-crisis',
  title: 'Crisis plan',
  templateId: 'crisis',
  sectionIds: ['sec-well', 'sec-step-in'],
  createdAt: NOW,
  updatedAt: NOW,
  pinned: false,
  retention: { keepVersions: 200 },
};
const sections: Section[] = [
  {
    v: 1,
    id: 'sec-well',
    planId: plan.id,
    key: 'well',
    title: "What I'm like when I'm well",
    kind: 'text',
    visibility: 'private',
    updatedAt: NOW,
    body: PRIVATE_WORDS,
  },
  {
    v: 1,
    id: 'sec-step-in',
    planId: plan.id,
    key: 'stepIn',
    title: STEP_IN,
    kind: 'list',
    visibility: 'supporters',
    updatedAt: NOW,
    entries: [{ id: 'e1', text: SHARED_WORDS, visibility: 'supporters' }],
  },
];
const planItems = [
  { itemId: plan.id, type: 'plan', plaintext: encodePlanItem(plan) },
  ...sections.map((s) => ({ itemId: s.id, type: 'plan.section', plaintext: encodePlanItem(s) })),
];

async function person(suite: Suite, handle: string, plans = false) {
  const seeded = await seedAccount(suite.url, handle, plans ? { plans: planItems } : {});
  if (plans) {
    // Alex is the first account (the admin): open sign-up so Sam can join without an invite.
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

/** Errors a browser logs by itself while offline (failed requests), which are expected. */
const withoutOfflineNoise = (errors: readonly string[]) =>
  errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e));

describe.skipIf(noBrowser)('my circle', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  let alex: Page;
  let alexProblems: PageProblems;
  let sam: Page;
  let samProblems: PageProblems;

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it('builds a pod map, one person by keyboard alone', async () => {
    const a = await person(suite, 'alex', true);
    contexts.push(a.context);
    alex = a.page;
    alexProblems = a.problems;

    await alex.getByRole('navigation').getByRole('link', { name: 'My circle' }).click();
    await alex.getByRole('heading', { name: 'My circle', level: 1 }).waitFor();
    const pod = alex.getByRole('region', { name: 'My pod', exact: true });
    await pod.getByText('Nobody here yet.').waitFor();
    await checkBothSchemes(alex, '/circle (empty)');

    // Keyboard only: open the form, name, offers, availability, reach, save.
    await pod.getByRole('button', { name: 'Add someone to “My pod”' }).focus();
    await alex.keyboard.press('Enter');
    const name = alex.getByLabel('Name');
    await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true);
    await alex.keyboard.press('Enter'); // submitting without a name says so by the field
    await alex.getByText('Please add a name, so you can find them on your map.').waitFor();
    await alex.keyboard.type('Jo');
    await alex.keyboard.press('Tab'); // ring: My pod (checked)
    await alex.keyboard.press('Tab'); // first offer: Listening
    await alex.keyboard.press('Space');
    await alex.keyboard.press('Tab'); // Check in on me
    await alex.keyboard.press('Tab'); // Visiting
    await alex.keyboard.press('Space');
    for (let i = 0; i < 8; i += 1) await alex.keyboard.press('Tab'); // past the other offers
    await alex.keyboard.type('Cooks a mean soup');
    await alex.keyboard.press('Tab');
    await alex.keyboard.type('Evenings and weekends');
    await alex.keyboard.press('Tab');
    await alex.keyboard.type('Text first, then call');
    await alex.keyboard.press('Enter');

    const jo = pod.getByRole('article', { name: 'Jo' });
    await jo.waitFor();
    await expect
      .poll(() =>
        jo.getByRole('heading', { name: 'Jo' }).evaluate((el) => el === document.activeElement),
      )
      .toBe(true);
    expect(await jo.getByRole('listitem').allTextContents()).toEqual([
      'Listening',
      'Visiting',
      'Cooks a mean soup',
    ]);
    await jo.getByText('Evenings and weekends').waitFor();
    await jo.getByText('Text first, then call').waitFor();
    await jo.getByText('No Tend account').waitFor();

    // A group in the third ring, and someone who could be in the pod.
    const network = alex.getByRole('region', { name: 'Groups and networks I can draw on' });
    await network.getByRole('button', { name: /Add someone/ }).click();
    await alex.getByLabel('Name').fill('Tuesday peer group');
    await alex.getByRole('checkbox', { name: 'Listening' }).check();
    await alex.getByRole('button', { name: 'Add to my map' }).click();
    await network.getByRole('article', { name: 'Tuesday peer group' }).waitFor();

    // Moving Jo, then back again; the list view shows the same lists.
    await jo
      .getByRole('combobox', { name: 'Move Jo to' })
      .selectOption({ label: 'Could be in my pod' });
    await jo.getByRole('button', { name: 'Move Jo to Could be in my pod' }).click();
    const couldBe = alex.getByRole('region', { name: /Could be in my pod/ });
    await couldBe.getByRole('article', { name: 'Jo' }).waitFor();
    await alex.getByText('Jo is now in “Could be in my pod”.').waitFor();
    await alex.getByRole('radio', { name: 'List' }).check();
    await checkBothSchemes(alex, '/circle (list)');
    await alex.getByRole('radio', { name: 'Map' }).check();

    // Still there after a reload and unlocking (a vault item on this device).
    await alex.reload();
    await waitForApp(alex);
    await alex.getByText('Your data is locked on this device.').waitFor();
    await alex.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await alex.keyboard.press('Enter');
    await couldBe.getByRole('article', { name: 'Jo' }).waitFor({ timeout: DERIVE_TIMEOUT });

    // Offline, the map still changes (and syncs later).
    await a.context.setOffline(true);
    await couldBe.getByRole('combobox', { name: 'Move Jo to' }).selectOption({ label: 'My pod' });
    await couldBe.getByRole('button', { name: 'Move Jo to My pod' }).click();
    await pod.getByRole('article', { name: 'Jo' }).waitFor();
    await a.context.setOffline(false);
    await checkBothSchemes(alex, '/circle (map)');
    expect(withoutOfflineNoise(alexProblems.errors)).toEqual([]);
  });

  it('invites Sam by handle; Sam reads the ask and accepts with what they can offer', async () => {
    const b = await person(suite, 'sam');
    contexts.push(b.context);
    sam = b.page;
    samProblems = b.problems;

    const circleNav = alex.getByRole('navigation', { name: 'My circle pages' });
    await circleNav.getByRole('link', { name: 'Invite someone' }).click();
    await alex.getByRole('heading', { name: 'Invite someone into my circle', level: 1 }).waitFor();
    await alex.getByLabel('Their Tend handle').fill('sam');
    await alex.getByRole('button', { name: 'Find them' }).click();
    await alex.getByText('Found @sam.').waitFor();
    await expect
      .poll(() => alex.getByTestId('circle-fingerprint').getByRole('listitem').count())
      .toBe(12);
    await alex.getByLabel('Your message').fill('Would you be someone I can call on a bad night?');
    const asking = alex.getByRole('group', { name: "What I'd like them to be there for" });
    await asking.getByRole('checkbox', { name: 'Listening' }).check();
    await asking.getByRole('checkbox', { name: 'Checking in' }).check();
    await alex.getByRole('checkbox', { name: "I'm struggling — please reach out" }).check();
    await checkBothSchemes(alex, '/circle/invite (found)');
    await alex.getByRole('button', { name: 'Send invitation' }).click();
    await alex
      .getByText("Invitation sent to @sam. You'll see their answer under Invitations.")
      .waitFor();

    // Moving within the app (a reload would lock the vault again).
    await sam.getByRole('navigation').getByRole('link', { name: 'My circle' }).first().click();
    await sam
      .getByRole('navigation', { name: 'My circle pages' })
      .getByRole('link', { name: 'Invitations' })
      .click();
    const invitation = sam.getByRole('article', { name: 'From @alex' });
    await invitation.getByText('Would you be someone I can call on a bad night?').waitFor();
    await invitation.getByText("I'm struggling — please reach out").waitFor();
    await checkBothSchemes(sam, '/circle/invitations (one to answer)');
    // What was asked is ticked to start with; Sam says what they can actually offer.
    const offers = invitation.getByRole('group', { name: 'What you can offer' });
    await expect(offers.getByRole('checkbox', { name: 'Listening' }).isChecked()).resolves.toBe(
      true,
    );
    await offers.getByRole('checkbox', { name: 'Checking in' }).uncheck();
    await offers.getByRole('checkbox', { name: 'Transport' }).check();
    await invitation.getByLabel('In your own words').fill('Long walks and a sofa');
    await invitation.getByLabel("When you're usually around").fill('Weekday evenings');
    await invitation.getByLabel('How they can reach you').fill('Signal, any time');
    await invitation.getByRole('button', { name: 'Accept' }).click();
    await sam.getByText("You're in @alex's circle now.").waitFor();
    await sam.getByText('No invitations right now.').waitFor();
  });

  it('Alex sees Sam’s answer on the map and verifies their fingerprint', async () => {
    // Opening the map takes Sam's answer in, in Sam's words.
    await alex
      .getByRole('navigation', { name: 'My circle pages' })
      .getByRole('link', { name: 'My circle' })
      .click();
    const card = alex
      .getByRole('region', { name: 'My pod', exact: true })
      .getByRole('article', { name: 'sam' });
    await card.getByText('Weekday evenings').waitFor();
    await card.getByText('Not verified yet').waitFor();
    await card.getByText('On Tend as @sam').waitFor();
    expect(await card.getByRole('listitem').allTextContents()).toEqual([
      'Listening',
      'Transport',
      'Long walks and a sofa',
    ]);

    await alex
      .getByRole('navigation', { name: 'My circle pages' })
      .getByRole('link', { name: 'Invitations' })
      .click();
    await alex.getByRole('listitem').filter({ hasText: 'To @sam' }).getByText('Accepted').waitFor();
    await checkBothSchemes(alex, '/circle/invitations (sent)');
    await alex
      .getByRole('navigation', { name: 'My circle pages' })
      .getByRole('link', { name: 'My circle' })
      .click();
    await card.getByText('Weekday evenings').waitFor();

    await card.getByRole('link', { name: 'Details and sharing for sam' }).click();
    await alex.getByRole('heading', { name: "Checking it's really them" }).waitFor();
    await alex.getByTestId('circle-fingerprint').waitFor();
    const shown = (
      await alex.getByTestId('circle-fingerprint').getByRole('listitem').allTextContents()
    ).join(' ');
    await sam.getByRole('navigation').getByRole('link', { name: 'Your account' }).click();
    await sam.getByTestId('fingerprint').waitFor();
    expect(shown).toBe((await fingerprintOf(sam)).replace(/\s+/g, ' '));
    await alex.getByTestId('circle-qr').waitFor();
    await checkBothSchemes(alex, '/circle/people/[id] (not verified)');
    await alex.getByRole('button', { name: 'We compared and they match' }).click();
    await alex
      .getByText(/^Verified on /)
      .first()
      .waitFor();
    await alex
      .getByRole('article', { name: 'sam' })
      .getByText('Verified', { exact: true })
      .waitFor();
  });

  it('Alex shares the crisis section with Sam, then stops; Sam sees it, then no longer', async () => {
    const choice = alex.getByRole('checkbox', { name: `Crisis plan: ${STEP_IN}` });
    await choice.check();
    await alex.getByRole('button', { name: 'Save what they can see' }).click();
    await alex.getByText('Saved. sam sees exactly what is ticked.').waitFor({ timeout: 20_000 });
    await checkBothSchemes(alex, '/circle/people/[id] (verified, sharing)');

    await sam.getByRole('navigation').getByRole('link', { name: 'My circle' }).first().click();
    await sam
      .getByRole('navigation', { name: 'My circle pages' })
      .getByRole('link', { name: "Circles I'm in" })
      .click();
    const theirs = sam.getByRole('article', { name: '@alex' });
    await theirs.getByText(SHARED_WORDS).waitFor({ timeout: 20_000 });
    await theirs.getByRole('heading', { name: STEP_IN }).waitFor();
    expect(await sam.getByText(PRIVATE_WORDS).count()).toBe(0);
    await checkBothSchemes(sam, '/circle/supporting (shared)');

    // Alex edits the shared section in the plan: the edit reaches Sam by itself (auto-share.ts),
    // without another visit to the sharing choices.
    await alex.getByRole('navigation').getByRole('link', { name: 'My plan' }).click();
    await alex.getByRole('link', { name: 'Crisis plan' }).click({ timeout: 20_000 });
    await alex.getByRole('textbox', { name: 'Item 1', exact: true }).fill(EDITED_WORDS);
    await alex
      .getByTestId('save-status')
      .getByText(/Saved on this device|Synced/)
      .waitFor();
    const circlePages = sam.getByRole('navigation', { name: 'My circle pages' });
    await expect
      .poll(
        async () => {
          await circlePages.getByRole('link', { name: 'My circle' }).click();
          await circlePages.getByRole('link', { name: "Circles I'm in" }).click();
          await theirs.waitFor();
          return theirs.getByText(EDITED_WORDS).count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(1);
    expect(await theirs.getByText(SHARED_WORDS).count()).toBe(0);
    await alex.goBack();
    await alex.goBack();
    await alex.getByRole('button', { name: 'Save what they can see' }).waitFor();

    await choice.uncheck();
    await alex.getByRole('button', { name: 'Save what they can see' }).click();
    await alex.getByText('Saved. sam sees exactly what is ticked.').waitFor({ timeout: 20_000 });

    await sam
      .getByRole('navigation', { name: 'My circle pages' })
      .getByRole('link', { name: 'My circle' })
      .click();
    await sam
      .getByRole('navigation', { name: 'My circle pages' })
      .getByRole('link', { name: "Circles I'm in" })
      .click();
    await theirs.getByText("You can't see any of their plan.").waitFor({ timeout: 20_000 });
    expect(await sam.getByText(SHARED_WORDS).count()).toBe(0);
    expect(await sam.getByText(EDITED_WORDS).count()).toBe(0);
    await checkBothSchemes(sam, '/circle/supporting (nothing shared)');
    expect(withoutOfflineNoise(samProblems.errors)).toEqual([]);
    expect(withoutOfflineNoise(alexProblems.errors)).toEqual([]);
  });

  it('settings, who sees what, a link share and a link invitation, opened without an account', async () => {
    const circleNav = alex.getByRole('navigation', { name: 'My circle pages' });
    await circleNav.getByRole('link', { name: 'Reaching out' }).click();
    await alex.getByRole('heading', { name: 'When I reach out', level: 1 }).waitFor();
    const struggling = alex.getByRole('group', { name: "I'm struggling — please reach out" });
    await struggling
      .getByRole('group', { name: 'Reach first' })
      .getByRole('checkbox', { name: 'sam' })
      .check();
    await struggling.getByLabel('After how many minutes').fill('soon');
    await alex.getByLabel('How to reach me', { exact: true }).fill('Text first; I may not pick up');
    await alex.getByRole('button', { name: 'Add another' }).click();
    await alex.getByLabel('Name').fill('Peer warmline');
    await alex.getByLabel('How to reach it').fill('0800 000 000, evenings');
    await alex.getByLabel("Today's word").fill('foggy');
    await alex.getByRole('radio', { name: 'Blue' }).check();
    await alex.getByRole('button', { name: 'Save' }).click();
    await alex
      .getByText('Please give a whole number of minutes, from 1 to 1440 — or leave it empty.')
      .waitFor();
    await struggling.getByLabel('After how many minutes').fill('15');
    await alex.getByRole('button', { name: 'Save' }).click();
    await alex.getByText('Saved on this device.').waitFor();
    await checkBothSchemes(alex, '/circle/settings');

    await circleNav.getByRole('link', { name: 'Who sees what' }).click();
    const table = alex.getByRole('table', { name: 'What each person in your circle can see' });
    await table.getByRole('rowheader', { name: 'sam' }).waitFor();
    expect(await table.getByRole('columnheader').allTextContents()).toEqual([
      'Person',
      `Crisis plan: ${STEP_IN}`,
      'Daily word',
      'How to reach me',
    ]);
    await alex.getByLabel('Who is this link for?').fill('Jo');
    await alex
      .getByRole('group', { name: 'Sections in this link' })
      .getByRole('checkbox', { name: `Crisis plan: ${STEP_IN}` })
      .check();
    await alex.getByRole('button', { name: 'Make a link' }).click();
    await alex.getByText('Link made. Copy it now and send it any way you like.').waitFor();
    const shareLink = await alex.getByLabel('Link', { exact: true }).inputValue();
    expect(shareLink).toMatch(
      new RegExp(`^${suite.url}/shared/[A-Za-z0-9_-]{43}#[A-Za-z0-9_-]{43}$`),
    );
    await alex.getByText(/^Jo —/).waitFor();
    await checkBothSchemes(alex, '/circle/sharing');

    // Someone without an account reads it; no sign-in.
    const visitor = await newContext(suite.browser);
    contexts.push(visitor);
    const guest = await visitor.newPage();
    await guest.goto(shareLink);
    await waitForApp(guest);
    await guest.getByText(EDITED_WORDS).waitFor();
    await guest.getByText(/^This link works until /).waitFor();
    expect(await guest.getByText(PRIVATE_WORDS).count()).toBe(0);
    await checkBothSchemes(guest, '/shared/[token]');

    await alex.getByRole('button', { name: 'Revoke the link for Jo' }).click();
    await alex.getByRole('button', { name: 'Yes, revoke' }).click();
    await alex.getByText('The link is revoked.').waitFor();
    await guest.reload();
    await waitForApp(guest);
    await guest
      .getByText("This link isn't working any more. It may have expired or been revoked.")
      .waitFor();

    // A link invitation, opened signed out.
    await circleNav.getByRole('link', { name: 'Invite someone' }).click();
    await alex.getByRole('radio', { name: "Someone you'll send a link to" }).check();
    await alex.getByLabel('Who is this link for?').fill('Robin');
    await alex.getByLabel('Your message').fill('Could you be in my pod?');
    await alex.getByRole('button', { name: 'Make a link' }).click();
    await alex.getByRole('heading', { name: 'Your link is ready' }).waitFor();
    const joinLink = await alex.getByLabel('Invitation link').inputValue();
    expect(joinLink).toMatch(
      new RegExp(`^${suite.url}/circle/join/[A-Za-z0-9_-]{43}#[A-Za-z0-9_-]{43}$`),
    );
    await checkBothSchemes(alex, '/circle/invite (link made)');
    await guest.goto(joinLink);
    await waitForApp(guest);
    await guest.getByText('@alex would like you in their circle.').waitFor();
    await guest.getByText('Could you be in my pod?').waitFor();
    await guest.getByRole('link', { name: 'Sign in' }).last().waitFor();
    await checkBothSchemes(guest, '/circle/join/[token] (signed out)');
    // Without the part after #, nothing opens.
    await guest.goto(joinLink.replace(/#.*$/, ''));
    await waitForApp(guest);
    await guest.getByText(/This link is incomplete/).waitFor();
    // Signing in from the invitation comes back to it, key and all.
    await seedAccount(suite.url, 'robin');
    await guest.goto(joinLink);
    await waitForApp(guest);
    await guest.getByRole('link', { name: 'Sign in' }).last().click();
    await guest.getByRole('heading', { name: 'Sign in' }).waitFor();
    await guest.getByLabel('Handle').fill('robin');
    await guest.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await guest.getByRole('button', { name: 'Sign in' }).click();
    await guest.waitForURL(joinLink, { timeout: DERIVE_TIMEOUT });
    await guest.getByText('Could you be in my pod?').waitFor();
    expect(withoutOfflineNoise(alexProblems.errors)).toEqual([]);
  });
});
