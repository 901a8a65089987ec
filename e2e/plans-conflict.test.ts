// Two devices edit the same part of a plan while offline. When both are back, nothing is lost:
// the second device is offered both versions and chooses; the choice reaches the first device.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSPHRASE, confirmRecoveryKey, signIn, signUp } from './support/accounts.js';
import { axeViolations, newContext, noBrowser } from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';

const WELL = "What I'm like when I'm well";
const status = (page: Page) => page.getByTestId('save-status');
const wellBox = (page: Page) => page.getByRole('textbox', { name: WELL, exact: true });

describe.skipIf(noBrowser)('my plan: the same section edited offline on two devices', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });

  it('keeps both versions and offers the choice; the choice syncs back; a plan made offline arrives', async () => {
    const ctxA = await newContext(suite.browser);
    const a = await ctxA.newPage();
    const key = await signUp(a, suite.url, 'two-devices');
    await confirmRecoveryKey(a, key);
    await a.getByText('Thank you. Your recovery key is saved.').waitFor();
    await a.getByRole('navigation').getByRole('link', { name: 'My plan' }).click();
    await a.getByRole('button', { name: 'Start: Crisis plan' }).click();
    await wellBox(a).fill('Written first, on the laptop.');
    await status(a).getByText('Synced').waitFor({ timeout: 30_000 });

    const ctxB = await newContext(suite.browser);
    const b = await ctxB.newPage();
    await signIn(b, suite.url, 'two-devices');
    await b.getByRole('navigation').getByRole('link', { name: 'My plan' }).click();
    await b.getByRole('link', { name: 'Crisis plan' }).click({ timeout: 20_000 });
    await expect
      .poll(() => wellBox(b).inputValue(), { timeout: 20_000 })
      .toBe('Written first, on the laptop.');
    // Inside a plan, "My plan" in the navigation says it is where we are.
    await expect(
      b.getByRole('navigation').getByRole('link', { name: 'My plan' }).getAttribute('aria-current'),
    ).resolves.toBe('true');

    // Both offline; each writes its own words into the same section.
    await ctxA.setOffline(true);
    await ctxB.setOffline(true);
    await wellBox(a).fill('The laptop says: mornings by the sea.');
    await status(a).getByText('Saved on this device').waitFor();
    await wellBox(b).fill('The phone says: evenings with the radio.');
    await status(b).getByText('Saved on this device').waitFor();

    // The laptop syncs first; then the phone finds the section moved on.
    await ctxA.setOffline(false);
    await status(a).getByText('Synced').waitFor({ timeout: 30_000 });
    await ctxB.setOffline(false);
    const choose = b.getByRole('link', { name: /versions? needs? your choice/ }).first();
    await choose.waitFor({ timeout: 30_000 });
    await choose.click();
    await b.getByRole('heading', { name: 'Versions to choose between', level: 1 }).waitFor();
    const conflict = b
      .getByTestId('conflict')
      .filter({ hasText: 'The phone says: evenings with the radio.' });
    await conflict.getByText('The laptop says: mornings by the sea.').waitFor();
    const report = await axeViolations(b);
    expect(report, report).toBe('');

    // Keep this device's words; every other conflict (the plan's own item) as well.
    await conflict.getByRole('button', { name: "Keep this device's version" }).click();
    await b.getByText("Kept this device's version.").waitFor();
    for (;;) {
      const left = b.getByRole('button', { name: "Keep this device's version" });
      if ((await left.count()) === 0) break;
      await left.first().click();
      await b.getByText("Kept this device's version.").waitFor();
    }
    await b.getByText('There is nothing to choose between.').waitFor({ timeout: 30_000 });

    // The laptop receives the choice.
    await a.reload();
    await a.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await a.getByRole('button', { name: 'Unlock' }).click();
    await expect
      .poll(() => wellBox(a).inputValue(), { timeout: 60_000 })
      .toBe('The phone says: evenings with the radio.');

    // A new plan started offline on the laptop reaches the phone once the laptop is back.
    await a.getByRole('link', { name: 'All my plans' }).click();
    await ctxA.setOffline(true);
    await a.getByRole('button', { name: 'Start: Blank plan' }).click();
    await a.getByRole('textbox', { name: 'Plan title' }).fill('Started on the train');
    await status(a).getByText('Saved on this device').waitFor();
    await ctxA.setOffline(false);
    await status(a).getByText('Synced').waitFor({ timeout: 30_000 });
    await b.getByRole('navigation').getByRole('link', { name: 'My plan' }).click();
    // The phone looks for other devices' changes every 30 seconds while it is open.
    await b.getByRole('link', { name: 'Started on the train' }).waitFor({ timeout: 60_000 });
    await Promise.all([ctxA.close(), ctxB.close()]);
  });
});
