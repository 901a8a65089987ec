// The directory's admin page (docs/RESOURCES.md). Ana runs this Tend: from /admin she opens the
// directory's settings, appoints Dee as a keeper by keyboard alone, adds a kind, is shown a broken
// set of CSV files refused problem by problem (file and line) with nothing imported, then checks
// and imports a valid HSDS services.json (the places are then found by search), downloads the
// services.json export, and loads the (empty) starter set. Bowen, a member, is told calmly the page
// is not for him. axe in light and dark on each state.
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../bench/api-client.js';
import { toHsdsPage, toTabular } from '../core/src/resources/hsds.js';
import { sampleResource } from '../core/src/resources/test-support/sample.js';
import { checkBothSchemes } from './support/axe.js';
import { noBrowser } from './support/browser.js';
import { focused, tabTo } from './support/keyboard.js';
import { seedAdminAndOthers, useSignedInPages } from './support/people.js';
import type { SeededAccount } from './support/seed.js';
import { useTendAndBrowser } from './support/suite.js';

const HARBOUR = sampleResource({
  id: '7a1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a60',
  name: 'Harbour Warmline',
});
const QUAYSIDE = sampleResource({
  id: '7a1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a61',
  name: 'Quayside Listening Group',
  phones: [],
});

/** The tabular export of one made-up place, with its phone number in letters (refused). */
function brokenCsvFiles(): { name: string; mimeType: string; buffer: Buffer }[] {
  const place = sampleResource({
    id: '7a1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a62',
    name: 'Brokenshire Peer Line',
  });
  const tables = toTabular([place]);
  const phones = tables['phones.csv']!;
  phones[0] = { ...phones[0]!, number: '0800 CALL NOW' };
  const services = tables['services.csv']!;
  services[0] = { ...services[0]!, status: 'sometimes' };
  return (['services.csv', 'organizations.csv', 'phones.csv'] as const).map((file) => ({
    name: file,
    mimeType: 'text/csv',
    buffer: Buffer.from(Papa.unparse(tables[file]!)),
  }));
}

async function getJson(api: ApiClient, path: string): Promise<unknown> {
  const res = await api.send('GET', path);
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.json;
}

const namesFound = async (api: ApiClient, q: string) =>
  (
    (await getJson(api, `/api/v1/resources?q=${encodeURIComponent(q)}`)) as {
      resources: { content: { name: string } }[];
    }
  ).resources.map((r) => r.content.name);

/** Console errors other than the refusals the test expects (the broken import is a 422). */
const unexpected = (errors: readonly string[]) =>
  errors.filter((e) => !/status of 4(0[349]|22)/.test(e));

describe.skipIf(noBrowser)('the directory admin page', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const { open, problems } = useSignedInPages(suite);
  let ana: SeededAccount;
  let page: Page;

  it('sets up Ana (admin), Dee and Bowen', async () => {
    ({ ana } = await seedAdminAndOthers(suite.url, 'ana', 'dee', 'bowen'));
  });

  it('Ana opens the settings from /admin and appoints Dee by keyboard alone', async () => {
    page = await open('ana');
    await page.getByRole('navigation').getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: /^Where to turn: directory keepers/ }).click();
    await page.getByRole('heading', { name: "The directory's settings", level: 1 }).waitFor();
    await page.getByText('No keepers yet.', { exact: false }).waitFor();
    await checkBothSchemes(page, '/admin/resources (a new Tend)');

    await page.locator('h1').focus();
    await tabTo(page, '#resources-keeper-handle');
    await page.keyboard.insertText('@dee');
    await page.keyboard.press('Tab');
    expect(await focused(page, 'button[type="submit"]')).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText('dee is now a directory keeper.').waitFor();
    await page.getByTestId('resources-keeper').filter({ hasText: 'dee' }).waitFor();
    const keepers = (await getJson(ana.api, '/api/v1/resources/keepers')) as {
      keepers: { handle: string }[];
    };
    expect(keepers.keepers.map((k) => k.handle)).toEqual(['dee']);

    // Removing asks first; "Keep them" by keyboard leaves Dee a keeper.
    await tabTo(page, 'button[aria-label="Remove dee as a keeper"]');
    await page.keyboard.press('Enter');
    expect(await focused(page, '#resources-keeper-confirm')).toBe(true);
    await page.getByText('Remove dee as a directory keeper?', { exact: false }).waitFor();
    await checkBothSchemes(page, '/admin/resources (asking before removing a keeper)');
    await tabTo(page, '#resources-keeper-keep');
    await page.keyboard.press('Enter');
    expect(await focused(page, 'button[aria-label="Remove dee as a keeper"]')).toBe(true);
    expect(
      ((await getJson(ana.api, '/api/v1/resources/keepers')) as { keepers: unknown[] }).keepers,
    ).toHaveLength(1);
  });

  it('Ana adds a kind of this Tend’s own', async () => {
    await page.getByLabel('Its words').fill('Night shelter');
    expect(await page.getByLabel('Its id').inputValue()).toBe('night-shelter');
    await page.getByRole('button', { name: 'Add kind' }).click();
    await page.getByText('Night shelter was added.').waitFor();
    await page.getByTestId('resources-admin-kind').filter({ hasText: 'Night shelter' }).waitFor();
    const kinds = (await getJson(ana.api, '/api/v1/resources/kinds')) as {
      kinds: { id: string; label: string | null; builtin: boolean }[];
    };
    expect(kinds.kinds).toContainEqual(
      expect.objectContaining({ id: 'night-shelter', label: 'Night shelter', builtin: false }),
    );
  });

  it('broken CSV files are refused problem by problem, by file and line; nothing is imported', async () => {
    await page.locator('#resources-import-files').setInputFiles(brokenCsvFiles());
    await page.getByRole('button', { name: 'Check the files' }).click();
    const issues = page.getByTestId('resources-import-issues');
    await issues.getByText('Nothing was imported.', { exact: false }).waitFor();
    expect(await focused(page, '#resources-import-issues')).toBe(true);
    await issues.getByText('There are 2 problems', { exact: false }).waitFor();
    await issues.getByText('services.csv line 2 status:').waitFor();
    await issues.getByText('services.csv line 2 phones.0.number:').waitFor();
    await checkBothSchemes(page, '/admin/resources (a refused import)');
    expect(await namesFound(ana.api, 'Brokenshire')).toEqual([]);
    expect(await page.getByRole('button', { name: 'Import', exact: true }).count()).toBe(0);
  });

  it('a valid services.json: a dry run first, then Import; the places are found', async () => {
    await page.locator('#resources-import-files').setInputFiles({
      name: 'services.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(toHsdsPage([HARBOUR, QUAYSIDE]))),
    });
    await page.getByRole('button', { name: 'Check the files' }).click();
    const dryRun = page.getByTestId('resources-import-dry-run');
    await dryRun
      .getByText('2 new entries, none changed, none already the same.', { exact: false })
      .waitFor();
    expect(await focused(page, '#resources-import-result')).toBe(true);
    expect(await page.getByTestId('resources-import-issues').count()).toBe(0);
    // Nothing is written by the dry run.
    expect(await namesFound(ana.api, 'Harbour')).toEqual([]);
    await checkBothSchemes(page, '/admin/resources (a dry run)');

    await dryRun.getByRole('button', { name: 'Import', exact: true }).click();
    await page
      .getByTestId('resources-import-done')
      .getByText('Imported: 2 new entries, none changed, none already the same.')
      .waitFor();
    expect(await focused(page, '#resources-import-done')).toBe(true);
    expect(await namesFound(ana.api, 'Harbour')).toEqual(['Harbour Warmline']);
    expect(await namesFound(ana.api, 'Quayside')).toEqual(['Quayside Listening Group']);
  });

  it('Ana downloads services.json, holding the imported places', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'The whole directory as services.json' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('services.json');
    const text = await readFile(await download.path(), 'utf8');
    const names = (JSON.parse(text) as { contents: { name: string }[] }).contents.map(
      (s) => s.name,
    );
    expect(names.sort()).toEqual(['Harbour Warmline', 'Quayside Listening Group']);
    await page.getByRole('link', { name: 'phones.csv' }).waitFor();
  });

  it('the starter set is explained and loads nothing here', async () => {
    await page.getByText('On this Tend it is empty', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Load the starter set' }).click();
    await page.getByText('Nothing new was added; none were here already.').waitFor();
    await checkBothSchemes(page, '/admin/resources (after the starter set)');
  });

  it('Bowen, a member, is told calmly the page is not for him', async () => {
    const bo = await open('bowen');
    await bo.goto(`${suite.url}/admin/resources`);
    await bo
      .getByText('This page is for the people who run this Tend.', { exact: false })
      .waitFor();
    expect(await bo.getByLabel('Appoint someone by their handle').count()).toBe(0);
    await checkBothSchemes(bo, '/admin/resources (not an admin)');
  });

  it('nothing unexpected went wrong in the browsers', () => {
    for (const [handle, p] of problems) expect(unexpected(p.errors), handle).toEqual([]);
  });
});
