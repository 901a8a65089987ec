import { describe, expect, it } from 'vitest';
import { PASSPHRASE, confirmRecoveryKey, signUp } from './support/accounts.js';
import { collectProblems, newContext, noBrowser } from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';
import { checkBothSchemes } from './support/axe.js';

describe.skipIf(noBrowser)('accounts pages: accessibility and console', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });

  it('every account page has no axe violations (light and dark) and no console errors', async () => {
    const context = await newContext(suite.browser);
    const page = await context.newPage();
    const problems = collectProblems(page);

    // Signed out: join (empty, then with every error showing), sign in, recover.
    await page.goto(`${suite.url}/join`);
    await page.getByRole('heading', { name: 'Join Tend' }).waitFor();
    await page.getByLabel('Handle').waitFor();
    await checkBothSchemes(page, '/join');
    await page.getByLabel('Passphrase', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByText('Please enter a handle.').waitFor();
    await expect(page.evaluate<string>('document.activeElement.id')).resolves.toBe('handle');
    await expect(page.getByLabel('Handle').getAttribute('aria-describedby')).resolves.toContain(
      'handle-error',
    );
    await checkBothSchemes(page, '/join with errors');

    for (const [path, heading] of [
      ['/sign-in', 'Sign in'],
      ['/recover', 'Recover your account'],
    ] as const) {
      await page.goto(`${suite.url}${path}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await checkBothSchemes(page, path);
    }

    // The recovery key page, right after joining; then the account page, the admin page.
    const key = await signUp(page, suite.url, 'grace');
    await checkBothSchemes(page, '/join/recovery-key');
    // Printed, the page shows only the key and what to do with it.
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate<{ header: string; key: string; form: string }>(`({
      header: getComputedStyle(document.querySelector('.site-header')).visibility,
      key: getComputedStyle(document.querySelector('[data-recovery-key]')).visibility,
      form: getComputedStyle(document.querySelector('#typed-key')).visibility,
    })`);
    expect(printed).toEqual({ header: 'hidden', key: 'visible', form: 'hidden' });
    await page.getByText('Keep this paper somewhere safe and private.').waitFor();
    await page.emulateMedia({ media: 'screen' });
    await confirmRecoveryKey(page, key);
    await page.getByText('Thank you. Your recovery key is saved.').waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Your account' }).click();
    await page.getByTestId('fingerprint').waitFor();
    await page.getByTestId('session').first().waitFor();
    await page.getByRole('button', { name: 'I want to delete my account' }).click();
    await page.getByRole('button', { name: 'Make a new recovery key' }).click();
    await page.locator('[data-recovery-key]').waitFor();
    await checkBothSchemes(page, '/account');

    await page.getByRole('navigation').getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'How people can join' }).waitFor();
    await page.getByLabel('Note for yourself (optional)').fill('for Ada');
    await page.getByRole('button', { name: 'Create an invitation link' }).click();
    await page.getByLabel('Invitation link', { exact: true }).waitFor();
    await page.getByText('for Ada').waitFor();
    await checkBothSchemes(page, '/admin');

    // The passphrase change form, with its errors showing.
    await page.getByRole('navigation').getByRole('link', { name: 'Your account' }).click();
    await page.getByTestId('fingerprint').waitFor();
    await page.getByLabel('Current passphrase').fill(PASSPHRASE);
    await page.getByLabel('New passphrase').fill('the wrong one');
    await page.getByLabel('Type the passphrase again').fill('the wrong two');
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await page.getByText('The two passphrases are not the same yet.').waitFor();
    await checkBothSchemes(page, '/account with errors');

    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
