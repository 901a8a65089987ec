// axe on whatever the page shows now, in light and then dark colours (back to light after).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { axeViolations } from './browser.js';

export async function checkBothSchemes(page: Page, what: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const report = await axeViolations(page);
    expect(report, `${what} (${colorScheme}): axe violations:\n${report}`).toBe('');
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
