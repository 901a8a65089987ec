// Joining Tend from a circle invitation link: Alex makes a link for "Robin"; someone without an
// account opens it, chooses to join, is told up front they can come back to it, saves their
// recovery key first, then chooses to go back to the invitation (a link, never a redirect),
// accepts it, and Alex sees them on the map. axe in light and dark on every page on the way.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DERIVE_TIMEOUT,
  PASSPHRASE,
  confirmRecoveryKey,
  readRecoveryKey,
  signIn,
} from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import {
  collectProblems,
  newContext,
  noBrowser,
  waitForApp,
  type PageProblems,
} from './support/browser.js';
import { openRegistration } from './support/circle.js';
import { seedAccount } from './support/seed.js';
import { useTendAndBrowser } from './support/suite.js';

const MESSAGE = 'Could you be in my pod? No pressure at all.';

describe.skipIf(noBrowser)('joining Tend from a circle invitation', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  let alex: Page;
  let alexProblems: PageProblems;
  let river: Page;
  let riverProblems: PageProblems;
  let joinLink = '';

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it('Alex makes an invitation link for Robin', async () => {
    await openRegistration(await seedAccount(suite.url, 'alex'));
    const context = await newContext(suite.browser);
    contexts.push(context);
    alex = await context.newPage();
    alexProblems = collectProblems(alex);
    await signIn(alex, suite.url, 'alex');

    await alex.getByRole('navigation').getByRole('link', { name: 'My circle' }).first().click();
    await alex
      .getByRole('navigation', { name: 'My circle pages' })
      .getByRole('link', { name: 'Invite someone' })
      .click();
    await alex.getByRole('radio', { name: "Someone you'll send a link to" }).check();
    await alex.getByLabel('Who is this link for?').fill('Robin');
    await alex.getByLabel('Your message').fill(MESSAGE);
    await alex.getByRole('button', { name: 'Make a link' }).click();
    await alex.getByRole('heading', { name: 'Your link is ready' }).waitFor();
    joinLink = await alex.getByLabel('Invitation link').inputValue();
    expect(joinLink).toMatch(
      new RegExp(`^${suite.url}/circle/join/[A-Za-z0-9_-]{43}#[A-Za-z0-9_-]{43}$`),
    );
  });

  it('signed out, they open it and choose to join; the way back is said up front', async () => {
    const context = await newContext(suite.browser);
    contexts.push(context);
    river = await context.newPage();
    riverProblems = collectProblems(river);
    await river.goto(joinLink);
    await waitForApp(river);
    await river.getByText('@alex would like you in their circle.').waitFor();
    await river.getByText(MESSAGE).waitFor();

    await river.getByRole('link', { name: 'Join Tend' }).last().click();
    await river.getByRole('heading', { name: 'Join Tend', level: 1 }).waitFor();
    await river
      .getByText(
        'You opened an invitation from @alex. Once your account is made and your recovery key is saved, you can go back to it.',
      )
      .waitFor();
    await checkBothSchemes(river, '/join (from an invitation)');

    await river.getByLabel('Handle').fill('river');
    await river.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await river.getByLabel('Type the passphrase again').fill(PASSPHRASE);
    await river.locator('.strength strong').waitFor();
    await river.getByRole('button', { name: 'Create my account' }).click();
    await river
      .getByRole('heading', { name: 'Your recovery key' })
      .waitFor({ timeout: DERIVE_TIMEOUT });
  });

  it('the recovery key comes first; then they choose to go back to the invitation', async () => {
    // Nothing leads on before the key is saved, and nothing moves on by itself.
    expect(await river.getByRole('link', { name: /Go back to the invitation/ }).count()).toBe(0);
    const key = await readRecoveryKey(river);
    await confirmRecoveryKey(river, key);
    await river.getByText('Thank you. Your recovery key is saved.').waitFor();
    const back = river.getByRole('link', { name: 'Go back to the invitation from @alex' });
    await back.waitFor();
    await river.getByRole('link', { name: 'Go to your account' }).waitFor();
    expect(new URL(river.url()).pathname).toBe('/join/recovery-key');
    await checkBothSchemes(river, '/join/recovery-key (done, from an invitation)');

    await back.click();
    await river.waitForURL(joinLink);
    await river.getByText(MESSAGE).waitFor();
    // The vault stayed open (in-app navigation): the answer form is there, no unlocking.
    await river.getByRole('button', { name: 'Accept' }).waitFor();
    await checkBothSchemes(river, '/circle/join/[token] (signed in after joining)');
  });

  it('they accept; Alex sees them in the circle', async () => {
    await river.getByRole('button', { name: 'Accept' }).click();
    await river.getByText("You're in @alex's circle now.").waitFor();

    // Opening the map takes the answer in: Robin's entry is now river on Tend.
    await alex
      .getByRole('navigation', { name: 'My circle pages' })
      .getByRole('link', { name: 'My circle' })
      .click();
    const card = alex.getByRole('article', { name: 'Robin' });
    await card.getByText('On Tend as @river').waitFor({ timeout: 20_000 });
    await alex
      .getByRole('navigation', { name: 'My circle pages' })
      .getByRole('link', { name: 'Invitations' })
      .click();
    await alex.getByRole('listitem').filter({ hasText: '@river' }).getByText('Accepted').waitFor();

    // Answered: the kept link is gone, so the circle pages no longer offer it.
    expect(await river.evaluate(() => sessionStorage.getItem('tend.pendingJoin'))).toBeNull();
    expect(alexProblems.errors).toEqual([]);
    expect(riverProblems.errors).toEqual([]);
  });
});
