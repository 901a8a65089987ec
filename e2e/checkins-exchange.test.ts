// Import and export of check-ins in the browser: bring in the Daylio, Bearable and eMoods sample
// files (core/src/checkins/import/fixtures), each previewed before anything is saved, with one
// tracker put into one of the person's own; the same file again adds nothing; a malformed file
// names its line and saves nothing; the CSV and JSON downloads hold what was brought in. axe in
// light and dark.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDefaultTrackers } from '../core/src/checkins/index.js';
import { signIn } from './support/accounts.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { checkinItems, seedAccount, yearOfCheckins } from './support/seed.js';
import { useTendAndBrowser } from './support/suite.js';
import { repoRoot } from './support/tend-server.js';
import { checkBothSchemes } from './support/axe.js';

const fixture = (name: string) => resolve(repoRoot, 'core/src/checkins/import/fixtures', name);
const today = new Date().toISOString().slice(0, 10);
const NOW = new Date(Date.parse(`${today}T00:00:00Z`) - 30 * 864e5).toISOString();

describe.skipIf(noBrowser)('importing and exporting check-ins', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;

  const preview = () => page.getByTestId('import-preview');
  const exportCount = () => page.getByTestId('export-count');

  async function read(file: string | { name: string; mimeType: string; buffer: Buffer }) {
    await page.getByLabel('The CSV file').setInputFiles(file);
    await page.getByRole('button', { name: 'Show what the file holds' }).click();
  }

  afterAll(async () => {
    await context.close();
  });

  it('previews a Daylio file before saving anything, then brings it in', async () => {
    const trackers = makeDefaultTrackers(NOW);
    await seedAccount(suite.url, 'ezra', {
      checkins: checkinItems(trackers, yearOfCheckins(trackers, today, 2)),
    });
    context = await newContext(suite.browser, { acceptDownloads: true });
    page = await context.newPage();
    problems = collectProblems(page);
    await signIn(page, suite.url, 'ezra');
    await page.getByRole('navigation').getByRole('link', { name: 'Check-ins' }).first().click();
    await page.getByRole('heading', { name: 'Check in', level: 1 }).waitFor();
    await page
      .getByRole('navigation', { name: 'Check-ins' })
      .getByRole('link', { name: 'Import and export' })
      .click();
    await page.getByRole('heading', { name: 'Import and export', level: 1 }).waitFor();
    await exportCount().getByText('2 check-ins.').waitFor();
    await checkBothSchemes(page, '/checkins/exchange');

    await expect(page.getByRole('radio', { name: 'Daylio' }).isChecked()).resolves.toBe(true);
    await read(fixture('daylio.csv'));
    await preview().waitFor();
    await expect(page.getByTestId('import-range').textContent()).resolves.toContain(
      'From February 28, 2026 to March 2, 2026: 4 check-ins.',
    );
    await expect(preview().locator('tbody tr').count()).resolves.toBe(4);
    await preview().getByRole('cell', { name: 'Dinner with Ana, then a walk' }).waitFor();
    await expect(
      preview().getByRole('cell', { name: 'walk, friends, cooking' }).count(),
    ).resolves.toBe(1);
    // Nothing is saved by reading the file.
    await exportCount().getByText('2 check-ins.').waitFor();

    const mood = preview().getByLabel('Mood (from Daylio) (a scale)');
    // Only scales of the same range are offered for a scale.
    const offered = await mood.locator('option').allTextContents();
    expect(offered).toContain('Put into my tracker “How steady I feel”');
    expect(offered).not.toContain('Put into my tracker “Sleep”');
    await mood.selectOption({ label: 'Put into my tracker “How steady I feel”' });
    await page.getByTestId('import-plan').getByText('4 check-ins would be added.').waitFor();
    await checkBothSchemes(page, '/checkins/exchange (preview)');

    await page.getByRole('button', { name: 'Add 4 check-ins' }).click();
    await page
      .getByTestId('import-result')
      .getByText('Added 4 check-ins and one new tracker.')
      .waitFor();
    await exportCount().getByText('6 check-ins.').waitFor();
    await checkBothSchemes(page, '/checkins/exchange (imported)');
  });

  it('the same file again adds nothing', async () => {
    await read(fixture('daylio.csv'));
    await preview().waitFor();
    // Where each tracker went last time is found from the check-ins already here.
    await expect(
      preview().getByLabel('Activities (from Daylio) (a set of tags)').inputValue(),
    ).resolves.toMatch(/^into:/);
    await expect(preview().getByLabel('Mood (from Daylio) (a scale)').inputValue()).resolves.toBe(
      'into:howScale',
    );
    await page
      .getByTestId('import-plan')
      .getByText('No check-ins would be added; 4 are already here and will be skipped.')
      .waitFor();
    await expect(page.getByRole('button', { name: 'Add 0 check-ins' }).isDisabled()).resolves.toBe(
      true,
    );
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await expect(preview().count()).resolves.toBe(0);
  });

  it('a malformed file names its line and saves nothing', async () => {
    const bad =
      'full_date,time,mood,activities\n2026-03-01,10:00,good,walk\n2026-13-01,10:00,meh,\n';
    await read({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const error = page.getByTestId('import-error');
    await error
      .getByText('Line 3 has a date or time that could not be read: “2026-13-01”.', {
        exact: false,
      })
      .waitFor();
    await error.getByText('Nothing was saved.').waitFor();
    await expect(preview().count()).resolves.toBe(0);
    await expect(page.getByLabel('The CSV file').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await checkBothSchemes(page, '/checkins/exchange (error)');

    // The wrong app for the file: the missing columns are named.
    await page.getByRole('radio', { name: 'Bearable' }).check();
    await read(fixture('daylio.csv'));
    await error.getByText(/line 1.*category, rating\/amount, detail/).waitFor();
    await exportCount().getByText('6 check-ins.').waitFor();
  });

  it('brings in Bearable and eMoods files too', async () => {
    await read(fixture('bearable.csv'));
    await preview().waitFor();
    await expect(page.getByTestId('import-range').textContent()).resolves.toContain(
      ': 2 check-ins.',
    );
    await preview()
      .getByLabel('Hours slept (a number)')
      .selectOption({ label: 'Put into my tracker “Sleep”' });
    await page.getByRole('button', { name: 'Add 2 check-ins' }).click();
    await page
      .getByTestId('import-result')
      .getByText('Added 2 check-ins and 3 new trackers.')
      .waitFor();

    await page.getByRole('radio', { name: 'eMoods' }).check();
    await read(fixture('emoods.csv'));
    await preview().waitFor();
    await expect(page.getByTestId('import-range').textContent()).resolves.toContain(
      ': 3 check-ins.',
    );
    await preview().getByLabel('Irritability (a number)').selectOption({ label: 'Leave out' });
    await page.getByRole('button', { name: 'Add 3 check-ins' }).click();
    await page
      .getByTestId('import-result')
      .getByText('Added 3 check-ins and 2 new trackers.')
      .waitFor();
    await exportCount().getByText('11 check-ins.').waitFor();
  });

  it('brings in a year of Daylio check-ins, with a progress bar', async () => {
    await page.getByRole('radio', { name: 'Daylio' }).check();
    const rows = ['full_date,time,mood,activities,note_title,note'];
    const moods = ['awful', 'bad', 'meh', 'good', 'rad'];
    for (let d = 0; d < 365; d++) {
      const day = new Date(Date.UTC(2024, 0, 1) + d * 864e5).toISOString().slice(0, 10);
      rows.push(`${day},20:${String(d % 60).padStart(2, '0')},${moods[d % 5]!},walk | reading,,`);
    }
    await read({ name: 'year.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await page
      .getByTestId('import-range')
      .getByText(': 365 check-ins.', { exact: false })
      .waitFor();
    const started = Date.now();
    await page.getByRole('button', { name: 'Add 365 check-ins' }).click();
    await page.getByLabel('Saving the check-ins').waitFor();
    await page
      .getByTestId('import-result')
      .getByText('Added 365 check-ins and one new tracker.')
      .waitFor({ timeout: 120_000 });
    const ms = Date.now() - started;
    // eslint-disable-next-line no-console -- the figure this journey reports
    console.log(`import: ${String(ms)} ms to save 365 Daylio check-ins in the browser`);
    await exportCount().getByText('376 check-ins.').waitFor();
  });

  it('downloads every check-in as CSV and as JSON', async () => {
    const files: Record<string, string> = {};
    for (const [name, ext] of [
      ['Download all check-ins as CSV', 'csv'],
      ['Download all check-ins as JSON', 'json'],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        new RegExp(`^tend-checkins-\\d{4}-\\d{2}-\\d{2}\\.${ext}$`),
      );
      files[ext] = await readFile(await download.path(), 'utf8');
    }
    const csv = files.csv!;
    const header = csv.split('\r\n')[0]!;
    expect(header).toContain('How steady I feel');
    expect(header).toContain('Activities (from Daylio)');
    expect(header).toContain('Elevated mood');
    expect(header).not.toContain('Irritability');
    expect(csv).toContain('Dinner with Ana, then a walk');
    expect(csv).toContain('walk | friends | cooking');

    const json = JSON.parse(files.json!) as {
      format: string;
      checkins: { at: string; values: Record<string, unknown>; note?: string }[];
      trackers: { id: string; name: string }[];
    };
    expect(json.format).toBe('tend-checkins');
    expect(json.checkins).toHaveLength(376);
    const dinner = json.checkins.find((c) => c.note === 'Dinner with Ana, then a walk');
    expect(dinner?.values.howScale).toBe(4);
    // The sample's mood went into "How steady I feel"; only the year's (no choice made) is new.
    const daylioMood = json.trackers.filter((t) => t.name === 'Mood (from Daylio)');
    expect(daylioMood).toHaveLength(1);
    expect(Object.keys(dinner?.values ?? {})).not.toContain(daylioMood[0]!.id);
    expect(json.checkins.filter((c) => daylioMood[0]!.id in c.values)).toHaveLength(365);
    // Bearable's "Hours slept" went into "Sleep"; so did eMoods' "Sleep" (same name, by default).
    expect(json.checkins.find((c) => c.note === 'felt lighter')?.values.sleepHours).toBe(6.5);
    expect(json.checkins.find((c) => c.note === 'calm morning')?.values.sleepHours).toBe(7.5);
    expect(json.trackers.map((t) => t.name)).not.toContain('Irritability');
    expect(problems.errors).toEqual([]);
  });
});
