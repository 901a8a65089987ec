// The plaintext-leak test for the browser: a person writes a plan with distinctive words, it
// syncs, and afterwards neither the server's database files (SQLite main file and write-ahead
// log, read as raw bytes, so free pages count too) nor anything the server logged holds any of
// those words. (server/privacy.test.ts does the same at the API level on both databases.)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confirmRecoveryKey, signUp } from './support/accounts.js';
import { newContext, noBrowser } from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';

const WELL = "What I'm like when I'm well";
const SECRETS = {
  body: 'Periwinkle-kettle mornings with Aunt Zephyrine',
  name: 'Quillon Marchbanks',
  reach: '07700 900461 ask for Quillon',
  title: 'Saffron lighthouse plan',
};

describe.skipIf(noBrowser)('privacy: what a plan leaves on the server', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500', LOG_LEVEL: 'debug' });

  it('leaves no plaintext in the database files or the logs after a plan syncs', async () => {
    const context = await newContext(suite.browser);
    const page = await context.newPage();
    const key = await signUp(page, suite.url, 'privacy-person');
    await confirmRecoveryKey(page, key);
    await page.getByText('Thank you. Your recovery key is saved.').waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'My plan' }).click();
    await page.getByRole('button', { name: 'Start: Crisis plan' }).click();
    await page.getByRole('heading', { name: 'Crisis plan', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: WELL, exact: true }).fill(SECRETS.body);
    await page.getByRole('button', { name: 'Add a person' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(SECRETS.name);
    await page.getByRole('textbox', { name: 'How to reach them', exact: true }).fill(SECRETS.reach);
    await page.getByRole('textbox', { name: 'Plan title' }).fill(SECRETS.title);
    await page.getByTestId('save-status').getByText('Synced').waitFor({ timeout: 30_000 });

    // The server really has the plan: the vault holds items for this account.
    const pulled = await page.request.get(`${suite.url}/api/v1/vault/changes`);
    expect(pulled.status()).toBe(200);
    const changes = ((await pulled.json()) as { changes: unknown[] }).changes;
    expect(changes.length).toBeGreaterThan(3);
    await context.close();

    const files = readdirSync(suite.tend.dataDir).filter((f) => f.startsWith('tend.db'));
    expect(files).toContain('tend.db');
    const haystacks = [
      ...files.map((f) => ({ where: f, bytes: readFileSync(join(suite.tend.dataDir, f)) })),
      { where: 'server output', bytes: Buffer.from(suite.tend.output(), 'utf8') },
    ];
    // The check can fail: the handle, which is not private, is found where it should be.
    expect(haystacks.some((h) => h.bytes.includes(Buffer.from('privacy-person')))).toBe(true);
    for (const secret of Object.values(SECRETS)) {
      for (const { where, bytes } of haystacks) {
        expect(bytes.includes(Buffer.from(secret, 'utf8')), `"${secret}" in ${where}`).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `"${secret}" in ${where}`).toBe(
          false,
        );
      }
    }
  });
});
