// "My plan" in the browser: start a crisis plan by keyboard, write in it, go offline, reload,
// unlock, read and edit it, reconnect, and read the edit on a second device. axe on every page.
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

/** Errors a browser logs by itself while offline (failed requests), which are expected. */
const offlineNoise = (errors: readonly string[]) =>
  errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|api\/v1\//.test(e));

const WELL = "What I'm like when I'm well";
const saveStatus = (page: Page) => page.getByTestId('save-status');

describe.skipIf(noBrowser)('my plan', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  let page: Page;
  let context: BrowserContext;
  let problems: PageProblems;
  let planUrl = '';
  const files: { md?: string; json?: string } = {};

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it('starts a crisis plan from its template by keyboard alone', async () => {
    context = await newContext(suite.browser);
    contexts.push(context);
    page = await context.newPage();
    problems = collectProblems(page);
    const key = await signUp(page, suite.url, 'ada');
    await confirmRecoveryKey(page, key);
    await page.getByText('Thank you. Your recovery key is saved.').waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'My plan' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'My plans', level: 1 }).waitFor();
    await page.getByText("You haven't started a plan yet.").waitFor();
    await page.getByRole('heading', { name: 'Crisis plan', level: 3 }).waitFor();
    await checkBothSchemes(page, '/plans (no plans yet)');

    await page.getByRole('button', { name: 'Start: Crisis plan' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Crisis plan', level: 1 }).waitFor();
    planUrl = page.url();
    expect(planUrl).toMatch(/\/plans\/[A-Za-z0-9_-]+$/);
    // The template's sections, each with its prompt as a gentle hint.
    await page.getByRole('heading', { name: WELL, level: 2 }).waitFor();
    await page.getByText('Anything that would help someone recognise you at your best').waitFor();
    await page.getByRole('heading', { name: 'Who I want involved, and who I don’t' }).waitFor();
    await checkBothSchemes(page, '/plans/[id] (new crisis plan)');
  });

  it('writes a section by keyboard, with the toolbar, and it is saved on this device', async () => {
    const body = page.getByRole('textbox', { name: WELL, exact: true });
    await body.focus();
    await page.keyboard.type('I laugh a lot and cook for friends. ');
    // The toolbar, by keyboard: back to it, arrow to "Bold", press it, type over the placeholder.
    await page.keyboard.press('Shift+Tab'); // Preview
    await page.keyboard.press('Shift+Tab'); // the toolbar (one Tab stop)
    await page.keyboard.press('ArrowRight');
    await expect(page.evaluate<string>('document.activeElement.textContent.trim()')).resolves.toBe(
      'Bold',
    );
    await page.keyboard.press('Enter');
    await page.keyboard.type('Slow mornings');
    await expect(body.inputValue()).resolves.toBe(
      'I laugh a lot and cook for friends. **Slow mornings**',
    );
    await saveStatus(page)
      .getByText(/Saved on this device|Synced/)
      .waitFor();
    await expect(saveStatus(page).getAttribute('aria-live')).resolves.toBe('polite');

    // Marked for supporters: words and an icon, not colour alone.
    await page.getByRole('button', { name: `Who can see ${WELL}: Private to me` }).click();
    await page.getByRole('button', { name: `Who can see ${WELL}: For supporters` }).waitFor();

    // The preview shows it rendered, sanitised.
    await page.getByRole('button', { name: 'Preview' }).first().click();
    await page
      .getByRole('region', { name: `Preview of ${WELL}` })
      .locator('strong', { hasText: 'Slow mornings' })
      .waitFor();
    await checkBothSchemes(page, '/plans/[id] (preview)');
    await page.getByRole('button', { name: 'Preview' }).first().click();

    // A person, and an entry marked for supporters.
    await page.getByRole('button', { name: 'Add a person' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Sam');
    await page
      .getByRole('textbox', { name: 'How to reach them', exact: true })
      .fill('07700 900123');
    await page.getByRole('radio', { name: 'No, they must not be involved' }).check();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Sam Jones');
    await saveStatus(page)
      .getByText(/Saved on this device|Synced/)
      .waitFor();
    await checkBothSchemes(page, '/plans/[id] (with entries)');

    // Undo takes back the last change (the name, typed as one step).
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(
      page.getByRole('textbox', { name: 'Name', exact: true }).inputValue(),
    ).resolves.toBe('Sam');
    await saveStatus(page)
      .getByText(/Saved on this device|Synced/)
      .waitFor();

    // A second person, moved to the top of the list by keyboard.
    await page.getByRole('button', { name: 'Add a person' }).click();
    const names = page.getByRole('textbox', { name: 'Name', exact: true });
    await names.nth(1).fill('Jo');
    await page
      .getByRole('textbox', { name: 'How to reach them', exact: true })
      .nth(1)
      .fill('Next door');
    await page.getByRole('button', { name: 'Move Person 2 up' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Jo is now number 1.').waitFor();
    await expect(names.first().inputValue()).resolves.toBe('Jo');
    await expect(page.evaluate<string>('document.activeElement.textContent.trim()')).resolves.toBe(
      'Move down',
    );
    // What helps and what doesn't; a choice about treatment.
    await page.getByRole('button', { name: 'Add a pair' }).first().click();
    await page.getByRole('textbox', { name: 'What helps', exact: true }).first().fill('Quiet');
    await page.getByRole('button', { name: 'Add a choice' }).first().click();
    await page.getByRole('textbox', { name: 'What', exact: true }).first().fill('A blanket');
    await page.getByRole('combobox', { name: 'My choice' }).first().selectOption('accept');
    await saveStatus(page)
      .getByText(/Saved on this device|Synced/)
      .waitFor();
    await checkBothSchemes(page, '/plans/[id] (people, pairs, choices)');
  });

  it('reorders, renames and removes sections; the confirm says history keeps it', async () => {
    await page.getByRole('button', { name: `Move “${WELL}” down` }).click();
    await page.getByText(`Moved “${WELL}” to place 2 of`).waitFor();
    const titles = await page.locator('section.plan-section h2').allTextContents();
    expect(titles[1]?.trim()).toBe(WELL);
    await page.getByRole('button', { name: `Move “${WELL}” up` }).click();

    await page
      .getByRole('button', { name: 'Rename “Signs that I need others to step in”' })
      .click();
    await page.getByLabel('Section title').fill('When to step in');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'When to step in', level: 2 }).waitFor();

    await page.getByRole('button', { name: 'Remove “When to step in”' }).click();
    await page.getByText("stays in the plan's history").waitFor();
    await checkBothSchemes(page, '/plans/[id] (remove confirm)');
    await page.getByRole('button', { name: 'Remove this section' }).click();
    await page.getByText('“When to step in” removed.').waitFor();
    await expect(page.getByRole('heading', { name: 'When to step in' }).count()).resolves.toBe(0);
    await saveStatus(page)
      .getByText(/Saved on this device|Synced/)
      .waitFor();
  });

  it('history: versions with dates, a readable diff, and bringing one back', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History of “Crisis plan”', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Saved versions' }).waitFor();
    const restoreButtons = page.getByRole('button', { name: /^Bring back the version from / });
    expect(await restoreButtons.count()).toBeGreaterThanOrEqual(2);
    // The first version (the plan as it was started) against now: the removed section shows.
    // The editor makes one more version as it is left, which may reach this page's list only
    // after it has opened (on a slow machine), moving the oldest down one: it is chosen again
    // until the diff shows the words written since.
    const from = page.getByLabel('From', { exact: true });
    const added = page.getByTestId('diff').locator('ins', { hasText: 'Slow mornings' });
    await expect
      .poll(
        async () => {
          const count = await from.locator('option').count();
          await from.selectOption({ index: count - 1 });
          return added.count();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBeGreaterThan(0);
    await page
      .getByTestId('diff')
      .getByText('Removed: Signs that I need others to step in')
      .waitFor();
    await checkBothSchemes(page, '/plans/[id]/history');

    // Bring back the first version: the removed section returns, and the history grows.
    const before = await restoreButtons.count();
    await restoreButtons.last().click();
    await page.getByText('The plan as it is now stays in the history too.').waitFor();
    await page.getByRole('button', { name: 'Yes, bring it back' }).click();
    await page.getByText('The plan as it was just before is in the history too.').waitFor();
    await expect.poll(() => restoreButtons.count()).toBeGreaterThanOrEqual(before + 2);
    await page.getByRole('link', { name: 'Back to the plan' }).click();
    await page
      .getByRole('heading', { name: 'Signs that I need others to step in', level: 2 })
      .waitFor();
    await expect(page.getByRole('textbox', { name: WELL, exact: true }).inputValue()).resolves.toBe(
      '',
    );

    // Undo the restore: the plan is back to what was written.
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'Saved versions' }).waitFor();
    // The newest version is the restore; the one before it is the plan just before.
    await page
      .getByRole('button', { name: /^Bring back the version from / })
      .nth(1)
      .click();
    await page.getByRole('button', { name: 'Yes, bring it back' }).click();
    await page.getByText('The plan as it was just before is in the history too.').waitFor();
    await page.getByRole('link', { name: 'Back to the plan' }).click();
    await expect
      .poll(() => page.getByRole('textbox', { name: WELL, exact: true }).inputValue())
      .toBe('I laugh a lot and cook for friends. **Slow mornings**');
  });

  it('prints the plan and a pocket card, with nothing else on paper', async () => {
    await page.getByRole('link', { name: 'Print or save as PDF' }).click();
    await page.getByRole('button', { name: 'Print…' }).waitFor();
    const plan = page.getByTestId('print-plan');
    await plan.locator('strong', { hasText: 'Slow mornings' }).waitFor();
    await checkBothSchemes(page, '/plans/[id]/print');
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate<{ header: string; exit: string; controls: string }>(`({
      header: getComputedStyle(document.querySelector('.site-header')).display,
      exit: getComputedStyle(document.querySelector('.quick-exit')).display,
      controls: getComputedStyle(document.querySelector('.controls')).display,
    })`);
    expect(printed).toEqual({ header: 'none', exit: 'none', controls: 'none' });
    const text = (await plan.textContent()) ?? '';
    expect(text).toContain(WELL);
    expect(text).toContain('Slow mornings');
    const shot = await page.screenshot({ fullPage: true });
    expect(shot.byteLength).toBeGreaterThan(1000);
    await page.emulateMedia({ media: 'screen' });

    await page.getByRole('radio', { name: 'Pocket card' }).check();
    const card = page.getByTestId('pocket-card');
    await card.getByText("What I don't want").waitFor();
    await card.getByText('Sam').waitFor();
    await checkBothSchemes(page, '/plans/[id]/print (pocket card)');
    await page.getByRole('link', { name: 'Back to the plan' }).click();
    await page.getByRole('heading', { name: 'Crisis plan', level: 1 }).waitFor();
  });

  it('pinned, its steps are on "When things are hard", reachable from the home page', async () => {
    await page.getByRole('button', { name: 'Pin to When things are hard' }).click();
    await page.getByRole('button', { name: 'Unpin from When things are hard' }).waitFor();
    await saveStatus(page)
      .getByText(/Saved on this device|Synced/)
      .waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Home' }).click();
    await page.getByRole('link', { name: 'When things are hard' }).click();
    await page.getByRole('heading', { name: 'When things are hard', level: 1 }).waitFor();
    await page.getByRole('heading', { name: WELL, level: 2 }).waitFor();
    await page.locator('.rendered strong', { hasText: 'Slow mornings' }).waitFor();
    await page.getByText('From “Crisis plan”').first().waitFor();
    await checkBothSchemes(page, '/hard-times');
  });

  it('saves copies as Markdown and as JSON', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'My plan' }).click();
    await page.getByRole('heading', { name: 'Save a copy or bring one in' }).waitFor();
    await checkBothSchemes(page, '/plans (one plan)');
    for (const [name, ext] of [
      ['Save as Markdown — Crisis plan', 'md'],
      ['Save as JSON, with its history — Crisis plan', 'json'],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`crisis-plan.${ext}`);
      const path = await download.path();
      files[ext] = path;
      const text = await readFile(path, 'utf8');
      expect(text).toContain('Slow mornings');
    }
    await page.getByRole('link', { name: 'Crisis plan' }).click();
    await page.getByRole('heading', { name: 'Crisis plan', level: 1 }).waitFor();
  });

  it('offline: reload, unlock, read and edit the plan; back online it syncs', async () => {
    await saveStatus(page).getByText('Synced').waitFor({ timeout: 20_000 });
    // The service worker controls the page, so the app opens with no network.
    await page.evaluate(`navigator.serviceWorker.ready.then(() => true)`);
    await page.goto(planUrl);
    await waitForApp(page);
    await waitForExpression(page, `navigator.serviceWorker.controller !== null`);

    await context.setOffline(true);
    await page.reload();
    await waitForApp(page);
    await page.getByText('Your data is locked on this device.').waitFor();
    await checkBothSchemes(page, '/plans/[id] (locked, offline)');
    await page.getByLabel('Passphrase', { exact: true }).focus();
    await page.keyboard.type(PASSPHRASE);
    await page.keyboard.press('Enter');
    const body = page.getByRole('textbox', { name: WELL, exact: true });
    await body.waitFor({ timeout: DERIVE_TIMEOUT });
    await expect(body.inputValue()).resolves.toBe(
      'I laugh a lot and cook for friends. **Slow mornings**',
    );

    // Read view: Markdown rendered (sanitised), people with what they asked for.
    await page.getByRole('button', { name: 'Read', exact: true }).click();
    await page.locator('.rendered strong', { hasText: 'Slow mornings' }).waitFor();
    await page.getByText('Must not be involved').waitFor();
    await checkBothSchemes(page, '/plans/[id] (read)');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();

    await body.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Walking by the river.');
    await saveStatus(page).getByText('Saved on this device').waitFor();

    await context.setOffline(false);
    await saveStatus(page).getByText('Synced').waitFor({ timeout: 30_000 });
    expect(offlineNoise(problems.errors)).toEqual([]);
  });

  it('a second device signed in as the same person reads the edit', async () => {
    const second = await newContext(suite.browser);
    contexts.push(second);
    const other = await second.newPage();
    const otherProblems = collectProblems(other);
    await signIn(other, suite.url, 'ada');
    await other.getByRole('navigation').getByRole('link', { name: 'My plan' }).click();
    await other.getByRole('link', { name: 'Crisis plan' }).click({ timeout: 20_000 });
    const body = other.getByRole('textbox', { name: WELL, exact: true });
    await expect
      .poll(() => body.inputValue(), { timeout: 20_000 })
      .toBe('I laugh a lot and cook for friends. **Slow mornings** Walking by the river.');
    await other.getByRole('link', { name: 'All my plans' }).click();
    await other.getByRole('heading', { name: 'Your plans' }).waitFor();
    await checkBothSchemes(other, '/plans (one plan)');
    expect(otherProblems.errors).toEqual([]);
  });

  it('deletes the plan and its history', async () => {
    await page.getByRole('button', { name: 'Delete this plan…' }).click();
    await page.getByRole('button', { name: 'Yes, delete “Crisis plan” and its history' }).click();
    await page.getByRole('heading', { name: 'My plans', level: 1 }).waitFor();
    await page.getByText("You haven't started a plan yet.").waitFor();
    expect(offlineNoise(problems.errors)).toEqual([]);
  });

  it('brings plans back in from the JSON (with history) and Markdown copies', async () => {
    const input = page.getByLabel('A plan file saved from Tend (.json or .md)');
    await input.setInputFiles(files.json ?? '');
    await page.getByRole('button', { name: 'Bring it in' }).click();
    await page.getByText('“Crisis plan” is now one of your plans.').waitFor();
    await page.getByRole('link', { name: 'Crisis plan' }).waitFor();
    // The same plan again, from Markdown: it comes in beside it, as a copy.
    await input.setInputFiles(files.md ?? '');
    await page.getByRole('button', { name: 'Bring it in' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Crisis plan' }).count()).toBe(2);
    // Something that is not a plan is refused, and nothing changes.
    await input.setInputFiles({
      name: 'x.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"a":1}'),
    });
    await page.getByRole('button', { name: 'Bring it in' }).click();
    await page.getByText("This file couldn't be read as a plan from Tend.").waitFor();
    await checkBothSchemes(page, '/plans (import refused)');

    await page.getByRole('link', { name: 'Crisis plan' }).first().click();
    await expect
      .poll(() => page.getByRole('textbox', { name: WELL, exact: true }).inputValue())
      .toBe('I laugh a lot and cook for friends. **Slow mornings**');
    expect(offlineNoise(problems.errors)).toEqual([]);
  });
});
