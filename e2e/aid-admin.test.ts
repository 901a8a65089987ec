// The mutual aid board's admin and manager pages, in two browsers. Ana runs this Tend: from /admin
// she opens the board's settings, turns the instance board on, adds a category, is shown a broken
// CSV of areas refused row by row with nothing imported, then imports a good one by keyboard alone,
// and asks Dee to coordinate. Fay facilitates a group and is not an admin: /admin/aid tells her
// calmly it is not for her; on her group's Manage page she turns the group's board on and chooses
// Gus, a member, to coordinate. axe in light and dark on each page and state.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../bench/api-client.js';
import { signIn } from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { openRegistration } from './support/circle.js';
import { seedAccount, type SeededAccount } from './support/seed.js';
import { tabTo } from './support/keyboard.js';
import { useTendAndBrowser } from './support/suite.js';
import { unlockIfAsked } from './support/unlock.js';

const GROUP_ID = 'aidAdminGroup01';
const SLUG = 'allotment-friends';

// Row 2's latitude is a word, row 3 repeats an id, row 4 names a parent nobody has.
const BROKEN_CSV = [
  'id,name,lat,lon,parent',
  'riverton,Riverton,51.50,-2.60,',
  'riverton-north,Riverton North,north,-2.60,riverton',
  'riverton,Riverton again,51.47,-2.61,',
  'old-quay,Old Quay,51.49,-2.65,nowhere',
].join('\n');
const GOOD_CSV = [
  'id,name,lat,lon,parent',
  'riverton,Riverton,51.50,-2.60,',
  'riverton-north,Riverton North,51.5312,-2.6049,riverton',
  'old-quay,Old Quay,51.49,-2.65,riverton',
].join('\n');

async function getJson(api: ApiClient, path: string): Promise<unknown> {
  const res = await api.send('GET', path);
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.json;
}

/** Console errors other than the refusals the test expects. */
const unexpected = (errors: readonly string[]) =>
  errors.filter((e) => !/status of 40[349]/.test(e));

describe.skipIf(noBrowser)('mutual aid admin and manager pages', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  const problems = new Map<string, PageProblems>();
  let ana: SeededAccount;
  let fay: SeededAccount;
  let anaPage: Page;
  let fayPage: Page;

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  async function open(handle: string): Promise<Page> {
    const context = await newContext(suite.browser);
    contexts.push(context);
    const page = await context.newPage();
    problems.set(handle, collectProblems(page));
    await signIn(page, suite.url, handle);
    return page;
  }

  it('sets up Ana (admin), Dee, and Fay’s group with Gus in it', async () => {
    ana = await seedAccount(suite.url, 'ana');
    await openRegistration(ana);
    await seedAccount(suite.url, 'dee');
    fay = await seedAccount(suite.url, 'fay');
    const gus = await seedAccount(suite.url, 'gus');
    const made = await fay.api.send('POST', '/api/v1/groups', {
      id: GROUP_ID,
      slug: SLUG,
      name: 'Allotment friends',
      description: 'Growing things together, and a cup of tea after.',
      topics: ['gardening'],
      languages: ['en'],
      format: 'online',
      area: null,
      visibility: 'public',
      joinQuestions: [],
      agreement: 'We share what we grow. No advice unless asked.',
    });
    expect(made.status, made.text).toBe(201);
    const joined = await gus.api.send('POST', `/api/v1/groups/${GROUP_ID}/join`, {
      agreementVersion: 1,
    });
    expect(joined.status, joined.text).toBe(200);
  });

  it('Ana turns the instance board on and adds a category', async () => {
    anaPage = await open('ana');
    await anaPage.getByRole('navigation').getByRole('link', { name: 'Admin' }).click();
    await anaPage.getByRole('link', { name: /^Mutual aid board/ }).click();
    await anaPage.getByRole('heading', { name: 'Mutual aid board', level: 1 }).waitFor();
    await anaPage.getByText('kept to 0.01°', { exact: false }).waitFor();
    await anaPage.getByText('No areas yet.', { exact: false }).waitFor();
    const enabled = anaPage.getByLabel('Turn this board on');
    await expect.poll(() => enabled.isEnabled()).toBe(true);
    expect(await enabled.isChecked()).toBe(false);
    await checkBothSchemes(anaPage, '/admin/aid (a new Tend)');

    await enabled.check();
    await anaPage.getByLabel('Days a post stays up').fill('14');
    await anaPage.getByRole('button', { name: 'Save', exact: true }).click();
    await anaPage.getByText('Saved. The board is now on.').waitFor();
    expect(await getJson(ana.api, '/api/v1/aid/communities/instance')).toMatchObject({
      enabled: true,
      defaultExpiryDays: 14,
    });

    await anaPage.getByLabel('Name', { exact: true }).first().fill('Bike repair');
    expect(await anaPage.getByLabel('Short id').first().inputValue()).toBe('bike-repair');
    await anaPage.getByRole('button', { name: 'Add category' }).click();
    await anaPage.getByText('Added Bike repair.').waitFor();
    await anaPage.getByTestId('aid-admin-category').filter({ hasText: 'Bike repair' }).waitFor();
    const categories = (await getJson(ana.api, '/api/v1/aid/categories')) as {
      categories: { id: string; label: string | null }[];
    };
    expect(categories.categories).toContainEqual(
      expect.objectContaining({ id: 'bike-repair', label: 'Bike repair' }),
    );
  });

  it('a broken CSV is refused row by row and nothing is imported; a good one, by keyboard', async () => {
    // Keyboard alone: into the box, type the file, Tab to Check.
    await anaPage.locator('#aid-import-file').focus();
    await tabTo(anaPage, '#aid-import-text');
    await anaPage.keyboard.insertText(BROKEN_CSV);
    await tabTo(anaPage, '#aid-import-check');
    await anaPage.keyboard.press('Enter');
    const preview = anaPage.getByTestId('aid-import-preview');
    await preview.getByText('3 problems to fix', { exact: false }).waitFor();
    await preview
      .getByText('Row 2: the latitude “north” should be a number from -90 to 90.')
      .waitFor();
    await preview.getByText('Row 3: the id “riverton” is already used on row 1.').waitFor();
    await preview.getByText('Row 4: there is no area “nowhere”', { exact: false }).waitFor();
    expect(await preview.getByRole('button', { name: /^Import/ }).count()).toBe(0);
    expect(await getJson(ana.api, '/api/v1/aid/areas')).toEqual({ areas: [] });
    await checkBothSchemes(anaPage, '/admin/aid (a broken CSV)');

    // Select all and type the good file instead; Check; Tab to Import.
    await anaPage.locator('#aid-import-text').focus();
    await anaPage.keyboard.press('Control+A');
    await anaPage.keyboard.press('Delete');
    await anaPage.keyboard.insertText(GOOD_CSV);
    await tabTo(anaPage, '#aid-import-check');
    await anaPage.keyboard.press('Enter');
    await preview.getByText('3 rows: 3 new areas, none already here.').waitFor();
    await preview.getByRole('cell', { name: '51.53, -2.60' }).waitFor();
    await checkBothSchemes(anaPage, '/admin/aid (a CSV to import)');
    await tabTo(anaPage, '#aid-import-run');
    expect(await anaPage.locator('#aid-import-run').textContent()).toBe('Import 3 areas');
    await anaPage.keyboard.press('Enter');
    await anaPage.getByText('Imported: 3 new areas, none changed.').waitFor();
    await anaPage.getByTestId('aid-admin-area').filter({ hasText: 'Riverton North' }).waitFor();
    const areas = (await getJson(ana.api, '/api/v1/aid/areas')) as {
      areas: { id: string; lat: number; lon: number; parentId: string | null }[];
    };
    expect(areas.areas.map((a) => a.id).sort()).toEqual(['old-quay', 'riverton', 'riverton-north']);
    expect(areas.areas.find((a) => a.id === 'riverton-north')).toMatchObject({
      lat: 51.53,
      lon: -2.6,
      parentId: 'riverton',
    });

    // A file chosen from disk is read the same way: one zone renamed, none new.
    await anaPage.locator('#aid-import-file').setInputFiles({
      name: 'renamed.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('id,name,lat,lon,parent\nold-quay,Old Quay Wharf,51.49,-2.65,riverton\n'),
    });
    await anaPage.getByText('Read renamed.csv.').waitFor();
    await preview.getByText('1 row: no new areas, 1 already here to change.').waitFor();
    await preview.getByRole('button', { name: 'Import 1 area' }).click();
    await anaPage.getByText('Imported: no new areas, 1 changed.').waitFor();
    await anaPage.getByTestId('aid-admin-area').filter({ hasText: 'Old Quay Wharf' }).waitFor();
  });

  it('Ana asks Dee to coordinate', async () => {
    await anaPage.getByLabel('Their handle').fill('nobody-here');
    await anaPage.getByRole('button', { name: 'Ask them to coordinate' }).click();
    await anaPage
      .getByText("Tend couldn't find anyone with that handle.", { exact: false })
      .waitFor();
    await anaPage.getByLabel('Their handle').fill('dee');
    await anaPage.getByRole('button', { name: 'Ask them to coordinate' }).click();
    await anaPage.getByText('dee now coordinates this board.').waitFor();
    await anaPage.getByRole('button', { name: 'Remove dee as a coordinator' }).waitFor();
    const coordinators = (await getJson(
      ana.api,
      '/api/v1/aid/communities/instance/coordinators',
    )) as { coordinators: { handle: string }[] };
    expect(coordinators.coordinators.map((c) => c.handle)).toEqual(['dee']);
    await checkBothSchemes(anaPage, '/admin/aid (set up)');
  });

  it('Fay is told calmly /admin/aid is not hers, and turns on her group’s board', async () => {
    fayPage = await open('fay');
    await fayPage.goto(`${suite.url}/admin/aid`);
    await fayPage
      .getByText('This page is for the people who run this Tend.', { exact: false })
      .waitFor();
    expect(await fayPage.getByLabel('Turn this board on').count()).toBe(0);
    await checkBothSchemes(fayPage, '/admin/aid (not an admin)');

    await fayPage.goto(`${suite.url}/groups/${SLUG}/manage`);
    const section = fayPage.locator('section[aria-labelledby="aid-group-heading"]');
    await unlockIfAsked(fayPage, fayPage.getByRole('heading', { name: 'Mutual aid board' }));
    const enabled = section.getByLabel('Turn this board on');
    await expect.poll(() => enabled.isEnabled()).toBe(true);
    await section.getByText('Nobody coordinates this board yet.').waitFor();
    await enabled.check();
    await section.getByRole('button', { name: 'Save', exact: true }).click();
    await section.getByText('Saved. The board is now on.').waitFor();
    await section.getByLabel('Member').selectOption({ label: 'gus' });
    await section.getByRole('button', { name: 'Ask them to coordinate' }).click();
    await section.getByText('gus now coordinates this board.').waitFor();
    await checkBothSchemes(fayPage, '/groups/[slug]/manage (the aid board)');
    expect(await getJson(fay.api, `/api/v1/aid/communities/group.${GROUP_ID}`)).toMatchObject({
      enabled: true,
      defaultExpiryDays: 30,
    });
    const coordinators = (await getJson(
      fay.api,
      `/api/v1/aid/communities/group.${GROUP_ID}/coordinators`,
    )) as { coordinators: { handle: string }[] };
    expect(coordinators.coordinators.map((c) => c.handle)).toEqual(['gus']);
  });

  it('nothing unexpected went wrong in the browsers', () => {
    for (const [handle, p] of problems) expect(unexpected(p.errors), handle).toEqual([]);
  });
});
