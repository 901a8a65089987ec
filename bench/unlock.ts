// How long does unlocking the vault take in the browser? Argon2id (64 MiB, 3 passes, hash-wasm in
// a Web Worker) plus unwrapping the master and identity keys, measured in headless Chromium
// through the real UI against the production build.
//
// Usage: node --import tsx bench/unlock.ts   (after `npm run build`; UNLOCK_RUNS=3 by default)
//
// Each run reloads /sign-in (the session is still valid, so the page asks only for the
// passphrase), types it, and times the click until the fingerprint shows. One sign-in through
// the full challenge flow is timed as well.
import { launchBrowser, newContext } from '../e2e/support/browser.js';
import { PASSPHRASE, confirmRecoveryKey, signUp } from '../e2e/support/accounts.js';
import { startTend } from '../e2e/support/tend-server.js';

const runs = Math.max(1, Math.min(20, Number(process.env.UNLOCK_RUNS ?? 3) || 3));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const tend = await startTend({ AUTH_RATE_LIMIT_PER_MINUTE: '500', LOG_LEVEL: 'warn' });
const browser = await launchBrowser();
try {
  const context = await newContext(browser);
  const page = await context.newPage();
  const key = await signUp(page, tend.url, 'bench');
  await confirmRecoveryKey(page, key);
  await page.getByText('Thank you. Your recovery key is saved.').waitFor();

  const unlocks: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    await page.goto(`${tend.url}/sign-in`);
    await page.getByRole('heading', { name: 'Unlock' }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    const started = performance.now();
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('fingerprint').waitFor({ timeout: 60_000 });
    unlocks.push(performance.now() - started);
    process.stdout.write(`unlock ${String(i + 1)}: ${secs(unlocks[i] ?? 0)}\n`);
  }

  // A full sign-in on a new device: challenge, Argon2id, signature, session, unwrap.
  const other = await (await newContext(browser)).newPage();
  await other.goto(`${tend.url}/sign-in`);
  await other.getByLabel('Handle').fill('bench');
  await other.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  const started = performance.now();
  await other.getByRole('button', { name: 'Sign in' }).click();
  await other.getByTestId('fingerprint').waitFor({ timeout: 60_000 });
  const signIn = performance.now() - started;

  process.stdout.write(
    `\nunlock (Argon2id 64 MiB/3 passes + unwrap), ${String(runs)} runs: median ${secs(median(unlocks))}` +
      ` (min ${secs(Math.min(...unlocks))}, max ${secs(Math.max(...unlocks))})\n` +
      `full sign-in on a new device: ${secs(signIn)}\n`,
  );
} finally {
  await browser.close();
  await tend.stop();
}
