// Suggesting, reviewing, editing and history in the resource directory, in two browsers. Ana runs
// this Tend (the first account: an admin, so a directory keeper) and adds a peer line through the
// API. Mia opens /resources/suggest?resource=<id> directly, changes its closing time and a crisis
// fact's note, says why and where from, and sends; she sees it under My suggestions. Ana opens
// Review, opens the suggestion, sees the changed words and publishes it; Mia's suggestion shows
// Published; the history shows version 1 (Added) and 2 (A suggestion published) naming both of
// them. A second suggestion is declined with a note Mia sees. Ana edits the place by keyboard
// alone. axe in light and dark on each page.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sampleResource } from '../core/src/resources/test-support/sample.js';
import { checkBothSchemes } from './support/axe.js';
import { noBrowser } from './support/browser.js';
import { focused, tabTo } from './support/keyboard.js';
import { seedAdminAndOthers, useSignedInPages } from './support/people.js';
import type { SeededAccount } from './support/seed.js';
import { useTendAndBrowser } from './support/suite.js';

const { id: RESOURCE_ID, ...CONTENT } = sampleResource();
const NAME = CONTENT.name;

/** Console errors other than the refusals the test expects. */
const unexpected = (errors: readonly string[]) =>
  errors.filter((e) => !/status of 40[0349]/.test(e));

const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);

/** Whether focus reaches `selector` within a second (focus moves after the page re-renders). */
async function becomesFocused(page: Page, selector: string): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    if (await focused(page, selector)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe.skipIf(noBrowser)('suggesting, reviewing and the history of a place', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const { open, problems } = useSignedInPages(suite);
  let ana: SeededAccount;
  let mia: SeededAccount;
  let anaPage: Page;
  let miaPage: Page;

  it('Ana (admin, so a keeper) adds a peer line through the API', async () => {
    ({ ana, mia } = await seedAdminAndOthers(suite.url, 'ana', 'mia'));
    const made = await ana.api.send('POST', '/api/v1/resources', {
      id: RESOURCE_ID,
      content: CONTENT,
      note: 'From their website',
    });
    expect(made.status, made.text).toBe(201);
    anaPage = await open('ana');
    miaPage = await open('mia');
  });

  it('Mia suggests new hours and a crisis note, and sees it under My suggestions', async () => {
    const page = miaPage;
    await page.goto(`${suite.url}/resources/suggest?resource=${RESOURCE_ID}`);
    await page.getByRole('heading', { level: 1, name: `Suggest a change to ${NAME}` }).waitFor();
    await page.getByText('Keepers see who suggested it').waitFor();
    const closes = byId(page, 're-weekly.0.closesAt');
    await closes.waitFor();
    expect(await closes.inputValue()).toBe('02:00');
    await closes.fill('03:00');
    const factNote = byId(page, 're-facts.policeWithoutConsent.note');
    await factNote.fill('Never, even if you tell them you are in danger.');
    await page.locator('#suggest-note').fill('They stay open an hour later since November.');
    await page.locator('#suggest-source').fill('Their website, November 2026');
    await checkBothSchemes(page, 'suggest a change');

    await page.getByRole('button', { name: 'Send suggestion' }).click();
    const sent = page.getByRole('heading', { name: 'Thank you. Your suggestion was sent.' });
    await sent.waitFor();
    expect(await focused(page, '#sent-heading')).toBe(true);
    await checkBothSchemes(page, 'suggestion sent');

    await page.getByRole('link', { name: 'My suggestions' }).last().click();
    await page.getByRole('heading', { level: 1, name: 'My suggestions' }).waitFor();
    const mine = page.getByTestId('my-suggestion');
    await mine.first().waitFor();
    expect(await mine.count()).toBe(1);
    expect(await mine.first().textContent()).toContain(`A correction to ${NAME}`);
    expect(await mine.first().textContent()).toContain('Waiting to be looked at');
    await checkBothSchemes(page, 'my suggestions');
  });

  it('Mia is told calmly that Review is for keepers; a new place sent empty names what is missing', async () => {
    const page = miaPage;
    await page.goto(`${suite.url}/resources/review`);
    await page.getByText('Only directory keepers review suggestions and flags.').waitFor();
    await checkBothSchemes(page, 'review (not a keeper)');

    await page.goto(`${suite.url}/resources/suggest`);
    await page.getByRole('heading', { level: 1, name: 'Suggest a place' }).waitFor();
    await byId(page, 're-name').waitFor();
    await page.getByRole('button', { name: 'Send suggestion' }).click();
    await byId(page, 're-name-error').waitFor();
    expect(await becomesFocused(page, '[id="re-name"]')).toBe(true);
    await page.getByText('Choose at least one kind of help.').waitFor();
    await checkBothSchemes(page, 'suggest a place, with problems');
  });

  it('Ana reviews it, sees the changed words with who suggested it, and publishes', async () => {
    const page = anaPage;
    await page.goto(`${suite.url}/resources/review`);
    await page.getByRole('heading', { level: 2, name: 'Suggestions waiting' }).waitFor();
    await page.getByTestId('review-suggestion').first().waitFor();
    await checkBothSchemes(page, 'review');
    await page.getByRole('link', { name: `Change to ${NAME}` }).click();

    await page.getByRole('heading', { level: 1, name: `Suggested change to ${NAME}` }).waitFor();
    await page.getByText('Suggested by mia').waitFor();
    const diff = page.getByRole('list', { name: 'What changes' });
    await diff.waitFor();
    const text = (await diff.textContent()) ?? '';
    expect(text).toContain('Opening hours: Opening Monday');
    expect(text).toContain('closes');
    expect(text).toContain('Contacts police or emergency services without consent?: note');
    const added = (await diff.locator('ins').allTextContents()).join(' ');
    const removed = (await diff.locator('del').allTextContents()).join(' ');
    expect(added).toContain('danger');
    expect(added).toContain('added');
    expect(removed).toContain('suicide');
    await page.getByText('They stay open an hour later since November.').waitFor();
    await page.getByText('Their website, November 2026').waitFor();
    await checkBothSchemes(page, 'a suggestion (keeper)');

    await page.locator('#publish-note').fill('Thanks, Mia');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText("Published. It's now in the directory.").waitFor();
    expect(await page.getByTestId('suggestion-status').textContent()).toContain('Published');
  });

  it('Mia sees it published', async () => {
    const page = miaPage;
    await page.goto(`${suite.url}/resources/suggestions`);
    await page.getByRole('radio', { name: 'Published', exact: true }).check();
    const mine = page.getByTestId('my-suggestion');
    await mine.first().waitFor();
    await mine.first().getByRole('link').click();
    await page.getByTestId('suggestion-status').waitFor();
    expect(await page.getByTestId('suggestion-status').textContent()).toContain('Published');
    await page.getByText('You suggested this').waitFor();
    await checkBothSchemes(page, 'a suggestion (its author)');
  });

  it('the history shows both versions, who published and who suggested, and compares them', async () => {
    const page = miaPage;
    await page.goto(`${suite.url}/resources/${RESOURCE_ID}/history`);
    await page.getByRole('heading', { level: 1, name: `History of ${NAME}` }).waitFor();
    const revisions = page.getByTestId('revision');
    await revisions.first().waitFor();
    expect(await revisions.count()).toBe(2);
    const newest = ((await revisions.nth(0).textContent()) ?? '').replace(/\s+/g, ' ');
    expect(newest).toContain('Version 2: A suggestion published');
    expect(newest).toContain('Published by ana');
    expect(newest).toContain('Suggested by mia');
    expect(newest).toContain('Thanks, Mia');
    const oldest = ((await revisions.nth(1).textContent()) ?? '').replace(/\s+/g, ' ');
    expect(oldest).toContain('Version 1: Added');
    expect(oldest).toContain('Published by ana');

    await page.getByLabel('From version').selectOption('1');
    await page.getByLabel('To version').selectOption('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    const heading = page.getByRole('heading', { name: 'From version 1 to version 2' });
    await heading.waitFor();
    const diff = page.getByRole('list', { name: 'From version 1 to version 2' });
    expect((await diff.locator('ins').allTextContents()).join(' ')).toContain('danger');
    await checkBothSchemes(page, 'history');
  });

  it('a second suggestion is declined with a note Mia sees', async () => {
    const current = await mia.api.send('GET', `/api/v1/resources/${RESOURCE_ID}`);
    const { resource } = current.json as { resource: { version: number; content: object } };
    const second = await mia.api.send('POST', '/api/v1/resources/suggestions', {
      id: '7a1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6c',
      resourceId: RESOURCE_ID,
      baseVersion: resource.version,
      content: { ...resource.content, email: 'hello@riverton.example' },
      note: 'They changed their email',
      source: null,
    });
    expect(second.status, second.text).toBe(201);

    const page = anaPage;
    await page.goto(`${suite.url}/resources/suggestions/7a1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6c`);
    await page.getByRole('heading', { level: 1, name: `Suggested change to ${NAME}` }).waitFor();
    await page.locator('#decline-note').fill('We phoned them: the old address still works.');
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.getByRole('button', { name: 'Yes, decline it' }).click();
    await page.getByText('Declined. The person who suggested it will see your note.').waitFor();

    await miaPage.goto(`${suite.url}/resources/suggestions`);
    await miaPage.getByRole('radio', { name: 'Not published' }).check();
    const mine = miaPage.getByTestId('my-suggestion');
    await mine.first().waitFor();
    expect(await mine.first().textContent()).toContain(
      'The keepers said: We phoned them: the old address still works.',
    );
  });

  it('Ana edits the place by keyboard alone: a problem is focused, a phone is added', async () => {
    const page = anaPage;
    await page.goto(`${suite.url}/resources/${RESOURCE_ID}/edit`);
    await page.getByRole('heading', { level: 1, name: `Edit ${NAME}` }).waitFor();
    await byId(page, 're-name').waitFor();
    await checkBothSchemes(page, 'edit a place');

    await tabTo(page, '[id="re-name"]', 120);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Backspace');
    await tabTo(page, 'button[type="submit"]', 400);
    await page.keyboard.press('Enter');
    await byId(page, 're-name-error').waitFor();
    expect(await becomesFocused(page, '[id="re-name"]')).toBe(true);
    expect(await byId(page, 're-name-error').textContent()).toContain('This is needed.');
    await page.keyboard.type(NAME);

    await tabTo(page, '#re-add-phone', 200);
    await page.keyboard.press('Enter');
    expect(await becomesFocused(page, '[id="re-phones.2.number"]')).toBe(true);
    await page.keyboard.type('01632 960555');
    await tabTo(page, 'button[type="submit"]', 400);
    await page.keyboard.press('Enter');
    await page.getByText('Published as version 3.').waitFor();
    await checkBothSchemes(page, 'edit a place after publishing');
  });

  it('a flag shows in Review with who flagged it, and Ana resolves it with a note', async () => {
    const flagged = await mia.api.send('POST', `/api/v1/resources/${RESOURCE_ID}/flags`, {
      reason: 'hours-wrong',
      note: 'They were closed on Tuesday night.',
    });
    expect(flagged.status, flagged.text).toBe(201);
    const page = anaPage;
    await page.goto(`${suite.url}/resources/review`);
    const flag = page.getByTestId('review-flag');
    await flag.first().waitFor();
    const text = (await flag.first().textContent()) ?? '';
    expect(text).toContain(NAME);
    expect(text).toContain('The hours are wrong');
    expect(text).toContain('They were closed on Tuesday night.');
    expect(text).toContain('Flagged by mia');
    await checkBothSchemes(page, 'review with a flag');
    await flag.first().getByLabel('Note about what you did').fill('Phoned them: a one-off.');
    await flag
      .first()
      .getByRole('button', { name: `Resolve: ${NAME}` })
      .click();
    await page.getByText('Resolved.', { exact: true }).waitFor();
    expect(await page.getByTestId('review-flag').count()).toBe(0);
  });

  it('a suggestion written before an edit is published with the keeper’s edits', async () => {
    const old = await ana.api.send('GET', `/api/v1/resources/${RESOURCE_ID}/history/2`);
    const { revision } = old.json as { revision: { content: typeof CONTENT } };
    const id = '8b1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6d';
    const made = await mia.api.send('POST', '/api/v1/resources/suggestions', {
      id,
      resourceId: RESOURCE_ID,
      baseVersion: 2,
      content: { ...revision.content, alternateName: 'Riverton Line' },
      note: null,
      source: null,
    });
    expect(made.status, made.text).toBe(201);

    const page = anaPage;
    await page.goto(`${suite.url}/resources/suggestions/${id}`);
    await page.getByText('The place has changed since this was suggested').waitFor();
    await page.getByRole('button', { name: 'Publish with my edits' }).click();
    await page.getByRole('heading', { name: 'Your edits' }).waitFor();
    await page.getByText('Nothing was changed on both sides.').waitFor();
    const alt = byId(page, 're-alternateName');
    await alt.waitFor();
    expect(await alt.inputValue()).toBe('Riverton Line');
    // The phone added in version 3 is kept.
    expect(await byId(page, 're-phones.2.number').inputValue()).toBe('01632 960555');
    await checkBothSchemes(page, 'publishing a suggestion with edits');
    await page.getByRole('button', { name: 'Publish my edits' }).click();
    await page.getByText("Published. It's now in the directory.").waitFor();

    for (const [handle, p] of problems) expect(unexpected(p.errors), handle).toEqual([]);
  });
});
