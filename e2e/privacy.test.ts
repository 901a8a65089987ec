// The plaintext-leak test for the browser: a person writes a plan, a check-in (their words, a
// tag of their own, a note, a tracker they name) and a journal entry with a content warning, all
// with distinctive words; it syncs, and afterwards neither the server's database files (SQLite main file and write-ahead
// log, read as raw bytes, so free pages count too) nor anything the server logged holds any of
// those words. (server/privacy.test.ts does the same at the API level on both databases.)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFailed } from 'vitest';
import { confirmRecoveryKey, signUp } from './support/accounts.js';
import { collectProblems, newContext, noBrowser } from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';

const WELL = "What I'm like when I'm well";
const SECRETS = {
  body: 'Periwinkle-kettle mornings with Aunt Zephyrine',
  name: 'Quillon Marchbanks',
  reach: '07700 900461 ask for Quillon',
  title: 'Saffron lighthouse plan',
  how: 'Brittle-teacup feeling since Tuesday',
  tag: 'Marrowby allotment',
  note: 'Slept under the Gravensholm bridge coat',
  tracker: 'Oxbramble tincture doses',
  journal: 'Wrote to Ottoline about the Vexmoor letters',
  warning: 'Thistlewick anniversary',
};

describe.skipIf(noBrowser)(
  'privacy: what a plan, check-ins and a journal leave on the server',
  () => {
    const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500', LOG_LEVEL: 'debug' });

    it('leaves no plaintext in the database files or the logs after everything syncs', async () => {
      const context = await newContext(suite.browser);
      const page = await context.newPage();
      // If a step times out, what the page itself reported is said with it.
      const problems = collectProblems(page);
      page.setDefaultTimeout(45_000);
      onTestFailed(() => {
        const said = problems.errors.join('\n') || 'nothing';
        process.stderr.write(`privacy test: the page reported: ${said}\n`);
      });
      const key = await signUp(page, suite.url, 'privacy-person');
      await confirmRecoveryKey(page, key);
      await page.getByText('Thank you. Your recovery key is saved.').waitFor();

      await page.getByRole('navigation').getByRole('link', { name: 'My plan' }).click();
      await page.getByRole('button', { name: 'Start: Crisis plan' }).click();
      await page.getByRole('heading', { name: 'Crisis plan', level: 1 }).waitFor();
      await page.getByRole('textbox', { name: WELL, exact: true }).fill(SECRETS.body);
      await page.getByRole('button', { name: 'Add a person' }).click();
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill(SECRETS.name);
      await page
        .getByRole('textbox', { name: 'How to reach them', exact: true })
        .fill(SECRETS.reach);
      await page.getByRole('textbox', { name: 'Plan title' }).fill(SECRETS.title);
      await page.getByTestId('save-status').getByText('Synced').waitFor({ timeout: 30_000 });

      // A tracker they name, a check-in in their words with a tag of their own, a journal entry.
      await page.getByRole('navigation').getByRole('link', { name: 'Check-ins' }).first().click();
      const checkinsNav = page.getByRole('navigation', { name: 'Check-ins' });
      await checkinsNav.getByRole('link', { name: 'What I track' }).click();
      await page.getByRole('heading', { name: 'What I track', level: 1 }).waitFor();
      await page.getByLabel('What to call it').fill(SECRETS.tracker);
      await page.getByLabel('What kind of answer').selectOption('number');
      await page.getByRole('button', { name: 'Add it' }).click();
      await page.getByText(`${SECRETS.tracker} is added to your check-in.`).waitFor();
      await checkinsNav.getByRole('link', { name: 'Check in' }).click();
      await page.getByRole('heading', { name: 'Check in', level: 1 }).waitFor();
      await page.getByRole('textbox', { name: 'How I am, in my words' }).fill(SECRETS.how);
      await page.locator('#ci-did-new').fill(SECRETS.tag);
      await page.locator('#ci-did-new').press('Enter');
      await page.getByRole('checkbox', { name: SECRETS.tag }).waitFor();
      await page.locator('#ci-note').fill(SECRETS.note);
      await page.getByRole('button', { name: 'Save check-in' }).click();
      await page.getByTestId('save-status').getByText('Saved on this device.').waitFor();
      await checkinsNav.getByRole('link', { name: 'Journal' }).click();
      await page.getByRole('heading', { name: 'Journal', level: 1 }).waitFor();
      await page.getByRole('textbox', { name: 'What I want to write' }).fill(SECRETS.journal);
      await page
        .getByRole('textbox', { name: 'A content warning for myself (optional)' })
        .fill(SECRETS.warning);
      await page.getByRole('button', { name: 'Save entry' }).click();
      await page.getByTestId('journal-status').getByText('Saved on this device.').waitFor();
      await page.getByText('Everything is synced').waitFor({ timeout: 30_000 });

      // The server really has them: the vault holds plan and check-in items for this account.
      const pulled = await page.request.get(`${suite.url}/api/v1/vault/changes`);
      expect(pulled.status()).toBe(200);
      const changes = ((await pulled.json()) as { changes: { collection: string }[] }).changes;
      expect(changes.filter((c) => c.collection === 'plans').length).toBeGreaterThan(3);
      // The default trackers, the one they added, the check-in and the journal entry.
      expect(changes.filter((c) => c.collection === 'checkins').length).toBeGreaterThan(10);
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
          expect(bytes.includes(Buffer.from(secret, 'utf8')), `"${secret}" in ${where}`).toBe(
            false,
          );
          expect(bytes.includes(Buffer.from(secret, 'utf16le')), `"${secret}" in ${where}`).toBe(
            false,
          );
        }
      }
    });
  },
);
