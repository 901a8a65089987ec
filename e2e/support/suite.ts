// Shared set-up for a browser test file: one Tend server and one Chromium for the whole file.
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startTend, type RunningTend } from './tend-server.js';

export interface Suite {
  readonly tend: RunningTend;
  readonly browser: Browser;
  readonly url: string;
}

/** Starts Tend (with `env`) and Chromium before the file's tests; stops both after. */
export function useTendAndBrowser(env: Record<string, string> = {}): Suite {
  let tend: RunningTend | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    [tend, browser] = await Promise.all([startTend(env), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await tend?.stop();
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not running (beforeAll failed?)`);
    return value;
  };

  return {
    get tend() {
      return need(tend, 'Tend');
    },
    get browser() {
      return need(browser, 'Chromium');
    },
    get url() {
      return need(tend, 'Tend').url;
    },
  };
}
