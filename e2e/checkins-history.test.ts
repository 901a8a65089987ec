// The history page in the browser, from a year of seeded check-ins (sealed through the API,
// e2e/support/seed.ts) and one journal entry with a content note: the calendar shows this month
// with each day's check-ins in words, a day opens its check-in and entry, months change by
// keyboard; the sleep chart by week is drawn and its table has one row per week with the days
// and averages worked out here by hand from the seeded check-ins. axe in light and dark.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHECKIN_ITEM_TYPES,
  encodeCheckinItem,
  type JournalEntry,
} from '../core/src/checkins/index.js';
import { DERIVE_TIMEOUT, signIn } from './support/accounts.js';
import { collectProblems, newContext, noBrowser, type PageProblems } from './support/browser.js';
import { checkinItems, seedAccount, seedTrackers, yearOfCheckins } from './support/seed.js';
import { useTendAndBrowser } from './support/suite.js';
import { checkBothSchemes } from './support/axe.js';

const DAY = 864e5;
const today = new Date().toISOString().slice(0, 10); // the browser runs in UTC
const dateAdd = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const yesterday = dateAdd(today, -1);
const NOW = new Date(Date.parse(`${today}T00:00:00Z`) - 400 * DAY).toISOString();
const trackers = seedTrackers(NOW);
const checkins = yearOfCheckins(trackers, today);
const entry: JournalEntry = {
  v: 1,
  id: 'journal-yesterday',
  at: `${yesterday}T20:00:00.000Z`,
  body: 'A **long** day. Walked by the river.',
  contentWarning: 'a hard conversation',
  updatedAt: `${yesterday}T20:00:00.000Z`,
};

const monthName = (date: string) =>
  new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.parse(`${date}T00:00:00Z`),
  );
const medium = (date: string) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    Date.parse(`${date}T00:00:00Z`),
  );
const one = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** The 26 weeks (Monday to Sunday) ending with this week, each with its sleep days and mean. */
function expectedWeeks(): { label: string; days: string; mean: string }[] {
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  const monday = dateAdd(today, -weekday);
  const out = [];
  for (let w = 25; w >= 0; w--) {
    const start = dateAdd(monday, -7 * w);
    const end = dateAdd(start, 6);
    const sleeps = checkins
      .filter((c) => {
        const d = c.at.slice(0, 10);
        return d >= start && d <= end && d <= today;
      })
      .map((c) => c.values.sleepHours as number);
    const mean = sleeps.reduce((a, b) => a + b, 0) / sleeps.length;
    out.push({
      label: `${medium(start)} to ${medium(end)}`,
      days: sleeps.length === 1 ? '1 day' : `${String(sleeps.length)} days`,
      mean: sleeps.length ? `${one.format(mean)} hours` : 'nothing recorded',
    });
  }
  return out;
}

describe.skipIf(noBrowser)('history: calendar and charts', () => {
  const suite = useTendAndBrowser({ AUTH_RATE_LIMIT_PER_MINUTE: '500' });
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;

  afterAll(async () => {
    await context.close();
  });

  it('shows this month with check-ins in words, and opens a day', async () => {
    await seedAccount(suite.url, 'heron', {
      checkins: [
        ...checkinItems(trackers, checkins),
        {
          itemId: entry.id,
          type: CHECKIN_ITEM_TYPES.journal,
          plaintext: encodeCheckinItem(entry),
        },
      ],
    });
    context = await newContext(suite.browser);
    page = await context.newPage();
    problems = collectProblems(page);
    await signIn(page, suite.url, 'heron');
    await page.getByRole('navigation').getByRole('link', { name: 'Check-ins' }).first().click();
    await page.getByRole('heading', { name: 'Check in', level: 1 }).waitFor();
    const started = Date.now();
    await page
      .getByRole('navigation', { name: 'Check-ins' })
      .getByRole('link', { name: 'History' })
      .click();
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();

    // This month, today marked in words, its days with their check-ins counted in words.
    const month = page.getByTestId('history-month');
    await month.getByText(monthName(today)).waitFor({ timeout: DERIVE_TIMEOUT });
    // eslint-disable-next-line no-console -- the figure this journey reports
    console.log(`history: ${String(Date.now() - started)} ms from the link to the calendar`);
    const todayCell = page.locator(`button[data-date="${today}"]`);
    await expect(todayCell.getAttribute('aria-current')).resolves.toBe('date');
    await expect(todayCell.textContent()).resolves.toMatch(/today\s*no check-ins/);
    if (yesterday.slice(0, 7) !== today.slice(0, 7)) {
      await page.getByRole('button', { name: 'Previous month' }).click();
    }
    const yesterdayCell = page.locator(`button[data-date="${yesterday}"]`);
    await expect(yesterdayCell.textContent()).resolves.toMatch(/1 check-in\s*1 journal entry/);
    // Every day of the month before today has its one check-in.
    const first = `${yesterday.slice(0, 7)}-01`;
    await expect(page.locator(`button[data-date="${first}"]`).textContent()).resolves.toMatch(
      /1 check-in/,
    );

    // A tracker's value on each day, on request.
    await page.getByLabel('Also show on each day').selectOption({ label: 'Sleep' });
    const sleep = checkins.find((c) => c.at.startsWith(yesterday))!.values.sleepHours as number;
    await expect(yesterdayCell.textContent()).resolves.toContain(
      `Sleep: ${one.format(sleep)} hours`,
    );

    // Opening the day: its check-in with its answers, and the entry closed behind its note.
    await yesterdayCell.click();
    await expect(yesterdayCell.getAttribute('aria-pressed')).resolves.toBe('true');
    const day = page.getByTestId('history-day');
    await day.getByRole('heading', { level: 3 }).waitFor();
    await day.getByRole('heading', { name: /^Check-in at/, level: 4 }).waitFor();
    await day.locator('dt', { hasText: 'Sleep' }).waitFor();
    await day.locator('dd', { hasText: `${one.format(sleep)} hours` }).waitFor();
    await day.getByText('Content note: a hard conversation. Show this entry').click();
    await day.locator('strong', { hasText: 'long' }).waitFor();
    await checkBothSchemes(page, '/checkins/history (a day open)');
  });

  it('changes month by keyboard alone', async () => {
    const cell = page.locator(`button[data-date="${yesterday}"]`);
    await cell.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.evaluate('document.activeElement?.dataset.date')).resolves.toBe(today);
    await page.keyboard.press('PageUp');
    const back = dateAdd(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
    await page
      .getByTestId('history-month')
      .getByText(monthName(`${back}-01`))
      .waitFor();
    const focused = await page.evaluate<string>('document.activeElement?.dataset.date');
    expect(focused.slice(0, 7)).toBe(back);
    await expect(
      page.locator(`button[data-date="${focused}"]`).getAttribute('tabindex'),
    ).resolves.toBe('0');
    // Only one day is a Tab stop; Enter opens it.
    await expect(page.locator('button.day[tabindex="0"]').count()).resolves.toBe(1);
    await page.keyboard.press('Enter');
    await page
      .getByTestId('history-day')
      .getByRole('heading', { name: /^Check-in at/ })
      .waitFor();
    await page.keyboard.press('PageDown');
    await page.getByTestId('history-month').getByText(monthName(today)).waitFor();
    // The month buttons work by keyboard too.
    await page.getByRole('button', { name: 'Next month' }).focus();
    await page.keyboard.press('Enter');
    await page
      .getByTestId('history-month')
      .getByText(monthName(dateAdd(`${today.slice(0, 7)}-28`, 7)))
      .waitFor();
    await expect(page.locator('button.day').first().textContent()).resolves.toMatch(/no check-ins/);
  });

  it('draws sleep by week, with its numbers as a table', async () => {
    await page.getByLabel('What to show').selectOption({ label: 'Sleep' });
    await page.getByRole('radio', { name: 'The last 26 weeks, week by week' }).check();
    const chart = page.getByTestId('history-chart');
    await chart
      .getByRole('heading', { name: 'Sleep, average by week over the last 26 weeks', level: 3 })
      .waitFor();
    await chart.locator('[data-testid="history-plot"] canvas').first().waitFor();
    await expect(chart.getByTestId('history-plot').getAttribute('aria-hidden')).resolves.toBe(
      'true',
    );
    const weeks = expectedWeeks();
    await expect(chart.getByTestId('history-chart-summary').textContent()).resolves.toMatch(
      /^From .+ to .+: \d+ days recorded, from \d(\.5)? hours to \d(\.5)? hours\.$/,
    );
    await chart.getByText('Show the numbers as a table').click();
    const table = chart.getByTestId('history-chart-table');
    await expect(table.locator('thead th').allTextContents()).resolves.toEqual([
      'Week',
      'Average',
      'Days recorded',
      'Lowest day',
      'Highest day',
    ]);
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())),
      );
    expect(rows.map((r) => ({ label: r[0], mean: r[1], days: r[2] }))).toEqual(weeks);
    await checkBothSchemes(page, '/checkins/history (sleep by week, table open)');

    // A yes/no tracker by month: bars of the share of yes days, said in words.
    await page.getByLabel('What to show').selectOption({ label: 'a walk' });
    await page.getByRole('radio', { name: 'The last 24 months, month by month' }).check();
    await chart
      .getByRole('heading', { name: /a walk: share of days with a yes, by month/, level: 3 })
      .waitFor();
    await expect(chart.getByTestId('history-chart-summary').textContent()).resolves.toMatch(
      /365 days recorded, with a yes on \d+ days\./,
    );
    await chart.locator('[data-testid="history-plot"] canvas').first().waitFor();
    // Nothing recorded yet: said kindly, no empty chart.
    await page.getByLabel('What to show').selectOption({ label: 'Energy' });
    await chart.getByText(/Nothing recorded for Energy .+ That is all right/).waitFor();
    await expect(chart.getByTestId('history-plot').count()).resolves.toBe(0);
    await checkBothSchemes(page, '/checkins/history (nothing recorded)');
    expect(problems.errors).toEqual([]);
  });
});
