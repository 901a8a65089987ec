import { describe, expect, it } from 'vitest';
import { axeViolations, newContext, noBrowser, waitForApp } from './support/browser.js';
import { useTendAndBrowser } from './support/suite.js';

const pages = [
  { name: 'welcome page', path: '/', heading: 'Welcome to Tend' },
  { name: '404 page', path: '/this/does/not/exist', heading: 'Page not found' },
] as const;

const settings = [
  { name: 'light', colorScheme: 'light', reducedMotion: 'no-preference' },
  { name: 'dark', colorScheme: 'dark', reducedMotion: 'no-preference' },
  { name: 'light, reduced motion', colorScheme: 'light', reducedMotion: 'reduce' },
  { name: 'dark, reduced motion', colorScheme: 'dark', reducedMotion: 'reduce' },
] as const;

const viewports = [
  { name: 'phone', viewport: { width: 360, height: 740 } },
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
] as const;

describe.skipIf(noBrowser)('accessibility (axe: WCAG 2.2 AA and best practices)', () => {
  const suite = useTendAndBrowser();

  for (const target of pages) {
    for (const setting of settings) {
      for (const { name: size, viewport } of viewports) {
        it(`${target.name}, ${setting.name}, ${size}: no violations`, async () => {
          const context = await newContext(suite.browser, {
            viewport,
            colorScheme: setting.colorScheme,
            reducedMotion: setting.reducedMotion,
          });
          const page = await context.newPage();
          await page.goto(`${suite.url}${target.path}`);
          await waitForApp(page);
          await expect(page.locator('h1').textContent()).resolves.toBe(target.heading);
          const report = await axeViolations(page);
          expect(report, `axe violations:\n${report}`).toBe('');
          await context.close();
        });
      }
    }
  }

  it('reduced motion turns off smooth scrolling and transitions', async () => {
    const context = await newContext(suite.browser, { reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(`${suite.url}/`);
    await waitForApp(page);
    const styles = await page.evaluate<{ scroll: string; transition: string }>(`(() => ({
      scroll: getComputedStyle(document.documentElement).scrollBehavior,
      transition: getComputedStyle(document.querySelector('.quick-exit')).transitionDuration,
    }))()`);
    expect(styles.scroll).toBe('auto');
    expect(styles.transition).toBe('0s');
    await context.close();
  });

  it('dark mode follows the system setting', async () => {
    const colours: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await newContext(suite.browser, { colorScheme });
      const page = await context.newPage();
      await page.goto(`${suite.url}/`);
      await waitForApp(page);
      colours.push(
        await page.evaluate<string>(`getComputedStyle(document.documentElement).backgroundColor`),
      );
      await context.close();
    }
    expect(colours[0]).not.toBe(colours[1]);
  });
});
