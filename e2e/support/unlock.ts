/** Opening the vault again in a browser test (a page load locks it: the keys live in memory). */
import type { Locator, Page } from 'playwright-core';
import { PASSPHRASE } from './accounts.js';

/** The inline form opens the vault again. */
export async function unlock(page: Page): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/** After a page load: opens the vault if the page asks for it, then waits for `ready`. */
export async function unlockIfAsked(page: Page, ready: Locator): Promise<void> {
  const passphrase = page.getByLabel('Passphrase', { exact: true });
  await Promise.race([passphrase.waitFor(), ready.waitFor()]);
  if (await passphrase.isVisible()) await unlock(page);
  await ready.waitFor();
}
