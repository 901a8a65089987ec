import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DERIVE_TIMEOUT,
  PASSPHRASE,
  confirmRecoveryKey,
  failedSignIn,
  fingerprintOf,
  signIn,
  signUp,
  withoutExpected401,
} from './support/accounts.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';

const FINGERPRINT = /^(\d{5} ){11}\d{5}$/;
const NEW_PASSPHRASE = 'amber meadow violin thirteen kettle';
const THIRD_PASSPHRASE = 'copper tulip harbour ninety falcon';

describe.skipIf(noBrowser)('accounts: the whole journey', () => {
  // Enough sign-in attempts per minute for one file's journeys from one address.
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  let recoveryKey = '';
  let fingerprint = '';

  async function fresh(): Promise<{ page: Page; problems: PageProblems }> {
    const context = await newContext(suite.browser);
    contexts.push(context);
    const page = await context.newPage();
    return { page, problems: collectProblems(page) };
  }

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  let pageA: Page;
  let problemsA: PageProblems;

  it('signs up (the first account is the admin) and confirms the recovery key', async () => {
    ({ page: pageA, problems: problemsA } = await fresh());
    await pageA.goto(`${suite.url}/join`);
    await pageA.getByText('You are the first person here').waitFor();
    // A weak passphrase is refused, kindly, before anything is derived.
    await pageA.getByLabel('Handle').fill('ada');
    await pageA.getByLabel('Passphrase', { exact: true }).fill('password12');
    await pageA.getByLabel('Type the passphrase again').fill('password12');
    await pageA.locator('.strength strong').waitFor();
    await pageA.getByRole('button', { name: 'Create my account' }).click();
    await pageA.getByText('would be easy for someone else to guess').waitFor();
    await expect(
      pageA.getByLabel('Passphrase', { exact: true }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');

    recoveryKey = await signUp(pageA, suite.url, 'ada');
    expect(recoveryKey).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);

    // A wrong key is not accepted.
    const wrong = `${recoveryKey.slice(0, -1)}${recoveryKey.endsWith('0') ? '1' : '0'}`;
    await pageA.getByLabel('Recovery key', { exact: true }).fill(wrong);
    await pageA.getByRole('button', { name: "I've saved it — continue" }).click();
    await pageA.getByText("That doesn't look like a complete recovery key yet").waitFor();

    await confirmRecoveryKey(pageA, recoveryKey);
    await pageA.getByText('Thank you. Your recovery key is saved.').waitFor();
    await pageA.getByRole('link', { name: 'Your account' }).first().waitFor();
    await pageA.getByRole('link', { name: 'Admin' }).waitFor();

    // Nothing private is kept in web storage.
    const stored = await pageA.evaluate<string>(
      `JSON.stringify({ l: { ...localStorage }, s: { ...sessionStorage } })`,
    );
    expect(stored).not.toContain(recoveryKey);
    expect(stored).not.toContain(PASSPHRASE);
    expect(Object.keys((JSON.parse(stored) as { l: object }).l)).toEqual(
      expect.arrayContaining(['tend.signedIn']),
    );
    expect(problemsA.errors).toEqual([]);
  });

  it('signs out and signs in again with the keyboard only', async () => {
    await pageA.getByRole('button', { name: 'Sign out', exact: true }).click();
    await pageA.getByRole('heading', { name: 'Sign in' }).waitFor();
    await pageA.getByRole('navigation').getByRole('link', { name: 'Join' }).waitFor();

    await pageA.goto(`${suite.url}/sign-in`);
    await pageA.getByRole('heading', { name: 'Sign in' }).waitFor();
    for (let i = 0; i < 20; i += 1) {
      await pageA.keyboard.press('Tab');
      if ((await pageA.evaluate<string>('document.activeElement.id')) === 'handle') break;
    }
    await expect(pageA.evaluate<string>('document.activeElement.id')).resolves.toBe('handle');
    await pageA.keyboard.type('ADA');
    await pageA.keyboard.press('Tab');
    await expect(pageA.evaluate<string>('document.activeElement.id')).resolves.toBe('passphrase');
    await pageA.keyboard.type(PASSPHRASE);
    await pageA.keyboard.press('Enter');
    await pageA.getByRole('progressbar').waitFor();
    await pageA
      .getByRole('heading', { name: 'Your account', level: 1 })
      .waitFor({ timeout: DERIVE_TIMEOUT });
    await pageA.getByTestId('fingerprint').waitFor();
    // Focus moved to the new page's heading.
    await expect(pageA.evaluate<string>('document.activeElement.tagName')).resolves.toBe('H1');
    await expect(pageA.getByTestId('handle').textContent()).resolves.toBe('ada');
    fingerprint = await fingerprintOf(pageA);
    expect(fingerprint).toMatch(FINGERPRINT);
    expect(problemsA.errors).toEqual([]);
  });

  let pageB: Page;
  it('a second browser signs in to the same account: same handle and fingerprint', async () => {
    let problemsB: PageProblems;
    ({ page: pageB, problems: problemsB } = await fresh());
    await signIn(pageB, suite.url, 'ada');
    await expect(pageB.getByTestId('handle').textContent()).resolves.toBe('ada');
    await expect(fingerprintOf(pageB)).resolves.toBe(fingerprint);
    expect(problemsB.errors).toEqual([]);
  });

  it('lists both sessions and ends the other one', async () => {
    const sessions = pageB.getByTestId('session');
    await expect.poll(() => sessions.count()).toBe(2);
    await expect(sessions.filter({ hasText: 'this device' }).count()).resolves.toBe(1);
    await sessions.getByRole('button').first().click();
    await pageB.getByText('Signed out there.').waitFor();
    await expect.poll(() => sessions.count()).toBe(1);

    // The first browser's session is gone: after a reload it is signed out.
    await pageA.reload();
    await pageA.getByText('You are not signed in.').waitFor();
  });

  it('after a reload the vault is locked; the passphrase alone unlocks it', async () => {
    await pageB.reload();
    await pageB.getByText('Your data is locked on this device.').waitFor();
    await pageB.getByRole('link', { name: 'Unlock it with your passphrase' }).click();
    await pageB.getByRole('heading', { name: 'Unlock' }).waitFor();
    await pageB.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await pageB.getByRole('button', { name: 'Unlock' }).click();
    await pageB.getByTestId('fingerprint').waitFor({ timeout: DERIVE_TIMEOUT });
    await expect(fingerprintOf(pageB)).resolves.toBe(fingerprint);
  });

  it('recovers a forgotten passphrase with the recovery key, then saves a new key', async () => {
    const { page, problems } = await fresh();
    await page.goto(`${suite.url}/recover`);
    await page.getByRole('heading', { name: 'Recover your account' }).waitFor();
    await page.getByLabel('Handle').fill('ada');
    await page.getByLabel('Recovery key').fill(recoveryKey.replaceAll('-', ' '));
    await page.getByLabel('New passphrase').fill(NEW_PASSPHRASE);
    await page.getByLabel('Type the passphrase again').fill(NEW_PASSPHRASE);
    await page.locator('.strength strong').waitFor();
    await page.getByRole('button', { name: 'Set my new passphrase' }).click();
    await page
      .getByRole('heading', { name: 'A new recovery key' })
      .waitFor({ timeout: DERIVE_TIMEOUT });
    const newKey = await page.locator('[data-recovery-key]').getAttribute('data-recovery-key');
    expect(newKey).toBeTruthy();
    expect(newKey).not.toBe(recoveryKey);
    await confirmRecoveryKey(page, newKey ?? '');
    await page.getByText('Your old recovery key no longer works.').waitFor({ timeout: 20_000 });
    expect(problems.errors).toEqual([]);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // Every other session was ended by the recovery.
    await pageB.reload();
    await pageB.getByText('You are not signed in.').waitFor();

    // The old passphrase no longer works; the new one does, with the same identity.
    const old = await failedSignIn(page, suite.url, 'ada', PASSPHRASE);
    expect(old).toContain("That handle and passphrase don't match");
    await signIn(page, suite.url, 'ada', NEW_PASSPHRASE);
    await expect(fingerprintOf(page)).resolves.toBe(fingerprint);
    expect(withoutExpected401(problems.errors)).toEqual([]);
    pageA = page;
  });

  it('changes the passphrase and makes a new recovery key from the account page', async () => {
    const page = pageA;
    await page.getByLabel('Current passphrase').fill(NEW_PASSPHRASE);
    await page.getByLabel('New passphrase').fill(THIRD_PASSPHRASE);
    await page.getByLabel('Type the passphrase again').fill(THIRD_PASSPHRASE);
    await page.locator('.strength strong').waitFor();
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await page.getByText('Your passphrase is changed.').waitFor({ timeout: DERIVE_TIMEOUT });

    await page.getByRole('button', { name: 'Make a new recovery key' }).click();
    const key = await page.locator('[data-recovery-key]').getAttribute('data-recovery-key');
    await confirmRecoveryKey(page, key ?? '', THIRD_PASSPHRASE);
    await page
      .getByText('Your old recovery key no longer works.')
      .waitFor({ timeout: DERIVE_TIMEOUT });
  });

  it('deletes the account after a clear confirmation; afterwards sign-in fails', async () => {
    const page = pageA;
    await page.getByRole('button', { name: 'I want to delete my account' }).click();
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    await page.getByText('Please tick the box if you are sure.').waitFor();
    await page.getByLabel('I understand that my account').check();
    await page
      .getByRole('region', { name: 'Delete your account' })
      .getByLabel('Passphrase', { exact: true })
      .fill(THIRD_PASSPHRASE);
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    await page
      .getByText('Your account has been deleted. Take care.')
      .waitFor({ timeout: DERIVE_TIMEOUT });
    await page.getByRole('navigation').getByRole('link', { name: 'Sign in' }).waitFor();

    const after = await failedSignIn(page, suite.url, 'ada', THIRD_PASSPHRASE);
    expect(after).toContain("That handle and passphrase don't match");
  });
});
