// The browser checks what the server hands it: weak key-derivation settings are refused before
// the passphrase is touched; rate limits are explained with the wait.
import { describe, expect, it } from 'vitest';
import { newContext, noBrowser } from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';

describe.skipIf(noBrowser)('accounts: a server that asks for too little', () => {
  const suite = useTendAndBrowser();

  it('refuses KDF parameters below the minimum and sends nothing', async () => {
    const context = await newContext(suite.browser);
    const page = await context.newPage();
    await page.route('**/api/v1/auth/challenge', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { kdfParams: { memoryKiB: number } };
      body.kdfParams.memoryKiB = 1024;
      await route.fulfill({ response, json: body });
    });
    const signIns: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/sessions') && r.method() === 'POST') signIns.push(r.url());
    });
    await page.goto(`${suite.url}/sign-in`);
    await page.getByLabel('Handle').fill('ada');
    await page.getByLabel('Passphrase', { exact: true }).fill('quiet river lantern orchard');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('asked for weaker protection of your passphrase').waitFor();
    expect(signIns).toEqual([]);
    await context.close();
  });

  it('says how long to wait when rate limited', async () => {
    const context = await newContext(suite.browser);
    const page = await context.newPage();
    await page.route('**/api/v1/auth/challenge', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'retry-after': '42' },
        json: { error: { code: 'rate_limited', message: 'Too many attempts.' } },
      }),
    );
    await page.goto(`${suite.url}/sign-in`);
    await page.getByLabel('Handle').fill('ada');
    await page.getByLabel('Passphrase', { exact: true }).fill('quiet river lantern orchard');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Please wait 42 seconds, then try again.').waitFor();
    await context.close();
  });
});
