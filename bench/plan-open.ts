// How long does a big plan take to open in the browser (decrypt + render), on this machine?
//
//   node --import tsx bench/plan-open.ts        (uses the existing build: `npm run build` first)
//
// Starts the production build, signs someone up through the accounts API with a real passphrase
// (Argon2id at Tend's minimum parameters, so the browser can sign in with it), and puts a plan
// with PLAN_BENCH_SECTIONS sections (40) and PLAN_BENCH_VERSIONS saved versions (200) into their
// vault as encrypted items, exactly as the web app writes them. Then, in headless Chromium, it
// signs in (a new device: the first sync pulls everything), opens "My plan", and times opening
// the plan — from the click on its link to the last section's heading on screen, which includes
// reading every plan item from IndexedDB, decrypting the plan and its sections, checking them and
// rendering the editor — PLAN_BENCH_RUNS times (5), and prints the median against the budget
// (PLAN_BENCH_BUDGET_MS, 600). It exits non-zero when the median is over the budget.
import { performance } from 'node:perf_hooks';
import {
  addSection,
  createPlan,
  encodePlanItem,
  makeVersion,
  PLAN_COLLECTION,
  snapshotItems,
  translateEn,
  updateSection,
  type PlanSnapshot,
} from '../core/src/plans/index.js';
import { signIn } from '../e2e/support/accounts.js';
import { launchBrowser, newContext, noBrowser } from '../e2e/support/browser.js';
import { startTend, type RunningTend } from '../e2e/support/tend-server.js';
import { seedAccount } from '../e2e/support/seed.js';
import type { PlainItem } from './api-client.js';
import { whole } from './report.js';

const envNumber = (name: string, fallback: number, min: number, max: number): number =>
  whole(process.env, name, fallback, min, max);

const PASSPHRASE = 'lantern orchard quietly seventy rivers';

function must<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(`plan operation failed: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** About 1.2 KB of Markdown, different for each section and version. */
function body(section: number, version: number): string {
  const lines = [
    `## Things that help (${String(version)})`,
    '',
    `- A walk by the water before ${String(8 + (section % 4))} in the morning`,
    '- Calling my sister; she knows the words that help',
    '- Tea, a blanket, the window open a little',
    '',
    'What I notice first is that I stop answering messages. **That is the sign.**',
    'If you see it, a short note is enough: no questions, just that you are there.',
    '',
    `> Section ${String(section)}: written slowly, over many evenings, in my own words.`,
  ];
  return `${lines.join('\n')}\n\n${'I am allowed to rest. '.repeat(20)}`;
}

function buildPlan(sections: number, now: Date): PlanSnapshot {
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
  let s = must(
    createPlan({ templateId: 'blank', title: 'Bench plan', now: at(0), translate: translateEn }),
  );
  for (let i = 0; i < sections; i++) {
    s = must(addSection(s, { kind: 'text', title: `Section ${String(i + 1)}`, now: at(i + 1) }));
    const id = s.plan.sectionIds.at(-1) ?? '';
    s = must(updateSection(s, id, { body: body(i, 0) }, at(i + 1)));
  }
  return s;
}

async function main(): Promise<void> {
  const sections = envNumber('PLAN_BENCH_SECTIONS', 40, 1, 100);
  const versions = envNumber('PLAN_BENCH_VERSIONS', 200, 0, 1000);
  const runs = envNumber('PLAN_BENCH_RUNS', 5, 1, 50);
  const budgetMs = envNumber('PLAN_BENCH_BUDGET_MS', 600, 1, 600_000);
  if (noBrowser) throw new Error('This benchmark needs Chromium (CHROMIUM_PATH).');

  let tend: RunningTend | undefined;
  const browser = await launchBrowser();
  try {
    tend = await startTend({ LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_PER_MINUTE: '500' });
    // The plan, its sections, and `versions` versions (each a whole snapshot, as autosave makes).
    const start = new Date('2026-01-01T09:00:00Z');
    const plan = buildPlan(sections, start);
    const items: PlainItem[] = snapshotItems(plan).map((i) => ({
      itemId: i.value.id,
      type: i.type,
      plaintext: encodePlanItem(i.value),
    }));
    let versionBytes = 0;
    for (let v = 0; v < versions; v++) {
      const savedAt = new Date(start.getTime() + (v + 1) * 600_000).toISOString();
      const edited = must(
        updateSection(
          plan,
          plan.plan.sectionIds[v % sections] ?? '',
          { body: body(v, v) },
          savedAt,
        ),
      );
      const version = makeVersion(edited, savedAt);
      const plaintext = encodePlanItem(version);
      versionBytes += plaintext.length;
      items.push({ itemId: version.id, type: 'plan.version', plaintext });
    }
    let t0 = performance.now();
    const { person } = await seedAccount(
      tend.url,
      'bench-plan',
      { [PLAN_COLLECTION]: items },
      PASSPHRASE,
    );
    console.log(
      `Pushed a plan of ${String(sections)} sections (${(
        items.slice(0, sections + 1).reduce((n, i) => n + i.plaintext.length, 0) / 1024
      ).toFixed(0)} KiB) and ${String(versions)} versions (${(versionBytes / 1024 / 1024).toFixed(
        1,
      )} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s.`,
    );

    const context = await newContext(browser);
    const page = await context.newPage();
    t0 = performance.now();
    await signIn(page, tend.url, person.handle, PASSPHRASE);
    const signInMs = performance.now() - t0;
    t0 = performance.now();
    await page.getByRole('navigation').getByRole('link', { name: 'My plan' }).click();
    const link = page.getByRole('link', { name: 'Bench plan' });
    await link.waitFor({ timeout: 120_000 });
    const listMs = performance.now() - t0;
    console.log(
      `Signed in (Argon2id + unwrap) in ${(signInMs / 1000).toFixed(2)} s; "My plan" listed the ` +
        `plan ${(listMs / 1000).toFixed(2)} s later (first sync of ${String(items.length)} items ` +
        `on a new device included).`,
    );

    const lastHeading = page.getByRole('heading', {
      name: `Section ${String(sections)}`,
      exact: true,
    });
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      t0 = performance.now();
      await link.click();
      await lastHeading.waitFor({ timeout: 60_000 });
      times.push(performance.now() - t0);
      await page.getByRole('link', { name: 'All my plans' }).click();
      await link.waitFor();
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    console.log(
      `Opening the plan (decrypt + check + render ${String(sections)} sections, ` +
        `${String(versions)} versions in the vault): median ${median.toFixed(0)} ms of ` +
        `${String(runs)} (${sorted.map((t) => t.toFixed(0)).join(', ')} ms); budget ${String(budgetMs)} ms.`,
    );
    await context.close();
    if (median > budgetMs) {
      console.log('Over budget.');
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
    await tend?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`The benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
