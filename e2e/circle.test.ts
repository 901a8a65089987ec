// My circle in the browser, with two people: Alex builds a pod map (one person added by keyboard
// alone), invites Sam by handle; Sam reads the ask and accepts with what they can offer; Alex
// compares Sam's fingerprint and marks it verified, shares their crisis section with Sam; Sam
// reads it under "Circles I'm in"; Alex stops sharing and Sam no longer sees it. axe in light and
// dark on every circle page.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DERIVE_TIMEOUT, PASSPHRASE, confirmRecoveryKey, signUp } from './support/accounts.js';
import {
  collectProblems,
  newContext,
  noBrowser,
  waitForApp,
  type PageProblems,
} from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';
import { checkBothSchemes } from './support/axe.js';

async function account(
  suite: { browser: Parameters<typeof newContext>[0]; url: string },
  handle: string,
) {
  const context = await newContext(suite.browser);
  const page = await context.newPage();
  const problems = collectProblems(page);
  const key = await signUp(page, suite.url, handle);
  await confirmRecoveryKey(page, key);
  await page.getByText('Thank you. Your recovery key is saved.').waitFor();
  return { context, page, problems };
}

describe.skipIf(noBrowser)('my circle', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  let alex: Page;
  let alexProblems: PageProblems;

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it('builds a pod map, one person by keyboard alone', async () => {
    const a = await account(suite, 'alex');
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
    await alex.keyboard.press('Tab'); // first offer: Listen
    await alex.keyboard.press('Space');
    await alex.keyboard.press('Tab'); // Check in on me
    await alex.keyboard.press('Tab'); // Visit
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
      'Listen',
      'Visit',
      'Cooks a mean soup',
    ]);
    await jo.getByText('Evenings and weekends').waitFor();
    await jo.getByText('Text first, then call').waitFor();
    await jo.getByText('No Tend account').waitFor();

    // A group in the third ring, and someone who could be in the pod.
    const network = alex.getByRole('region', { name: 'Groups and networks I can draw on' });
    await network.getByRole('button', { name: /Add someone/ }).click();
    await alex.getByLabel('Name').fill('Tuesday peer group');
    await alex.getByRole('checkbox', { name: 'Listen' }).check();
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
    expect(
      alexProblems.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e)),
    ).toEqual([]);
  });
});
