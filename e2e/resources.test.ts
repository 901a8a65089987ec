// The resource directory for a member (docs/RESOURCES.md): Ana runs this Tend and adds four
// places through the API. Mona finds, by keyboard alone, the peer line that is open now and won't
// contact police without consent (a place where that is not known, one closed now and one that
// may call the police are not listed), opens it, saves it to the vault, shows it in "when things
// are hard", and sees it there; then, offline, "when things are hard", the saved list and the
// resource's page still show it with its hours and what it does in a crisis. axe in light and
// dark on the find, resource and saved pages.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { confirmRecoveryKey, signUp } from './support/accounts.js';
import { checkBothSchemes } from './support/axe.js';
import {
  collectProblems,
  newContext,
  noBrowser,
  waitForApp,
  waitForExpression,
  type PageProblems,
} from './support/browser.js';
import { openRegistration } from './support/circle.js';
import { focused, tabTo } from './support/keyboard.js';
import {
  aroundTheClock,
  checkedFact,
  closedNow,
  createResource,
  resourceContent,
  unknownFact,
} from './support/resources.js';
import { seedAccount } from './support/seed.js';
import { useTendAndBrowser } from './support/suite.js';
import { unlockIfAsked } from './support/unlock.js';

const PEER = 'Riverton Peer Line';
const UNKNOWN = 'Harbour Night Line';
const CLOSED = 'Quay Drop-in';
const POLICE = 'Hill Crisis Team';
/** Mona's own note on her saved place: private, so it must never reach the server readable. */
const NOTE = 'Ask for Jo Wrenfeather about the Tuesday circle.';

/** Errors a browser logs by itself while offline or for refusals the test expects. */
const unexpected = (errors: readonly string[]) =>
  errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|api\/v1\//.test(e));

describe.skipIf(noBrowser)('the resource directory for a member', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  const contexts: BrowserContext[] = [];
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  let peerUrl = '';

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it('Ana (the admin) adds four places', async () => {
    const ana = await seedAccount(suite.url, 'ana');
    await openRegistration(ana);
    const policeNo = (content: ReturnType<typeof resourceContent>) => ({
      ...content.crisis,
      facts: {
        ...content.crisis.facts,
        policeWithoutConsent: checkedFact('no', 10, 'Never, even if you say you are at risk.'),
      },
    });
    const base = resourceContent();
    await createResource(
      ana.api,
      resourceContent({ name: PEER, hours: aroundTheClock(), crisis: policeNo(base) }),
    );
    await createResource(
      ana.api,
      resourceContent({
        name: UNKNOWN,
        kinds: ['warmline'],
        hours: aroundTheClock(),
        crisis: {
          ...base.crisis,
          facts: { ...base.crisis.facts, policeWithoutConsent: unknownFact },
        },
      }),
    );
    await createResource(
      ana.api,
      resourceContent({
        name: CLOSED,
        kinds: ['drop-in-centre'],
        hours: closedNow(),
        crisis: policeNo(base),
      }),
    );
    await createResource(
      ana.api,
      resourceContent({
        name: POLICE,
        kinds: ['clinic-or-counselling'],
        hours: aroundTheClock(),
        crisis: {
          ...base.crisis,
          facts: { ...base.crisis.facts, policeWithoutConsent: checkedFact('yes') },
        },
      }),
    );
  });

  it('Mona finds the peer line by keyboard: open now, won’t contact police', async () => {
    context = await newContext(suite.browser);
    contexts.push(context);
    page = await context.newPage();
    problems = collectProblems(page);
    const key = await signUp(page, suite.url, 'mona');
    await confirmRecoveryKey(page, key);
    await page.getByText('Thank you. Your recovery key is saved.').waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Where to turn' }).first().click();
    await page.getByRole('heading', { name: 'Where to turn', level: 1 }).waitFor();
    await page.getByText('4 places shown.').waitFor();
    await page.getByText('Closed now, and not opening in the next two months').waitFor();
    await checkBothSchemes(page, '/resources (all)');

    await page.locator('#find-q').focus();
    await tabTo(page, '#find-open-now');
    await page.keyboard.press('Space');
    await tabTo(page, '#find-crisis-no-police');
    await page.keyboard.press('Space');
    await tabTo(page, '#find-submit');
    expect(await focused(page, '#find-submit')).toBe(true);
    await page.keyboard.press('Enter');

    await page.getByText('1 place shown.').waitFor();
    const results = page.getByRole('region', { name: 'Places' });
    await results.getByRole('link', { name: PEER }).waitFor();
    for (const other of [UNKNOWN, CLOSED, POLICE]) {
      await expect(results.getByRole('link', { name: other }).count()).resolves.toBe(0);
    }
    expect(page.url()).toContain('openNow=true');
    expect(page.url()).toContain('crisis=no-police');
    await results.getByText('Open now, around the clock').waitFor();
    await checkBothSchemes(page, '/resources (filtered)');

    // Reload keeps the search.
    await page.reload();
    await waitForApp(page);
    await page.getByText('1 place shown.').waitFor();
    await expect(page.locator('#find-open-now').isChecked()).resolves.toBe(true);

    // Near me: asked only on the press, rounded on the device, never put in the URL.
    await context.grantPermissions(['geolocation'], { origin: suite.url });
    await context.setGeolocation({ latitude: 51.4912, longitude: -2.6523 });
    await page.getByRole('button', { name: 'Use where I am' }).click();
    await page.getByText('Using where you are (rounded to about 1 km).').waitFor();
    await page
      .getByRole('region', { name: 'Places' })
      .getByText(/^About 0 km away$/)
      .waitFor();
    expect(page.url()).not.toContain('near');
    await page.getByRole('button', { name: 'Stop using where I am' }).click();
    await page.getByRole('button', { name: 'Use where I am' }).waitFor();
  });

  it('opens it, with the crisis policy first, and saves it to the vault', async () => {
    await page.getByRole('link', { name: PEER }).click();
    await page.getByRole('heading', { name: PEER, level: 1 }).waitFor();
    // The reload locked the vault: saving asks for the passphrase first.
    await unlockIfAsked(page, page.getByRole('button', { name: 'Save', exact: true }));
    peerUrl = page.url();
    const crisis = page.getByRole('region', { name: 'What it does in a crisis' });
    await crisis.getByText('Never, even if you say you are at risk.').waitFor();
    await crisis
      .getByText(/Checked by Sam, directory keeper/)
      .first()
      .waitFor();
    await crisis.getByText("Not known — we haven't been able to check this.").first().waitFor();
    await page.getByRole('rowheader', { name: 'Monday' }).waitFor();
    await page.getByRole('link', { name: 'Suggest a correction' }).waitFor();
    await page.getByRole('link', { name: 'History' }).waitFor();
    await checkBothSchemes(page, '/resources/[resourceId]');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved to your vault. Only you can see it.').waitFor();

    // "This may be out of date": a reason, a note, sent; saying it again is met kindly.
    await page.getByRole('button', { name: 'Say it may be out of date' }).click();
    await page.getByRole('radio', { name: 'The hours are wrong' }).check();
    await page.getByLabel('Anything else they should know (optional)').fill('Closed Sundays now.');
    await checkBothSchemes(page, '/resources/[resourceId] (out of date form)');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Thank you. The keepers will check it.').waitFor();
  });

  it('shows it in "when things are hard" from the saved list', async () => {
    await page
      .getByRole('navigation', { name: 'Where to turn' })
      .getByRole('link', { name: 'Saved' })
      .click();
    await page.getByRole('heading', { name: 'My saved places', level: 1 }).waitFor();
    await page.getByRole('heading', { name: PEER, level: 2 }).waitFor();
    await page.getByText('Up to date.').waitFor();
    const show = page.getByRole('checkbox', { name: 'Show in "when things are hard"' });
    await show.check();
    await expect(show.isChecked()).resolves.toBe(true);
    await page.getByLabel('My note').fill(NOTE);
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByText('Note saved.').waitFor();
    await checkBothSchemes(page, '/resources/saved');

    await page.goto(`${suite.url}/hard-times`);
    await waitForApp(page);
    await unlockIfAsked(page, page.getByRole('heading', { name: 'Places I chose' }));
    const places = page.getByTestId('crisis-places');
    await places.getByRole('heading', { name: PEER }).waitFor();
    await places.getByText('Open now, around the clock').waitFor();
    await places.getByRole('link', { name: 'Call 01632 960123' }).waitFor();
    await checkBothSchemes(page, '/hard-times (places I chose, no plan)');

    // The crisis plan's pocket card lists them too.
    await page.goto(`${suite.url}/plans`);
    await waitForApp(page);
    await unlockIfAsked(page, page.getByRole('button', { name: 'Start: Crisis plan' }));
    await page.getByRole('button', { name: 'Start: Crisis plan' }).click();
    await page.getByRole('heading', { name: 'Crisis plan', level: 1 }).waitFor();
    await page.goto(`${page.url()}/print`);
    await waitForApp(page);
    await unlockIfAsked(page, page.getByRole('radio', { name: 'Pocket card' }));
    await page.getByRole('radio', { name: 'Pocket card' }).check();
    const card = page.getByTestId('pocket-card');
    await card.getByTestId('pocket-places').getByText(PEER).waitFor();
    await card.getByText('Phone 01632 960123').waitFor();
    await page.goto(`${suite.url}/hard-times`);
    await waitForApp(page);
    await unlockIfAsked(page, page.getByRole('heading', { name: 'Places I chose' }));
  });

  it('offline, "when things are hard", the saved list and the page still show it', async () => {
    await page.evaluate(`navigator.serviceWorker.ready.then(() => true)`);
    await page.reload();
    await waitForApp(page);
    await waitForExpression(page, `navigator.serviceWorker.controller !== null`);

    await context.setOffline(true);
    await page.reload();
    await waitForApp(page);
    await unlockIfAsked(page, page.getByRole('heading', { name: 'Places I chose' }));
    const places = page.getByTestId('crisis-places');
    await places.getByRole('heading', { name: PEER }).waitFor();
    await places.getByText('Open now, around the clock').waitFor();
    await places.getByText('Contacts police or emergency services without consent?').waitFor();

    await page.goto(`${suite.url}/resources/saved`);
    await waitForApp(page);
    await unlockIfAsked(page, page.getByRole('heading', { name: PEER, level: 2 }));
    await page.getByText("You're offline. These are your saved copies.").waitFor();
    await page.getByText('Open now, around the clock').waitFor();
    await expect(page.getByLabel('My note').inputValue()).resolves.toBe(NOTE);

    await page.goto(peerUrl);
    await waitForApp(page);
    await unlockIfAsked(page, page.getByText(/^Saved copy from/));
    await page.getByRole('heading', { name: PEER, level: 1 }).waitFor();
    await page.getByRole('rowheader', { name: 'Monday' }).waitFor();
    await page.getByText('Never, even if you say you are at risk.').waitFor();
    await page.getByText('Open now, around the clock').waitFor();
    await checkBothSchemes(page, '/resources/[resourceId] (saved copy, offline)');

    await page.goto(`${suite.url}/resources`);
    await waitForApp(page);
    await page.getByText("You're offline — your saved places are still here.").waitFor();
    await page.getByRole('link', { name: 'Open my saved places' }).waitFor();

    await context.setOffline(false);
    expect(unexpected(problems.errors)).toEqual([]);
  });

  it('the server holds her saved list only sealed: her note is in neither its files nor its logs', async () => {
    await page.goto(`${suite.url}/resources/saved`);
    await waitForApp(page);
    await unlockIfAsked(page, page.getByRole('heading', { name: PEER, level: 2 }));
    await page.getByText('Everything is synced').waitFor({ timeout: 30_000 });
    // The check can fail: the saved list really is on the server, as a vault item.
    const pulled = await page.request.get(`${suite.url}/api/v1/vault/changes`);
    expect(pulled.status()).toBe(200);
    const changes = ((await pulled.json()) as { changes: { collection: string }[] }).changes;
    expect(changes.filter((c) => c.collection === 'resources').length).toBeGreaterThan(0);

    const files = readdirSync(suite.tend.dataDir).filter((f) => f.startsWith('tend.db'));
    expect(files).toContain('tend.db');
    const haystacks = [
      ...files.map((f) => ({ where: f, bytes: readFileSync(join(suite.tend.dataDir, f)) })),
      { where: 'server output', bytes: Buffer.from(suite.tend.output(), 'utf8') },
    ];
    // The place itself is the directory's, readable on purpose; the note is Mona's alone.
    expect(haystacks.some((h) => h.bytes.includes(Buffer.from(PEER)))).toBe(true);
    for (const { where, bytes } of haystacks) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        expect(bytes.includes(Buffer.from('Wrenfeather', encoding)), `note in ${where}`).toBe(
          false,
        );
      }
    }
  });
});
