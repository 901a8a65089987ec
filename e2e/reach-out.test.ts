// Reaching out, in three browsers. Pia's circle is seeded through the API exactly as the app
// makes it (e2e/support/circle.ts): Sol and Tam accepted her invitations; her settings name both
// for "I need help now"; she shares two crisis-plan parts and "how to reach me" with Sol only.
// Pia reaches out from the home page by keyboard alone, with a note and where she is. Both supporters see it
// arrive live (no reload); Sol sees Pia's wishes first, then her steps, how to reach her and the
// note; Tam sees the level and the note, is told her plan isn't shared, and sees none of it. Sol answers "Calling you now"
// and Pia sees it live; Pia marks herself OK and Sol sees that live. Pia reaches out to Tam with
// Sol to be reached if nobody answers in a minute; nobody does, and both Pia and Sol see Sol
// reached next. In a second tab Pia cancels a reach-out (Sol and Tam see it cancelled), and a
// send that failed offline is kept with a calm message and sent by "Try again" once back online.
// axe in light and dark on every reach-out page and the guide. Offline, Pia sees her own
// resources and people instead.
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
const RETRY_NOTE = 'Sent again once I was back online.';
/** The shortest escalation (1 minute), the worker's 5 s look, and room for a slow machine. */
const ESCALATION_WAIT = 80_000;

/** Errors a browser logs by itself while offline (failed requests), which are expected. */
const withoutOfflineNoise = (errors: readonly string[]) =>
  errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e));

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
  let piaAgain: Page;
  let reachoutPath = '';
  let reachoutId = '';
  let escalationId = '';
  let escalationSentAt = 0;

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
          levels: {
            'help-now': { first: [...ids], next: [], afterMinutes: null },
            // Tam first; Sol only if nobody answers within a minute (the shortest there is).
            struggling: { first: [ids[1] ?? ''], next: [ids[0] ?? ''], afterMinutes: 1 },
          },
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

  // Escalation: her settings reach Tam for "I'm struggling", and Sol too if nobody answers within
  // a minute. The server's worker looks every 5 s, so it fires 60–65 s after sending; the next two
  // tests (in a second tab of Pia's) run meanwhile, and Tam leaves it unopened (opening counts as
  // an answer and would stop it).
  it('Pia reaches out to Tam, with Sol to be reached if nobody answers in a minute', async () => {
    await pia.getByRole('navigation').getByRole('link', { name: 'Home' }).click();
    await pia.getByRole('link', { name: 'Reach out to my people' }).click();
    await pia.getByRole('radio', { name: "I'm struggling — please reach out" }).check();
    expect(await pia.getByRole('checkbox', { name: 'Tam (@tam)' }).isChecked()).toBe(true);
    expect(await pia.getByRole('checkbox', { name: 'Sol (@sol)' }).isChecked()).toBe(false);
    const later = pia.getByRole('checkbox', {
      name: 'If nobody answers in 1 minute, also reach Sol.',
    });
    expect(await later.isChecked()).toBe(true);
    await pia.getByRole('button', { name: 'Reach out', exact: true }).click();
    escalationSentAt = Date.now();
    await pia.waitForURL(/\/reach-out\/[A-Za-z0-9_-]+$/, { timeout: 15_000 });
    escalationId = new URL(pia.url()).pathname.split('/').pop() ?? '';
    expect(escalationId).not.toBe(reachoutId);
    const who = pia.getByRole('region', { name: 'Who was reached' });
    await who.locator('[data-recipient="tam"]').getByText("Hasn't opened it yet").waitFor();
    await who.locator('[data-recipient="sol"]').getByText('Not reached yet').waitFor();
    await who
      .getByText(/^If nobody answers by .+, Tend will also reach the next people you chose\.$/)
      .waitFor();
    await checkBothSchemes(pia, '/reach-out/[id] (escalation waiting)');
  });

  it('Pia cancels a reach-out; Sol and Tam see it cancelled', async () => {
    // A second tab of Pia's (its own sign-in): the first stays on the escalating reach-out.
    const context = await newContext(suite.browser);
    contexts.push(context);
    piaAgain = await context.newPage();
    problems.set('pia (second tab)', collectProblems(piaAgain));
    await signIn(piaAgain, suite.url, 'pia');
    await piaAgain.getByRole('navigation').getByRole('link', { name: 'Home' }).click();
    await piaAgain.getByRole('link', { name: 'Reach out to my people' }).click();
    await piaAgain.getByRole('radio', { name: 'Check in on me' }).check();
    await piaAgain.getByText("Tick the people you'd like to reach.").waitFor();
    await piaAgain.getByRole('checkbox', { name: 'Sol (@sol)' }).check();
    await piaAgain.getByRole('checkbox', { name: 'Tam (@tam)' }).check();
    await piaAgain.getByRole('button', { name: 'Reach out', exact: true }).click();
    await piaAgain.waitForURL(/\/reach-out\/[A-Za-z0-9_-]+$/, { timeout: 15_000 });
    const cancelId = new URL(piaAgain.url()).pathname.split('/').pop() ?? '';

    // Both open it from their list (in-app: the vault stays open).
    for (const page of [sol, tam]) {
      await page.getByRole('link', { name: 'All reach-outs' }).click();
      await page
        .getByRole('region', { name: 'From people I support' })
        .locator(`a[href="/circle/reach-outs/${cancelId}"]`)
        .click({ timeout: LIVE });
      await page.getByRole('heading', { name: 'pia is reaching out', level: 1 }).waitFor();
      await page.getByText('They asked: Check in on me').waitFor();
      await page.getByRole('button', { name: 'Calling you now' }).waitFor();
    }

    await piaAgain.getByRole('button', { name: 'Cancel this reach-out' }).click();
    await piaAgain.locator('[data-status="cancelled"]').getByText('Cancelled').waitFor();
    expect(await piaAgain.getByRole('button', { name: 'Cancel this reach-out' }).count()).toBe(0);
    await checkBothSchemes(piaAgain, '/reach-out/[id] (cancelled)');
    for (const page of [sol, tam]) {
      await page.getByText('pia closed this reach-out.').waitFor({ timeout: LIVE });
      expect(await page.getByRole('button', { name: 'Calling you now' }).count()).toBe(0);
    }
    await checkBothSchemes(sol, '/circle/reach-outs/[id] (cancelled)');
    // In the list it is no longer open.
    await sol.getByRole('link', { name: 'All reach-outs' }).click();
    const item = sol
      .getByRole('region', { name: 'From people I support' })
      .getByRole('listitem')
      .filter({ has: sol.locator(`a[href="/circle/reach-outs/${cancelId}"]`) });
    await item.waitFor();
    expect(await item.textContent()).not.toContain('· open');
  });

  it('offline, sending fails calmly with a retry; back online, the retry reaches Sol', async () => {
    await piaAgain.getByRole('navigation').getByRole('link', { name: 'Home' }).click();
    await piaAgain.getByRole('link', { name: 'Reach out to my people' }).click();
    await piaAgain.getByRole('radio', { name: 'Check in on me' }).check();
    await piaAgain.getByRole('checkbox', { name: 'Sol (@sol)' }).check();
    await piaAgain.getByLabel('A note (optional)').fill(RETRY_NOTE);

    await piaAgain.context().setOffline(true);
    await piaAgain.getByRole('button', { name: 'Reach out', exact: true }).click();
    const status = piaAgain.getByRole('status').filter({
      hasText: "You're offline, so this can't be sent right now",
    });
    await status.waitFor({ timeout: 15_000 });
    // Focus goes to the message, and nothing chosen is lost.
    await expect.poll(() => status.evaluate((el) => el === document.activeElement)).toBe(true);
    const retry = piaAgain.getByRole('button', { name: 'Try again' });
    await retry.waitFor();
    expect(await piaAgain.getByRole('radio', { name: 'Check in on me' }).isChecked()).toBe(true);
    expect(await piaAgain.getByRole('checkbox', { name: 'Sol (@sol)' }).isChecked()).toBe(true);
    expect(await piaAgain.getByLabel('A note (optional)').inputValue()).toBe(RETRY_NOTE);
    expect(new URL(piaAgain.url()).pathname).toBe('/reach-out');
    await checkBothSchemes(piaAgain, '/reach-out (offline, not sent)');

    await piaAgain.context().setOffline(false);
    await retry.click();
    await piaAgain.waitForURL(/\/reach-out\/[A-Za-z0-9_-]+$/, { timeout: 15_000 });
    const retryId = new URL(piaAgain.url()).pathname.split('/').pop() ?? '';
    await piaAgain.getByText('You asked: Check in on me').waitFor();

    // Sol, on the list, sees it arrive live and reads the note.
    const link = sol
      .getByRole('region', { name: 'From people I support' })
      .locator(`a[href="/circle/reach-outs/${retryId}"]`);
    await link.waitFor({ timeout: LIVE });
    await link.click();
    await sol.getByTestId('shared-content').getByText(RETRY_NOTE).waitFor({ timeout: 15_000 });
    // Sent once: one open check-in from Pia in Sol's list, this one.
    await sol.getByRole('link', { name: 'All reach-outs' }).click();
    const open = sol
      .getByRole('region', { name: 'From people I support' })
      .getByRole('listitem')
      .filter({ hasText: 'pia: Check in on me' })
      .filter({ hasText: '· open' });
    await expect.poll(() => open.count()).toBe(1);
  });

  it('nobody answered in time: Pia and Sol see Sol reached next, live', async () => {
    const due = escalationSentAt + ESCALATION_WAIT - Date.now();
    const who = pia.getByRole('region', { name: 'Who was reached' });
    await who
      .locator('[data-recipient="sol"]')
      .getByText('Reached next, because nobody answered in time')
      .waitFor({ timeout: Math.max(due, LIVE) });
    await who
      .getByText(/^Nobody answered in time, so Tend also reached the next people at .+\.$/)
      .waitFor();
    await who.locator('[data-recipient="sol"]').getByText("Hasn't opened it yet").waitFor();
    await checkBothSchemes(pia, '/reach-out/[id] (escalated)');

    // Sol, on the list, sees it arrive, with the calm banner; opens it from the banner.
    const incoming = sol.getByRole('region', { name: 'From people I support' });
    await incoming
      .locator(`a[href="/circle/reach-outs/${escalationId}"]`)
      .getByText("pia: I'm struggling — please reach out")
      .waitFor({ timeout: LIVE });
    const banner = sol
      .getByTestId('reachout-banner')
      .filter({ hasText: "pia is reaching out: I'm struggling — please reach out" });
    await banner.waitFor({ timeout: LIVE });
    await banner.getByRole('link', { name: 'Open it' }).click();
    await sol.getByRole('heading', { name: 'pia is reaching out', level: 1 }).waitFor();
    await sol.getByText("They asked: I'm struggling — please reach out").waitFor();
    await sol.getByRole('button', { name: 'Calling you now' }).waitFor();
    await checkBothSchemes(sol, '/circle/reach-outs/[id] (reached next)');
    await who.locator('[data-recipient="sol"]').getByText('Has seen it').waitFor({ timeout: LIVE });
    for (const [handle, p] of problems) expect(withoutOfflineNoise(p.errors), handle).toEqual([]);
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
