// Debian's Chromium, driven by playwright-core, for the browser journeys in e2e/.
//
// No browser download: the executable is CHROMIUM_PATH or /usr/bin/chromium. When it is missing,
// CI fails; elsewhere the browser suites are skipped with one clear line.
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { AxeBuilder } from '@axe-core/playwright';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type ConsoleMessage,
  type Page,
} from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const chromiumFound = existsSync(chromiumPath);

if (!chromiumFound) {
  if (process.env.CI) {
    throw new Error(`Chromium not found at ${chromiumPath} (CI requires the browser tests).`);
  }
  if (firstNoticeInThisRun()) {
    process.stdout.write(
      `Chromium not found at ${chromiumPath}; skipping browser tests. Install Debian's chromium or set CHROMIUM_PATH.\n`,
    );
  }
}

/** True once per test run (every e2e file imports this module, in its own worker). */
function firstNoticeInThisRun(): boolean {
  const run = isMainThread ? process.ppid : process.pid;
  try {
    writeFileSync(join(tmpdir(), `tend-e2e-no-chromium-${String(run)}`), '', { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}

/** Use as `describe.skipIf(noBrowser)(…)`. */
export const noBrowser = !chromiumFound;

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/** A fresh context with an English-speaking, UTC, phone-sized default unless overridden. */
export function newContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 390, height: 844 },
    ...options,
  });
}

export interface PageProblems {
  /** console.error messages and uncaught page errors, with where they came from. */
  readonly errors: string[];
}

/** Collects console errors (CSP violations show up here) and uncaught exceptions from a page. */
export function collectProblems(page: Page): PageProblems {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') {
      const { url, lineNumber } = message.location();
      errors.push(
        `console.error: ${message.text()}${url ? ` (${url}:${String(lineNumber)})` : ''}`,
      );
    }
  });
  page.on('pageerror', (error: Error) => errors.push(`page error: ${error.message}`));
  return { errors };
}

export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Runs axe on the page; returns a readable report of every violation ('' when there are none). */
export async function axeViolations(page: Page): Promise<string> {
  const results = await new AxeBuilder({ page }).withTags(axeTags).analyze();
  return results.violations
    .map((violation) => {
      const nodes = violation.nodes
        .map((node) => `    - ${node.target.join(' ')}\n      ${node.failureSummary ?? ''}`)
        .join('\n');
      return `[${violation.impact ?? 'unknown'}] ${violation.id}: ${violation.help}\n  ${violation.helpUrl}\n${nodes}`;
    })
    .join('\n\n');
}

/** Waits until the app has rendered its shell (the main landmark with a heading in it). */
export async function waitForApp(page: Page): Promise<void> {
  await page.locator('main#main h1').first().waitFor({ state: 'visible' });
}

/**
 * Waits until a JavaScript expression is truthy in the page. (Playwright's waitForFunction with a
 * string uses eval inside the page, which Tend's CSP rightly forbids; page.evaluate does not.)
 */
export async function waitForExpression(
  page: Page,
  expression: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate<boolean>(`Boolean(${expression})`).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
