import { describe, expect, it } from 'vitest';
import { confirmRecoveryKey, signUp } from './support/accounts.js';
import { axeViolations, collectProblems, newContext, noBrowser } from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';

describe.skipIf(noBrowser)('accounts: admin, invitations and registration', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });

  it('an invitation lets a second person join; without one, joining is kindly refused; closing works', async () => {
    const adminContext = await newContext(suite.browser);
    const admin = await adminContext.newPage();
    const adminProblems = collectProblems(admin);
    const key = await signUp(admin, suite.url, 'admin-person');
    await confirmRecoveryKey(admin, key);
    await admin.getByText('Thank you. Your recovery key is saved.').waitFor();

    // Tend starts in invitation mode.
    await admin.getByRole('navigation').getByRole('link', { name: 'Admin' }).click();
    await admin.getByRole('heading', { name: 'How people can join' }).waitFor();
    await expect.poll(() => admin.getByLabel(/^By invitation/).isChecked()).toBe(true);
    await admin.getByRole('button', { name: 'Create an invitation link' }).click();
    const link = await admin.getByLabel('Invitation link', { exact: true }).inputValue();
    expect(link).toMatch(new RegExp(`^${suite.url}/join\\?invite=[A-Za-z0-9_-]+$`));

    // Without the link: a kind refusal, and no form.
    const otherContext = await newContext(suite.browser);
    const other = await otherContext.newPage();
    const otherProblems = collectProblems(other);
    await other.goto(`${suite.url}/join`);
    await other.getByText('You need an invitation link to join.').waitFor();
    await expect(other.getByLabel('Handle').count()).resolves.toBe(0);

    // With it: joining works.
    const key2 = await signUp(
      other,
      suite.url,
      'second-person',
      undefined,
      link.slice(suite.url.length),
    );
    // Leaving without confirming is not silent: the account page leads back to the key.
    await other.getByRole('navigation').getByRole('link', { name: 'Your account' }).click();
    await other.getByText("You haven't confirmed your recovery key yet.").waitFor();
    await other.getByRole('link', { name: 'Go back to your recovery key' }).click();
    await expect(
      other.locator('[data-recovery-key]').getAttribute('data-recovery-key'),
    ).resolves.toBe(key2);
    await confirmRecoveryKey(other, key2);
    await other.getByText('Thank you. Your recovery key is saved.').waitFor();
    await expect(
      other.getByRole('navigation').getByRole('link', { name: 'Admin' }).count(),
    ).resolves.toBe(0);

    // A member who opens /admin is told, calmly, that it is for admins.
    await other.goto(`${suite.url}/admin`);
    await other.getByText('Only an admin of this Tend can see this page.').waitFor();
    const report = await axeViolations(other);
    expect(report, report).toBe('');

    // The invitation shows as used; the admin closes registration.
    await admin.reload();
    await admin.getByText(/^Used /).waitFor();
    await admin.getByLabel(/^Closed/).check();
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText('Saved.').waitFor();

    const thirdContext = await newContext(suite.browser);
    const third = await thirdContext.newPage();
    await third.goto(`${suite.url}/join`);
    await third.getByText('This Tend is not taking new accounts right now.').waitFor();

    expect(adminProblems.errors).toEqual([]);
    expect(otherProblems.errors).toEqual([]);
    await Promise.all([adminContext.close(), otherContext.close(), thirdContext.close()]);
  });

  it('withdraws an invitation', async () => {
    const context = await newContext(suite.browser);
    const page = await context.newPage();
    // Signed in from the previous test? No: a new context. Sign in as the admin again.
    const { signIn } = await import('./support/accounts.js');
    await signIn(page, suite.url, 'admin-person');
    await page.goto(`${suite.url}/admin`);
    await page.getByRole('heading', { name: 'Invitations' }).waitFor();
    await page.getByLabel('Note for yourself (optional)').fill('for Bea');
    await page.getByRole('button', { name: 'Create an invitation link' }).click();
    await page.getByText('for Bea').waitFor();
    await page.getByRole('button', { name: 'Withdraw invitation: for Bea' }).click();
    await page.getByText('Invitation withdrawn.').waitFor();
    await expect(page.getByText('for Bea').count()).resolves.toBe(0);
    await context.close();
  });

  it("ends one person's sessions, and everyone else's after a confirmation", async () => {
    const { signIn } = await import('./support/accounts.js');
    const memberContext = await newContext(suite.browser);
    const member = await memberContext.newPage();
    await signIn(member, suite.url, 'second-person');
    const adminContext = await newContext(suite.browser);
    const admin = await adminContext.newPage();
    await signIn(admin, suite.url, 'admin-person');
    await admin.goto(`${suite.url}/admin`);
    await admin.getByRole('heading', { name: 'Ending sessions' }).waitFor();
    const before = await member.request.get(`${suite.url}/api/v1/accounts/me`);
    expect(before.status()).toBe(200);

    await admin.getByLabel('Their handle').fill('nobody-here');
    await admin.getByRole('button', { name: 'Sign them out everywhere' }).click();
    await admin.getByText('No account has that handle.').waitFor();
    await admin.getByLabel('Their handle').fill('second-person');
    await admin.getByRole('button', { name: 'Sign them out everywhere' }).click();
    await admin.getByText(/^(One session|\d+ sessions) ended\.$/).waitFor();
    const me = await member.request.get(`${suite.url}/api/v1/accounts/me`);
    expect(me.status()).toBe(401);

    // Everyone: nothing happens until the admin confirms.
    await admin.getByRole('button', { name: 'Sign everyone out (except you, here)' }).click();
    await admin.getByRole('button', { name: 'Cancel' }).click();
    await admin.getByRole('button', { name: 'Sign everyone out (except you, here)' }).click();
    const report = await axeViolations(admin);
    expect(report, report).toBe('');
    await admin.getByRole('button', { name: 'Yes, sign everyone out' }).click();
    await admin.getByText(/ended\.$|no sessions to end/).waitFor();
    const stillMe = await admin.request.get(`${suite.url}/api/v1/accounts/me`);
    expect(stillMe.status()).toBe(200);
    await Promise.all([memberContext.close(), adminContext.close()]);
  });
});
