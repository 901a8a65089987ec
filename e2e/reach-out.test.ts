// Reaching out, in three browsers. Pia's circle is seeded through the API exactly as the app
// makes it (e2e/support/circle.ts): Sol and Tam accepted her invitations; her settings name both
// for "I need help now"; she shares two crisis-plan parts and "how to reach me" with Sol only.
// Pia reaches out from the home page by keyboard alone, with a note and where she is. Both supporters see it
// arrive live (no reload); Sol sees Pia's wishes first, then her steps, how to reach her and the
// note; Tam sees the level and the note, is told her plan isn't shared, and sees none of it. Sol answers "Calling you now"
// and Pia sees it live; Pia marks herself OK and Sol sees that live. axe in light and dark on
// every reach-out page and the guide. Offline, Pia sees her own resources and people instead.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Section } from '../core/src/plans/index.js';
import { PASSPHRASE, signIn } from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { seedCircle } from './support/circle.js';
import { useTendAndBrowser } from './support/suite.js';

const NOW = new Date().toISOString();
const WISH = 'Police or an ambulance';
const WANT = 'Someone sitting with me, and tea';
const STEP = 'Feed my cat Miso and text my sister Ana.';
const CONTACT = 'Text me first, then ring the doorbell twice.';
const NOTE = 'I am at home, the door is open.';
const LIVE = 5_000;
const PLACE = { latitude: 51.50735, longitude: -0.12776, accuracy: 25 };

const section = (id: string, key: string, title: string, body: string): Section => ({
  v: 1,
  id,
  planId: 'plan-crisis',
  key,
  title,
  kind: 'text',
  body,
  visibility: 'supporters',
  updatedAt: NOW,
});

/** Presses Tab until the focused element matches `selector` (keyboard only), at most 40 times. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** A page load locks the vault (the keys live in memory): the inline form opens it again. */
async function unlock(page: Page): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

describe.skipIf(noBrowser)('reaching out', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  const problems = new Map<string, PageProblems>();
  let pia: Page;
  let sol: Page;
  let tam: Page;
  let reachoutPath = '';
  let reachoutId = '';

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  async function open(handle: string, where = false): Promise<Page> {
    const context = await newContext(
      suite.browser,
      where ? { geolocation: PLACE, permissions: ['geolocation'] } : {},
    );
    contexts.push(context);
    const page = await context.newPage();
    problems.set(handle, collectProblems(page));
    await signIn(page, suite.url, handle);
    return page;
  }

  it('sets up Pia with Sol and Tam in her circle, sharing with Sol only', async () => {
    await seedCircle(
      suite.url,
      'pia',
      [
        { handle: 'sol', name: 'Sol' },
        { handle: 'tam', name: 'Tam' },
      ],
      {
        settingsFor: (ids) => ({
          levels: { 'help-now': { first: [...ids], next: [], afterMinutes: null } },
          reach: CONTACT,
          resources: [{ name: 'Peer warmline', reach: '0800 000 000, evenings' }],
        }),
        shareWith: ['sol'],
        sections: [
          {
            planId: 'plan-crisis',
            planTitle: 'My crisis plan',
            section: section('sec-care', 'takeCare', 'Things others need to take care of', STEP),
          },
          {
            planId: 'plan-crisis',
            planTitle: 'My crisis plan',
            section: {
              v: 1,
              id: 'sec-treat',
              planId: 'plan-crisis',
              key: 'treatments',
              title: 'Treatments and approaches I want, accept or refuse',
              kind: 'choices',
              entries: [
                { id: 'c-no', text: WISH, stance: 'refuse', visibility: 'supporters' },
                { id: 'c-yes', text: WANT, stance: 'want', visibility: 'supporters' },
              ],
              visibility: 'supporters',
              updatedAt: NOW,
            },
          },
        ],
        contact: CONTACT,
      },
    );
    [pia, sol, tam] = await Promise.all([open('pia', true), open('sol'), open('tam')]);
  });

  it('the guide and the empty list pass axe', async () => {
    await sol.goto(`${suite.url}/circle/guide`);
    await sol.getByRole('heading', { name: 'Supporting someone, without taking over' }).waitFor();
    await sol
      .getByRole('heading', { name: "Don't call police or services against their wishes" })
      .waitFor();
    await checkBothSchemes(sol, '/circle/guide');
    for (const page of [sol, tam]) {
      await page.goto(`${suite.url}/circle/reach-outs`);
      await page.getByRole('heading', { name: 'Reach-outs', level: 1 }).waitFor();
      await unlock(page);
      await page
        .getByRole('region', { name: 'From people I support' })
        .getByText('Nothing here.')
        .waitFor();
    }
    await checkBothSchemes(tam, '/circle/reach-outs (empty)');
  });

  it('Pia reaches out from home by keyboard alone', async () => {
    // In-app navigation keeps the vault open.
    await pia.getByRole('navigation').getByRole('link', { name: 'Home' }).click();
    await pia.getByRole('link', { name: 'Reach out to my people' }).click();
    await pia.getByRole('heading', { name: 'Reach out to my people', level: 1 }).waitFor();
    await pia.getByRole('radio', { name: 'I need help now (use my crisis plan)' }).waitFor();

    // Tab into the levels and choose the third with the arrow keys.
    await tabTo(pia, 'input[type="radio"]');
    await pia.keyboard.press('ArrowDown');
    await pia.keyboard.press('ArrowDown');
    await expect
      .poll(() =>
        pia.getByRole('radio', { name: 'I need help now (use my crisis plan)' }).isChecked(),
      )
      .toBe(true);
    // Her settings chose Sol and Tam.
    expect(await pia.getByRole('checkbox', { name: 'Sol (@sol)' }).isChecked()).toBe(true);
    expect(await pia.getByRole('checkbox', { name: 'Tam (@tam)' }).isChecked()).toBe(true);

    await tabTo(pia, 'textarea#reach-note');
    await pia.keyboard.type(NOTE);
    // Where she is: asked of the browser only now, and shown as it will be shared.
    await tabTo(pia, 'input[aria-describedby="reach-location-hint"]');
    await pia.keyboard.press('Space');
    await pia
      .getByText('They will see: latitude 51.50735, longitude -0.12776 (within about 25 metres).')
      .waitFor();
    await checkBothSchemes(pia, '/reach-out (filled in)');

    await tabTo(pia, 'button[type="submit"]');
    await pia.keyboard.press('Enter');
    await pia.waitForURL(/\/reach-out\/[A-Za-z0-9_-]+$/, { timeout: 15_000 });
    reachoutPath = new URL(pia.url()).pathname;
    reachoutId = reachoutPath.split('/').pop() ?? '';
    await pia.getByRole('heading', { name: 'My reach-out', level: 1 }).waitFor();
    await pia.getByText('You asked: I need help now (use my crisis plan)').waitFor();
    const who = pia.getByRole('region', { name: 'Who was reached' });
    await who
      .locator('[data-recipient="sol"]')
      .getByText("Hasn't opened it yet")
      .or(who.locator('[data-recipient="sol"]').getByText('Has seen it'))
      .first()
      .waitFor();
    await checkBothSchemes(pia, '/reach-out/[id]');
  });

  it('both supporters see it arrive live, without reloading', async () => {
    for (const page of [sol, tam]) {
      const link = page
        .getByRole('region', { name: 'From people I support' })
        .getByRole('link', { name: 'pia: I need help now (use my crisis plan)' });
      await link.waitFor({ timeout: LIVE });
      expect(await link.getAttribute('href')).toBe(`/circle/reach-outs/${reachoutId}`);
      // The calm banner says the same on any page.
      await page
        .getByTestId('reachout-banner')
        .getByText('pia is reaching out')
        .waitFor({ timeout: LIVE });
    }
    await checkBothSchemes(sol, '/circle/reach-outs (one open)');
  });

  it('Sol sees Pia’s wishes first, then her steps, how to reach her and her note', async () => {
    // As from the link in a notification: a new page load, so the vault is unlocked first.
    await sol.goto(`${suite.url}/circle/reach-outs/${reachoutId}`);
    await unlock(sol);
    await sol.getByRole('heading', { name: 'pia is reaching out', level: 1 }).waitFor();
    const shared = sol.getByTestId('shared-content');
    // What she refuses is in the first part, "what they want — and what they don't".
    const wishes = shared.getByRole('region', { name: "What they want — and what they don't" });
    await wishes.getByText(WISH).waitFor({ timeout: 15_000 });
    await wishes.getByText(WANT).waitFor();
    const headings = await shared.getByRole('heading', { level: 2 }).allTextContents();
    expect(headings.map((h) => h.trim())).toEqual([
      "What they want — and what they don't",
      'Their crisis plan: how to support them',
      'How to reach them',
      'Their note',
      'Where they are',
    ]);
    await shared.getByText(STEP).waitFor();
    await shared.getByText(CONTACT).waitFor();
    await shared.getByText(NOTE).waitFor();
    await shared
      .getByText('Latitude 51.50735, longitude -0.12776 (within about 25 metres)')
      .waitFor();
    await sol.getByRole('link', { name: "How to support someone, in Tend's words" }).waitFor();
    await checkBothSchemes(sol, '/circle/reach-outs/[id] (shared)');
  });

  it('Tam, with no plan shared, sees the level and the note, and nothing of her plan', async () => {
    await tam.goto(`${suite.url}/circle/reach-outs/${reachoutId}`);
    await unlock(tam);
    await tam.getByRole('heading', { name: 'pia is reaching out', level: 1 }).waitFor();
    await tam.getByText('They asked: I need help now (use my crisis plan)').waitFor();
    await tam.getByTestId('nothing-shared').waitFor();
    // The note was sealed for Tam too (only it: a collection of his own with just the note).
    await tam.getByTestId('shared-content').getByText(NOTE).waitFor({ timeout: 15_000 });
    const text = (await tam.locator('main').textContent()) ?? '';
    for (const secret of [WISH, WANT, STEP, CONTACT, 'Miso', 'Police']) {
      expect(text).not.toContain(secret);
    }
    expect(
      await tam.getByRole('heading', { name: "What they want — and what they don't" }).count(),
    ).toBe(0);
    await checkBothSchemes(tam, '/circle/reach-outs/[id] (nothing shared)');
  });

  it('Sol answers “Calling you now”; Pia and Tam see it live', async () => {
    await sol.getByRole('button', { name: 'Calling you now' }).click();
    await sol.getByText('You answered: Calling you now').waitFor();
    await pia
      .locator('[data-recipient="sol"]')
      .getByText('Calling you now')
      .waitFor({ timeout: LIVE });
    await tam
      .getByRole('region', { name: "Everyone's answers" })
      .locator('[data-recipient="sol"]')
      .getByText('Calling you now')
      .waitFor({ timeout: LIVE });
    // Opening it marked it seen for Tam.
    await pia.locator('[data-recipient="tam"]').getByText('Has seen it').waitFor({ timeout: LIVE });
  });

  it('Pia says she is OK now; Sol sees it live', async () => {
    await pia.getByRole('button', { name: "I'm OK now — mark resolved" }).click();
    await pia.getByText('Marked as OK').waitFor();
    await sol.getByText("pia said they're OK now.").waitFor({ timeout: LIVE });
    expect(await sol.getByRole('button', { name: 'Calling you now' }).count()).toBe(0);
    for (const [handle, p] of problems) expect(p.errors, handle).toEqual([]);
  });

  it('offline, Pia is told it cannot be sent and sees her own resources and people', async () => {
    await pia.context().setOffline(true);
    await pia.getByRole('navigation').getByRole('link', { name: 'Home' }).click();
    await pia.getByRole('link', { name: 'Reach out to my people' }).click();
    const help = pia.getByRole('region', {
      name: "You're offline, so this can't be sent right now",
    });
    await help.waitFor();
    await help.getByText('Peer warmline').waitFor();
    await help.getByText('0800 000 000, evenings', { exact: false }).waitFor();
    await help.getByText('Sol: text first').waitFor();
    await help.getByRole('link', { name: 'My steps for when things are hard' }).waitFor();
    await pia.context().setOffline(false);
  });
});
