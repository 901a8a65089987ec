// Account journeys through the real UI: sign up, save the recovery key, sign in, read the
// account page. Every passphrase goes through Argon2id (64 MiB) in the browser's worker.
import type { Page } from 'playwright-core';

/** Argon2id at 64 MiB plus the network: generous, for slow CI machines. */
export const DERIVE_TIMEOUT = 60_000;

export const PASSPHRASE = 'quiet river lantern orchard seventy';

/** Fills /join and submits; waits for the recovery key page and returns the key shown. */
export async function signUp(
  page: Page,
  baseUrl: string,
  handle: string,
  passphrase = PASSPHRASE,
  path = '/join',
): Promise<string> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByRole('heading', { name: 'Join Tend' }).waitFor();
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Type the passphrase again').fill(passphrase);
  // The strength check (zxcvbn, loaded on demand) has run.
  await page.locator('.strength strong').waitFor();
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page
    .getByRole('heading', { name: 'Your recovery key' })
    .waitFor({ timeout: DERIVE_TIMEOUT });
  return readRecoveryKey(page);
}

export async function readRecoveryKey(page: Page): Promise<string> {
  const key = await page.locator('[data-recovery-key]').getAttribute('data-recovery-key');
  if (!key) throw new Error('no recovery key shown');
  return key;
}

/** Types the key back (as a person might: lower case, spaces) and confirms. */
export async function confirmRecoveryKey(page: Page, key: string, passphrase?: string) {
  await page.locator('input#typed-key').fill(key.toLowerCase().replaceAll('-', ' '));
  if (passphrase !== undefined) {
    await page.locator('input#confirm-passphrase').fill(passphrase);
  }
  await page.getByRole('button', { name: "I've saved it — continue" }).click();
}

/** Signs in on /sign-in and waits for the account page. */
export async function signIn(page: Page, baseUrl: string, handle: string, passphrase = PASSPHRASE) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page
    .getByRole('heading', { name: 'Your account', level: 1 })
    .waitFor({ timeout: DERIVE_TIMEOUT });
  await page.getByTestId('fingerprint').waitFor();
}

/** Tries to sign in and returns the error shown (the attempt is expected to fail). */
export async function failedSignIn(
  page: Page,
  baseUrl: string,
  handle: string,
  passphrase: string,
): Promise<string> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.locator('[role="alert"] p');
  await alert.waitFor({ timeout: DERIVE_TIMEOUT });
  return (await alert.textContent()) ?? '';
}

export async function fingerprintOf(page: Page): Promise<string> {
  return ((await page.getByTestId('fingerprint').textContent()) ?? '').trim();
}

/** Expected failures (a wrong passphrase) make the browser log the 401 response. */
export function withoutExpected401(errors: readonly string[]): string[] {
  return errors.filter(
    (e) => !/Failed to load resource: the server responded with a status of 401/.test(e),
  );
}
