// Things to watch, the gentle offer and reminders in the browser. An account is seeded through
// the API (e2e/support/seed.ts) with three short nights of sleep ending yesterday and a plan
// with early signs and what the person will do then. The watch is made from the plan by
// keyboard and mouse; the offer shows the person's own steps, a link to the plan and one to
// "when things are hard"; "stop watching" asks first; "not now" puts it away and it stays away.
// Reminders: a time a minute ahead is set and the notification is shown (the service worker
// registration's showNotification is spied on), with only the reminder's words; pause, the
// notification's "in an hour" action, resume and stop. axe in light and dark on both pages.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDefaultTrackers, type Checkin } from '../core/src/checkins/index.js';
import { encodePlanItem, type Plan, type Section } from '../core/src/plans/index.js';
import { signIn } from './support/accounts.js';
import {
  collectProblems,
  newContext,
  noBrowser,
  waitForExpression,
  type PageProblems,
} from './support/browser.js';
import { checkinItems, seedAccount } from './support/seed.js';
import { useTendAndBrowser } from './support/suite.js';
import { checkBothSchemes } from './support/axe.js';

const today = new Date().toISOString().slice(0, 10);
const dayMs = 864e5;
const NOW = new Date(Date.parse(`${today}T00:00:00Z`) - 30 * dayMs).toISOString();
const daysAgo = (n: number) => new Date(Date.parse(`${today}T08:00:00Z`) - n * dayMs).toISOString();

/** Ten mornings: 7 hours of sleep, then under 5 hours for the last three nights (to yesterday). */
const checkins: Checkin[] = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((n) => ({
  v: 1,
  id: `sleep-${String(n)}`,
  at: daysAgo(n),
  values: { sleepHours: n <= 3 ? 4 : 7 },
  updatedAt: daysAgo(n),
}));

const SIGNS = 'Early signs that things are getting harder';
const TODO = 'When I notice early signs, I will…';
const plan: Plan = {
  v: 1,
  id: 'plan-wellness',
  title: 'My wellness plan',
  templateId: 'wrap',
  sectionIds: ['sec-signs', 'sec-todo'],
  createdAt: NOW,
  updatedAt: NOW,
  pinned: true,
  retention: { keepVersions: 200 },
};
const sections: Section[] = [
  {
    v: 1,
    id: 'sec-signs',
    planId: plan.id,
    key: 'earlySigns',
    title: SIGNS,
    kind: 'list',
    visibility: 'private',
    updatedAt: NOW,
    entries: [
      { id: 'e1', text: 'Skipping meals', visibility: 'private' },
      { id: 'e2', text: 'Sleeping under five hours', visibility: 'private' },
    ],
  },
  {
    v: 1,
    id: 'sec-todo',
    planId: plan.id,
    key: 'earlySignsPlan',
    title: TODO,
    kind: 'list',
    visibility: 'private',
    updatedAt: NOW,
    entries: [
      { id: 't1', text: 'Ring Sam and say it is a hard week', visibility: 'private' },
      { id: 't2', text: 'Bed by ten', visibility: 'private' },
    ],
  },
];
const planItems = [
  { itemId: plan.id, type: 'plan', plaintext: encodePlanItem(plan) },
  ...sections.map((s) => ({ itemId: s.id, type: 'plan.section', plaintext: encodePlanItem(s) })),
];

/** Records notifications instead of showing them (no private content may be in them). */
const SPY = `
  window.__shown = [];
  const record = (title, options) => window.__shown.push({
    title, body: options && options.body, tag: options && options.tag,
    url: options && options.data && options.data.url,
    actions: ((options && options.actions) || []).map((a) => a.action),
  });
  if (self.ServiceWorkerRegistration) {
    ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
      record(title, options);
      return Promise.resolve();
    };
  }
  if (self.Notification) {
    const Real = self.Notification;
    self.Notification = class extends Real {
      constructor(title, options) { super(title, options); record(title, options); }
    };
  }
`;

describe.skipIf(noBrowser)('things to watch, the gentle offer, and reminders', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;

  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  const offer = () => page.getByTestId('watch-offer');
  const subnav = (name: string) =>
    page.getByRole('navigation', { name: 'Check-ins' }).getByRole('link', { name, exact: true });

  it('makes a watch from the plan: early sign, rule and the person’s own steps', async () => {
    const trackers = makeDefaultTrackers(NOW);
    await seedAccount(suite.url, 'juniper', {
      checkins: checkinItems(trackers, checkins),
      plans: planItems,
    });
    context = await newContext(suite.browser);
    contexts.push(context);
    await context.grantPermissions(['notifications'], { origin: suite.url });
    await context.addInitScript(SPY);
    page = await context.newPage();
    problems = collectProblems(page);
    await signIn(page, suite.url, 'juniper');

    await page.getByRole('navigation').getByRole('link', { name: 'Check-ins' }).first().click();
    await page.getByRole('heading', { name: 'Check in', level: 1 }).waitFor();
    await subnav('Things to watch').click();
    await page.getByRole('heading', { name: 'Things to watch', level: 1 }).waitFor();
    await page.getByText('You are not watching for anything yet.').waitFor();
    await page.getByText('Nothing you watch for is showing up right now.').waitFor();
    await expect(offer().count()).resolves.toBe(0);
    await checkBothSchemes(page, '/checkins/watch (none yet)');

    await page.getByRole('button', { name: 'Add something to watch for' }).click();
    await page.getByRole('heading', { name: 'Something to watch for', level: 3 }).waitFor();
    await page
      .getByLabel('From my plan (if you like)')
      .selectOption({ label: `${SIGNS} — My wellness plan` });
    await page
      .getByLabel('Start from a line of that section')
      .selectOption({ label: 'Sleeping under five hours' });
    const label = page.getByLabel('In my words');
    await expect(label.inputValue()).resolves.toBe('Sleeping under five hours');
    await page.getByLabel('What I track').selectOption({ label: 'Sleep' });
    await expect(page.getByLabel('Is', { exact: true }).inputValue()).resolves.toBe('below');

    // Saving without a value: the error is named beside the field, which takes the focus.
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Please fill this in.').waitFor();
    const value = page.getByLabel('Value, in hours');
    await expect(value.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.evaluate<string>('document.activeElement.id')).resolves.toBe(
      'watch-form-value',
    );
    await checkBothSchemes(page, '/checkins/watch (form with an error)');
    await value.fill('5');
    await page.getByLabel('For how many days in a row').fill('3');

    // Their own steps, copied from the plan and edited.
    await page.getByLabel('Copy steps from').selectOption({ label: `${TODO} — My wellness plan` });
    await page.getByRole('checkbox', { name: 'Ring Sam and say it is a hard week' }).check();
    await page.getByRole('checkbox', { name: 'Bed by ten' }).check();
    await page.getByRole('button', { name: 'Add the ticked steps' }).click();
    await page.getByLabel('Step 2').fill('Bed by ten, phone in the kitchen');
    await page.getByRole('button', { name: 'Add a step in my own words' }).click();
    await expect(page.evaluate<string>('document.activeElement.id')).resolves.toBe(
      'watch-form-step-2',
    );
    await page.keyboard.type('Porridge for breakfast');
    await page.getByRole('button', { name: 'Remove step 3' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('watch-status').getByText('Saved on this device.').waitFor();

    const item = page.getByTestId('watch-item');
    await item.getByRole('heading', { name: 'Sleeping under five hours', level: 3 }).waitFor();
    await item.getByText('Sleep below 5 hours, 3 days in a row').waitFor();
    await item.getByText(`From your plan: ${SIGNS}`).waitFor();
  });

  it('offers the person’s own steps when the pattern shows up; stop asks first', async () => {
    await offer().waitFor();
    await expect(offer().count()).resolves.toBe(1);
    await offer().getByRole('heading', { name: 'Sleeping under five hours', level: 3 }).waitFor();
    await offer().getByText('Sleep has been below 5 hours for 3 days in a row.').waitFor();
    await offer().getByText('You asked to be reminded of your own steps:').waitFor();
    await expect(offer().getByRole('listitem').allTextContents()).resolves.toEqual([
      'Ring Sam and say it is a hard week',
      'Bed by ten, phone in the kitchen',
    ]);
    const planLink = offer().getByRole('link', { name: `Open my plan: ${SIGNS}` });
    await expect(planLink.getAttribute('href')).resolves.toMatch(/\/plans\/plan-wellness$/);
    const reach = offer().getByRole('link', { name: 'Reach out to my people' });
    await expect(reach.getAttribute('href')).resolves.toMatch(/\/hard-times$/);
    await expect(
      page.getByText('Nothing you watch for is showing up right now.').count(),
    ).resolves.toBe(0);
    await checkBothSchemes(page, '/checkins/watch (offer showing)');

    // Stop watching asks first; keeping it changes nothing.
    await offer().getByRole('button', { name: 'Stop watching this' }).click();
    await offer().getByText('Stop watching for “Sleeping under five hours”?').waitFor();
    await offer().getByRole('button', { name: 'Keep watching' }).click();
    await offer().getByRole('button', { name: 'Stop watching this' }).click();
    await offer().getByRole('button', { name: 'Yes, stop watching' }).click();
    await page.getByText('You are no longer watching for “Sleeping under five hours”.').waitFor();
    await offer().waitFor({ state: 'detached' });
    const watching = page
      .getByTestId('watch-item')
      .getByRole('checkbox', { name: /^Watch for this/ });
    await waitForExpression(
      page,
      `!document.querySelector('[data-testid=watch-item] input[type=checkbox]').checked`,
    );
    await expect(watching.isChecked()).resolves.toBe(false);

    // On again: the offer is back.
    await watching.check();
    await page
      .getByTestId('watch-status')
      .getByText('Watching for “Sleeping under five hours”.')
      .waitFor();
    await offer().waitFor();
  });

  it('"not now" puts the offer away on this device, and it stays away', async () => {
    await offer().getByRole('button', { name: 'Not now' }).click();
    await offer().waitFor({ state: 'detached' });
    await page.getByText('Put away for now.', { exact: false }).waitFor();
    await page.getByText('Nothing you watch for is showing up right now.').waitFor();
    await subnav('Reminders').click();
    await page.getByRole('heading', { name: 'Reminders', level: 1 }).waitFor();
    await subnav('Things to watch').click();
    await page.getByTestId('watch-item').waitFor();
    await page.getByText('Nothing you watch for is showing up right now.').waitFor();
    await expect(offer().count()).resolves.toBe(0);

    // Delete asks first.
    await page
      .getByTestId('watch-item')
      .getByRole('button', { name: /^Delete/ })
      .click();
    await page
      .getByText('Delete “Sleeping under five hours”? Your plan itself is not changed.')
      .waitFor();
    await page.getByRole('button', { name: 'Keep it' }).click();
    await expect(page.getByTestId('watch-item').count()).resolves.toBe(1);
  });

  it('shows a reminder at the chosen time, with only its words; pause, resume and stop', async () => {
    await subnav('Reminders').click();
    await page.getByRole('heading', { name: 'Reminders', level: 1 }).waitFor();
    await page.getByText('reminders arrive while Tend is open in a browser tab').waitFor();
    await checkBothSchemes(page, '/checkins/reminders (off)');

    // A time 20–80 seconds ahead (the context is in UTC).
    const at = new Date(Math.ceil((Date.now() + 20_000) / 60_000) * 60_000);
    const hhmm = at.toISOString().slice(11, 16);
    await page.getByLabel('Time 1').fill(hhmm);
    await page.getByLabel('The words of the reminder').fill('Time for a breath');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('checkbox', { name: 'Remind me on this device' }).check();
    const status = page.getByTestId('reminders-status');
    await status.getByText('Saved on this device.').waitFor();
    await status.getByText(/^Next reminder: /).waitFor();
    await checkBothSchemes(page, '/checkins/reminders (on)');

    await waitForExpression(page, 'window.__shown.length > 0', 100_000);
    const shown = await page.evaluate<unknown[]>('window.__shown');
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      title: 'Tend',
      body: 'Time for a breath',
      tag: 'tend-checkin-reminder',
      url: '/checkins',
      // Through the service worker, so the notification carries its two actions.
      actions: ['snooze', 'stop'],
    });
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());

    // Pause for an hour, then resume.
    await page.getByRole('button', { name: 'Pause for an hour' }).click();
    await status.getByText(/^Paused until /).waitFor();
    await page.getByRole('button', { name: 'Resume now' }).click();
    await expect(status.getByText(/^Paused until /).count()).resolves.toBe(0);

    // The notification's "in an hour" action, passed on by the service worker.
    await page.evaluate(`navigator.serviceWorker.dispatchEvent(new MessageEvent('message', {
      data: { type: 'tend.notification', action: 'snooze', tag: 'tend-checkin-reminder' } }))`);
    await status.getByText(/^Paused until /).waitFor();

    // A test reminder by hand shows the same words.
    await page.getByRole('button', { name: 'Show a reminder now' }).click();
    await waitForExpression(page, 'window.__shown.length === 2');

    await page.getByRole('button', { name: 'Stop reminders' }).click();
    await status.getByText('Reminders are off.').waitFor();
    await expect(
      page.getByRole('checkbox', { name: 'Remind me on this device' }).isChecked(),
    ).resolves.toBe(false);
    expect(problems.errors).toEqual([]);
  }, 180_000);

  it('explains before the browser is asked, and asks only when the person says so', async () => {
    // Another device, where notifications have not been allowed yet.
    const other = await newContext(suite.browser);
    contexts.push(other);
    await other.addInitScript(`
      window.__asked = 0;
      Notification.requestPermission = () => { window.__asked += 1; return Promise.resolve('denied'); };
    `);
    const p = await other.newPage();
    await signIn(p, suite.url, 'juniper');
    await p.getByRole('navigation').getByRole('link', { name: 'Check-ins' }).first().click();
    await p
      .getByRole('navigation', { name: 'Check-ins' })
      .getByRole('link', { name: 'Reminders', exact: true })
      .click();
    await p.getByRole('heading', { name: 'Reminders', level: 1 }).waitFor();
    const on = p.getByRole('checkbox', { name: 'Remind me on this device' });
    // Settings are per device: this one starts off.
    await expect(on.isChecked()).resolves.toBe(false);
    await on.click();
    await p.getByText('Your browser will ask you next.', { exact: false }).waitFor();
    await expect(on.isChecked()).resolves.toBe(false);
    await expect(p.evaluate<number>('window.__asked')).resolves.toBe(0);
    await checkBothSchemes(p, '/checkins/reminders (explaining first)');
    await p.getByRole('button', { name: 'Not now' }).click();
    await expect(p.getByRole('button', { name: 'Ask my browser' }).count()).resolves.toBe(0);
    await expect(p.evaluate<number>('window.__asked')).resolves.toBe(0);

    // Asked, and refused: said plainly, and reminders stay off.
    await on.click();
    await p.getByRole('button', { name: 'Ask my browser' }).click();
    await p.getByText('Your browser is set not to show Tend', { exact: false }).waitFor();
    await expect(p.evaluate<number>('window.__asked')).resolves.toBe(1);
    await expect(on.isChecked()).resolves.toBe(false);
  });
});
