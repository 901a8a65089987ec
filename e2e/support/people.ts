// Shared set-up for browser tests with several people: the first account (the admin) opens
// registration for the rest, and each person signs in in their own browser context, whose console
// errors and failed requests are collected under their handle.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll } from 'vitest';
import { signIn } from './accounts.js';
import { collectProblems, newContext, type PageProblems } from './browser.js';
import { openRegistration } from './circle.js';
import { seedAccount, type SeededAccount } from './seed.js';
import type { Suite } from './suite.js';

/**
 * Seeds `admin` first (the first account on a fresh Tend is its admin), opens registration, then
 * seeds `others` in order. Returns every account by handle.
 */
export async function seedAdminAndOthers<const H extends string>(
  url: string,
  admin: H,
  ...others: H[]
): Promise<Record<H, SeededAccount>> {
  const first = await seedAccount(url, admin);
  await openRegistration(first);
  const accounts = { [admin]: first } as Record<H, SeededAccount>;
  for (const handle of others) accounts[handle] = await seedAccount(url, handle);
  return accounts;
}

export interface SignedInPages {
  /** Opens a new browser context signed in as `handle` (problems collected under the handle). */
  readonly open: (handle: string) => Promise<Page>;
  /** Each opened person's console errors and failed requests. */
  readonly problems: ReadonlyMap<string, PageProblems>;
}

/** Pages signed in as seeded people, each in its own context; the contexts close after the file. */
export function useSignedInPages(suite: Suite): SignedInPages {
  const contexts: BrowserContext[] = [];
  const problems = new Map<string, PageProblems>();

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  return {
    problems,
    open: async (handle) => {
      const context = await newContext(suite.browser);
      contexts.push(context);
      const page = await context.newPage();
      problems.set(handle, collectProblems(page));
      await signIn(page, suite.url, handle);
      return page;
    },
  };
}
