// The vault in the app: offline cold start and unlock, sync status, data export, the conflict
// page and sign-out that asks before unsynced changes would be lost.
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DERIVE_TIMEOUT,
  PASSPHRASE,
  confirmRecoveryKey,
  signIn,
  signUp,
} from './support/accounts.js';
import {
  collectProblems,
  newContext,
  noBrowser,
  waitForApp,
  waitForExpression,
  type PageProblems,
} from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';
import { checkBothSchemes } from './support/axe.js';

/** Adds a record to one store of this device's vault database (its account is the current one). */
async function addToVaultDb(page: Page, storeName: string, record: string): Promise<string> {
  return page.evaluate<string>(`(async () => {
    const open = (name) => new Promise((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const device = await open('tend-device');
    const id = await new Promise((resolve) => {
      const r = device.transaction('meta').objectStore('meta').get('current');
      r.onsuccess = () => resolve(r.result);
    });
    device.close();
    const db = await open('tend-vault-' + id);
    await new Promise((resolve, reject) => {
      const tx = db.transaction('${storeName}', 'readwrite');
      tx.objectStore('${storeName}').add(${record});
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    return id;
  })()`);
}

const status = (page: Page) => page.getByTestId('sync-status');

/** Errors a browser logs by itself while offline (failed requests), which are expected. */
const offlineNoise = (errors: readonly string[]) =>
  errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|api\/v1\//.test(e));

describe.skipIf(noBrowser)('the vault in the app', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;

  afterAll(async () => {
    await context.close();
  });

  it('after a reload with no network, the passphrase opens the vault on this device', async () => {
    context = await newContext(suite.browser);
    page = await context.newPage();
    problems = collectProblems(page);
    const key = await signUp(page, suite.url, 'ada');
    await confirmRecoveryKey(page, key);
    await page.getByText('Thank you. Your recovery key is saved.').waitFor();
    await status(page).getByText('Everything is synced').waitFor({ timeout: 20_000 });

    // The service worker controls the page, so the shell loads offline.
    await page.evaluate(`navigator.serviceWorker.ready.then(() => true)`);
    await page.goto(`${suite.url}/account`);
    await waitForApp(page);
    await waitForExpression(page, `navigator.serviceWorker.controller !== null`);

    await context.setOffline(true);
    await page.reload();
    await waitForApp(page);
    // Locked, from the cached account: the handle is known without the server.
    await page.getByTestId('handle').getByText('ada').waitFor();
    await page.goto(`${suite.url}/sign-in`);
    await page.getByRole('heading', { name: 'Unlock' }).waitFor();
    // Keyboard only: the passphrase field, then Enter.
    await page.getByLabel('Passphrase', { exact: true }).focus();
    await page.keyboard.type(PASSPHRASE);
    await page.keyboard.press('Enter');
    await page
      .getByRole('heading', { name: 'Your account', level: 1 })
      .waitFor({ timeout: DERIVE_TIMEOUT });
    await expect(page.getByTestId('handle').textContent()).resolves.toBe('ada');
    await page.getByTestId('fingerprint').waitFor();
    await status(page)
      .getByText("Offline — your changes are safe here and will sync when you're back online")
      .waitFor();
    await expect(status(page).getAttribute('aria-live')).resolves.toBe('polite');

    await context.setOffline(false);
    await status(page).getByText('Everything is synced').waitFor({ timeout: 20_000 });
    expect(offlineNoise(problems.errors)).toEqual([]);
  });

  it('downloads all my data as a JSON file opened in the browser', async () => {
    // Still on /account, unlocked (a full page load would lock: keys live in memory only).
    await page.getByTestId('fingerprint').waitFor();
    const button = page.getByRole('button', { name: 'Download all my data' });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^tend-export-ada-\d{4}-\d{2}-\d{2}\.json$/);
    const path = await download.path();
    const data = JSON.parse(await readFile(path, 'utf8')) as {
      format: string;
      version: number;
      account: { handle: string; fingerprint: string };
      items: unknown[];
      failures: unknown[];
    };
    expect(data.format).toBe('tend-export');
    expect(data.version).toBe(1);
    expect(data.account.handle).toBe('ada');
    expect(data.account.fingerprint).toBe(
      ((await page.getByTestId('fingerprint').textContent()) ?? '').trim(),
    );
    expect(data.items).toEqual([]);
    expect(data.failures).toEqual([]);
    await page.getByText('Your file is ready').waitFor();
  });

  it('the account and conflict pages pass axe in light and dark, unlocked and locked', async () => {
    await page.getByTestId('fingerprint').waitFor();
    await status(page).getByText('Everything is synced').waitFor({ timeout: 20_000 });
    await checkBothSchemes(page, '/account (unlocked)');

    // A fresh page load: the keys are gone, and the page offers the inline unlock form.
    await page.goto(`${suite.url}/account/conflicts`);
    await page.getByText('Your data is locked on this device.').waitFor();
    await checkBothSchemes(page, '/account/conflicts (locked)');
    // A conflict kept on this device (its sealed versions do not open here: shown as such).
    await addToVaultDb(
      page,
      'conflicts',
      `{ collection: 'notes', itemId: 'n1', type: 'note',
         local: { envelope: new Uint8Array(130), sequence: 2 },
         server: { revision: 2, seq: 5, envelope: new Uint8Array(130), updatedAt: new Date().toISOString() },
         createdAt: new Date().toISOString() }`,
    );
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: "This device's version" }).waitFor({
      timeout: DERIVE_TIMEOUT,
    });
    await page.getByRole('heading', { name: 'The other version' }).waitFor();
    await status(page).getByRole('link', { name: 'One version needs your choice' }).waitFor();
    await checkBothSchemes(page, '/account/conflicts (one conflict)');
    await page.getByRole('button', { name: 'Keep the other version' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Kept the other version.').waitFor();
    await page.getByText('There is nothing to choose between.').waitFor();
    await checkBothSchemes(page, '/account/conflicts (none left)');
    expect(offlineNoise(problems.errors)).toEqual([]);
  });

  it('signing out with unsynced changes asks first, and removes the copy only when told', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Your account' }).click();
    await page.getByTestId('fingerprint').waitFor();
    // One change that has not reached the server (sealed bytes; the server never sees them).
    await context.setOffline(true);
    const accountId = await addToVaultDb(
      page,
      'outbox',
      `{ collection: 'notes', itemId: 'n1', type: 'note', baseRevision: 0,
         envelope: new Uint8Array(130), createdAt: new Date().toISOString() }`,
    );
    expect(accountId).toMatch(/^[A-Za-z0-9_-]{22}$/);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page
      .getByRole('heading', { name: "One change on this device hasn't reached the server yet." })
      .waitFor({ timeout: 30_000 });
    await checkBothSchemes(page, '/sign-out (asking)');
    // Keyboard: the first choice is to stay signed in.
    await page.getByRole('button', { name: 'Stay signed in' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await page.getByTestId('handle').waitFor();

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out and lose these changes' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const names = await page.evaluate<string[]>(
      `indexedDB.databases().then((dbs) => dbs.map((d) => d.name))`,
    );
    expect(names).not.toContain(`tend-vault-${accountId}`);
    const cached = await page.evaluate<unknown>(`new Promise((resolve) => {
      const r = indexedDB.open('tend-device');
      r.onsuccess = () => {
        const get = r.result.transaction('accounts').objectStore('accounts').get('${accountId}');
        get.onsuccess = () => { resolve(get.result ?? null); r.result.close(); };
      };
    })`);
    expect(cached).toBeNull();
    await context.setOffline(false);
  });

  it('"keep me unlocked on this device" is off by default; on, a reload opens without asking', async () => {
    await signIn(page, suite.url, 'ada');
    const keep = page.getByLabel('Keep me unlocked on this device');
    await expect(keep.isChecked()).resolves.toBe(false);
    await keep.focus();
    await page.keyboard.press('Space');
    await page.getByText('Tend will stay unlocked on this device').waitFor();

    await page.reload();
    await page.getByTestId('fingerprint').waitFor({ timeout: 20_000 });
    // (The page reads the setting from IndexedDB after it renders.)
    await expect
      .poll(() => page.getByLabel('Keep me unlocked on this device').isChecked())
      .toBe(true);

    await page.getByLabel('Keep me unlocked on this device').uncheck();
    await page.getByText('Tend will ask for your passphrase again after a reload.').waitFor();
    await page.reload();
    await page.getByText('Your data is locked on this device.').waitFor();
    expect(offlineNoise(problems.errors)).toEqual([]);

    // On again, then "Leave quickly": coming back asks for the passphrase.
    await page.goto(`${suite.url}/sign-in`);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('fingerprint').waitFor({ timeout: DERIVE_TIMEOUT });
    await page.getByLabel('Keep me unlocked on this device').check();
    await page.getByText('Tend will stay unlocked on this device').waitFor();
    await context.route('https://www.bbc.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Weather</title>' }),
    );
    await page.getByRole('button', { name: 'Leave quickly' }).click();
    await page.waitForURL('https://www.bbc.com/**');
    await page.goto(`${suite.url}/account`);
    await page.getByText('Your data is locked on this device.').waitFor({ timeout: 20_000 });
  });
});
