// Notification settings in the browser, by keyboard alone: email off, quiet hours over midnight
// in a chosen time zone, saved and still there after a reload (and on the server); a pause for a
// week and turning notifications back on; "Notifications on this device" explains before the
// browser is asked, and "Not now" asks nothing. axe in light and dark.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBothSchemes } from './support/axe.js';
import { confirmRecoveryKey, signUp } from './support/accounts.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';

/** Presses Tab until `expression` (about document.activeElement, as `a`) is true. */
async function tabTo(page: Page, expression: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (
      await page.evaluate<boolean>(
        `(() => { const a = document.activeElement; return !!(${expression}); })()`,
      )
    ) {
      return;
    }
  }
  throw new Error(`Tab never reached: ${expression}`);
}

const activeId = (page: Page) => page.evaluate<string>('document.activeElement?.id ?? ""');
const serverSettings = (page: Page) =>
  page.evaluate<Record<string, unknown>>(
    `fetch('/api/v1/notify/settings', { credentials: 'same-origin' }).then((r) => r.json())`,
  );

describe.skipIf(noBrowser)('notification settings', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  let context: BrowserContext | undefined;
  let page: Page;
  let problems: PageProblems;

  afterAll(async () => {
    await context?.close();
  });

  it('chosen by keyboard, saved, and still there after a reload', async () => {
    // A 24-hour clock and the person's own zone, which quiet hours start from.
    context = await newContext(suite.browser, { locale: 'en-GB', timezoneId: 'Europe/Paris' });
    page = await context.newPage();
    problems = collectProblems(page);
    const key = await signUp(page, suite.url, 'juniper');
    await confirmRecoveryKey(page, key);
    await page.getByText('Thank you. Your recovery key is saved.').waitFor();

    await page.goto(`${suite.url}/account`);
    const link = page.getByRole('link', {
      name: 'Notifications: email, this device, quiet hours and pausing',
    });
    await link.focus();
    await page.keyboard.press('Enter');
    const heading = page.getByRole('heading', { name: 'Notifications', level: 1 });
    await heading.waitFor();
    await page.getByTestId('pause-state').getByText('Not paused.').waitFor();
    await page
      .getByText('Your account has no email address, so Tend sends you no email.')
      .waitFor();
    // The person reaching out sees a pause: said plainly before anyone pauses.
    await page
      .getByText('Someone in your circle who reaches out sees that you are paused', {
        exact: false,
      })
      .waitFor();
    await checkBothSchemes(page, '/account/notifications');

    // Email off, quiet hours on (22:00 until 06:30), in New York.
    await heading.focus();
    await tabTo(page, `a.id === 'notify-email'`);
    await expect(page.locator('#notify-email').isChecked()).resolves.toBe(true);
    await page.keyboard.press('Space');
    await tabTo(page, `a.id === 'quiet-on'`);
    await page.keyboard.press('Space');
    await page.locator('#quiet-start').waitFor();
    await expect(page.locator('#quiet-zone').inputValue()).resolves.toBe('Europe/Paris');
    await tabTo(page, `a.id === 'quiet-end'`);
    await page.keyboard.type('0630');
    await expect(page.locator('#quiet-end').inputValue()).resolves.toBe('06:30');
    await tabTo(page, `a.id === 'quiet-zone'`);
    await page.keyboard.type('America/New_York');
    await expect(page.locator('#quiet-zone').inputValue()).resolves.toBe('America/New_York');
    await checkBothSchemes(page, '/account/notifications (quiet hours)');
    await tabTo(page, `a.type === 'submit'`);
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Saved.').waitFor();
    await expect(serverSettings(page)).resolves.toMatchObject({
      email: false,
      push: true,
      quietHours: { start: '22:00', end: '06:30', timeZone: 'America/New_York' },
      pausedUntil: null,
    });

    await page.reload();
    await heading.waitFor();
    await page.locator('#quiet-zone').waitFor();
    await expect(page.locator('#notify-email').isChecked()).resolves.toBe(false);
    await expect(page.locator('#quiet-on').isChecked()).resolves.toBe(true);
    await expect(page.locator('#quiet-start').inputValue()).resolves.toBe('22:00');
    await expect(page.locator('#quiet-end').inputValue()).resolves.toBe('06:30');
    await expect(page.locator('#quiet-zone').inputValue()).resolves.toBe('America/New_York');
  });

  it('a pause for a week, kept across a reload, and turned back on', async () => {
    const heading = page.getByRole('heading', { name: 'Notifications', level: 1 });
    await heading.focus();
    await tabTo(page, `a.textContent.trim() === 'For a week'`);
    const before = Date.now();
    await page.keyboard.press('Enter');
    await page.getByTestId('pause-state').getByText('Paused until', { exact: false }).waitFor();
    await expect(activeId(page)).resolves.toBe('pause-heading');
    const until = Date.parse(String((await serverSettings(page)).pausedUntil));
    expect(until - before).toBeGreaterThan(7 * 864e5 - 60_000);
    expect(until - before).toBeLessThan(7 * 864e5 + 60_000);

    await page.reload();
    await page.getByTestId('pause-state').getByText('Paused until', { exact: false }).waitFor();
    await checkBothSchemes(page, '/account/notifications (paused)');
    await heading.focus();
    await tabTo(page, `a.textContent.trim() === 'Turn notifications back on'`);
    await page.keyboard.press('Enter');
    await page.getByText('Notifications are back on.').waitFor();
    await page.getByTestId('pause-state').getByText('Not paused.').waitFor();
    await expect(serverSettings(page)).resolves.toMatchObject({ pausedUntil: null });

    // Until I turn it back on: no date the person did not choose.
    await heading.focus();
    await tabTo(page, `a.textContent.trim() === 'Until I turn it back on'`);
    await page.keyboard.press('Enter');
    await page
      .getByTestId('pause-state')
      .getByText('Paused until you turn notifications back on.')
      .waitFor();
    await page.getByRole('button', { name: 'Turn notifications back on' }).click();
    await page.getByTestId('pause-state').getByText('Not paused.').waitFor();
  });

  it('this device: explained first; "Not now" asks the browser nothing', async () => {
    const permission = await page.evaluate<string>('Notification.permission');
    const heading = page.getByRole('heading', { name: 'Notifications', level: 1 });
    await heading.focus();
    await tabTo(page, `a.id === 'device-push'`);
    await page.keyboard.press('Space');
    const explain = page.locator('#device-explain');
    await explain.getByText('Your browser will ask you next.', { exact: false }).waitFor();
    await expect(activeId(page)).resolves.toBe('device-explain');
    await expect(page.locator('#device-push').isChecked()).resolves.toBe(false);
    await checkBothSchemes(page, '/account/notifications (explaining)');
    await tabTo(page, `a.textContent.trim() === 'Not now'`);
    await page.keyboard.press('Enter');
    await expect(explain.count()).resolves.toBe(0);
    await expect(activeId(page)).resolves.toBe('device-push');
    await expect(page.locator('#device-push').isChecked()).resolves.toBe(false);
    await expect(page.evaluate<string>('Notification.permission')).resolves.toBe(permission);
    await page
      .getByTestId('push-devices')
      .getByText('No device of yours', { exact: false })
      .waitFor();
    expect(problems.errors).toEqual([]);
  });

  it('a push from the server is shown with its words only, carrying its path for a tap', async () => {
    const pushContext = await newContext(suite.browser);
    try {
      await pushContext.grantPermissions(['notifications'], { origin: suite.url });
      const p = await pushContext.newPage();
      await p.goto(suite.url);
      await p.evaluate(`navigator.serviceWorker.ready.then(() => true)`);
      // Chromium delivers a push message to the service worker, as a push service would.
      const cdp = await pushContext.newCDPSession(p);
      const registrationId = new Promise<string>((resolve) => {
        cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
          const reg = e.registrations.find((r) => r.scopeURL.startsWith(suite.url));
          if (reg !== undefined) resolve(reg.registrationId);
        });
      });
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.deliverPushMessage', {
        origin: new URL(suite.url).origin,
        registrationId: await registrationId,
        data: JSON.stringify({
          title: 'Someone in your circle is reaching out',
          body: 'Open Tend to see it.',
          path: '/circle/reach-outs/r1',
        }),
      });
      const shown = async () =>
        p.evaluate<{ title: string; body: string; data: unknown }[]>(
          `navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) =>
            ns.map((n) => ({ title: n.title, body: n.body, data: n.data })))`,
        );
      let list = await shown();
      for (let i = 0; i < 50 && list.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        list = await shown();
      }
      expect(list).toEqual([
        {
          title: 'Someone in your circle is reaching out',
          body: 'Open Tend to see it.',
          data: { url: '/circle/reach-outs/r1' },
        },
      ]);
    } finally {
      await pushContext.close();
    }
  });
});
