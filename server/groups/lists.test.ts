import { afterEach, beforeEach, expect, it } from 'vitest';
import { generateId } from '../../core/src/crypto/ids.js';
import {
  GROUP_LIMITS,
  groupInvitationsResponseSchema,
  joinRequestsResponseSchema,
  joinRequestWireSchema,
} from '../../core/src/groups/api.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { createGroup, footprint, linkBody, someone, type Someone } from './test-fixtures.js';

/**
 * Facilitators' lists are cursor pages (join requests oldest first, invitations newest first),
 * their cursors opaque and free of account ids; and asking to join answers every join question.
 */
describeEachEngine('groups: pages of requests and invitations, join answers', (engine) => {
  let t: TestApp;
  let clock: Date;
  let fay: Someone;

  beforeEach(async () => {
    clock = new Date('2026-11-25T12:00:00.000Z');
    t = await createTestApp(engine, { now: () => clock, env: { NOTIFY_WORKER: 'false' } });
    fay = await someone(t, 'fay');
  });
  afterEach(async () => t.close());

  const tick = () => {
    clock = new Date(clock.getTime() + 1000);
  };

  /** Every page of a list, following nextCursor; checks each cursor carries no account id. */
  async function allPages<T>(
    who: Someone,
    path: string,
    read: (body: unknown) => { items: T[]; nextCursor: string | null },
    accountIds: readonly string[],
  ): Promise<T[][]> {
    const pages: T[][] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res = await who.client.get(
        cursor === null ? path : `${path}${sep}cursor=${encodeURIComponent(cursor)}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const page = read(res.json());
      pages.push(page.items);
      cursor = page.nextCursor;
      if (cursor !== null) {
        const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
        for (const id of accountIds) {
          expect(cursor).not.toContain(id);
          expect(decoded).not.toContain(id);
        }
      }
    } while (cursor !== null && pages.length < 20);
    return pages;
  }

  it('pages pending join requests oldest first, without repeats or gaps, never naming an account in a cursor', async () => {
    const g = await createGroup(fay, { visibility: 'request' });
    const people: Someone[] = [];
    for (let i = 0; i < 5; i++) people.push(await someone(t, `asker${i}`));
    // Three ask at the same instant (ties are ordered by request id), then two later.
    for (const [i, who] of people.entries()) {
      if (i >= 3) tick();
      const res = await who.client.post(`/api/v1/groups/${g.id}/requests`, {
        id: generateId(),
        agreementVersion: 1,
        answers: [],
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const everyone = (
      await allPages(
        fay,
        `/api/v1/groups/${g.id}/requests?limit=${GROUP_LIMITS.pageSize}`,
        (b) => {
          const p = joinRequestsResponseSchema.parse(b);
          return { items: p.requests, nextCursor: p.nextCursor };
        },
        [],
      )
    ).flat();
    expect(everyone).toHaveLength(5);
    const expected = everyone.map((r) => r.id);
    // Oldest first (the same instant in the database's order of ids, on each engine its own).
    const times = everyone.map((r) => r.createdAt);
    expect(times).toEqual([...times].sort());

    const pages = await allPages(
      fay,
      `/api/v1/groups/${g.id}/requests?limit=2`,
      (b) => {
        const p = joinRequestsResponseSchema.parse(b);
        return { items: p.requests, nextCursor: p.nextCursor };
      },
      [fay, ...people].map((p) => p.accountId),
    );
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((r) => r.id)).toEqual(expected);

    // The default page is GROUP_LIMITS.managePageSize; a decided request leaves the list.
    const first = joinRequestsResponseSchema.parse(
      (await fay.client.get(`/api/v1/groups/${g.id}/requests`)).json(),
    );
    expect(first.requests).toHaveLength(Math.min(5, GROUP_LIMITS.managePageSize));
    expect(first.nextCursor).toBeNull();
    const decided = await fay.client.post(
      `/api/v1/groups/${g.id}/requests/${expected[0]!}/decision`,
      { approve: false },
    );
    expect(decided.statusCode, decided.body).toBe(200);
    const after = joinRequestsResponseSchema.parse(
      (await fay.client.get(`/api/v1/groups/${g.id}/requests?limit=4`)).json(),
    );
    expect(after.requests.map((r) => r.id)).toEqual(expected.slice(1));
    expect(after.nextCursor).toBeNull();
  });

  it('pages invitations newest first, and status=pending keeps only open ones', async () => {
    const g = await createGroup(fay, { visibility: 'invite' });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      if (i % 2 === 0) tick();
      const { body } = linkBody();
      const res = await fay.client.post(`/api/v1/groups/${g.id}/invitations`, {
        ...body,
        ...(i === 5 ? { expiresInHours: 1 } : {}),
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(body.id);
    }
    const withdrawn = await fay.client.delete(`/api/v1/groups/${g.id}/invitations/${ids[0]!}`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    clock = new Date(clock.getTime() + 2 * 3_600_000); // the last one has expired

    const read = (b: unknown) => {
      const p = groupInvitationsResponseSchema.parse(b);
      return { items: p.invitations, nextCursor: p.nextCursor };
    };
    const all = await allPages(fay, `/api/v1/groups/${g.id}/invitations?limit=2`, read, [
      fay.accountId,
    ]);
    expect(all.map((p) => p.length)).toEqual([2, 2, 2]);
    const listed = all.flat();
    expect(new Set(listed.map((i) => i.id))).toEqual(new Set(ids));
    // Newest first; the pages together are exactly the one long page.
    const times = listed.map((i) => i.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const whole = groupInvitationsResponseSchema.parse(
      (await fay.client.get(`/api/v1/groups/${g.id}/invitations?limit=50`)).json(),
    );
    expect(whole.nextCursor).toBeNull();
    expect(listed.map((i) => i.id)).toEqual(whole.invitations.map((i) => i.id));

    const open = (
      await allPages(fay, `/api/v1/groups/${g.id}/invitations?status=pending&limit=3`, read, [
        fay.accountId,
      ])
    ).flat();
    expect(open.map((i) => i.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(new Set(open.map((i) => i.id))).toEqual(new Set(ids.slice(1, 5)));
  });

  it('refuses a cursor it did not give, and limits outside 1–50, as 400 invalid_input', async () => {
    const g = await createGroup(fay, { visibility: 'request' });
    for (const list of ['requests', 'invitations']) {
      for (const query of [
        '?cursor=bm90LWEtY3Vyc29y',
        '?cursor=WzEsMl0',
        '?cursor=a%2Fb',
        '?limit=0',
        `?limit=${GROUP_LIMITS.pageSize + 1}`,
        '?limit=two',
        '?status=expired',
      ]) {
        if (list === 'requests' && query.startsWith('?status')) continue;
        const res = await fay.client.get(`/api/v1/groups/${g.id}/${list}${query}`);
        expect(res.statusCode, `${list}${query}: ${res.body}`).toBe(400);
        expect(res.json()).toMatchObject({ error: { code: 'invalid_input' } });
      }
    }
    // Someone who is not a facilitator learns nothing from a bad cursor either way.
    const ada = await someone(t, 'ada');
    const res = await ada.client.get(`/api/v1/groups/${g.id}/requests?limit=5`);
    expect(res.statusCode).toBe(403);
  });

  it('needs every join question answered, naming the unanswered one (answers.<i>), with no write', async () => {
    const questions = ['What brings you here?', 'How did you hear of us?'];
    const g = await createGroup(fay, { visibility: 'request', joinQuestions: questions });
    const ada = await someone(t, 'ada');
    const ask = (answers: unknown) =>
      ada.client.post(`/api/v1/groups/${g.id}/requests`, {
        id: generateId(),
        agreementVersion: 1,
        answers,
      });
    const before = await footprint(t);
    const none = await ask([]);
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({
      error: {
        code: 'invalid_input',
        message: expect.stringContaining(questions[0]!) as unknown,
        issues: [{ path: 'answers.0' }, { path: 'answers.1' }],
      },
    });
    const one = await ask(['Voices since I was twelve']);
    expect(one.statusCode).toBe(400);
    expect(one.json()).toMatchObject({
      error: {
        code: 'invalid_input',
        message: expect.stringContaining(questions[1]!) as unknown,
        issues: [{ path: 'answers.1' }],
      },
    });
    for (const blank of ['', '   ', '\n\t ']) {
      const res = await ask(['Voices since I was twelve', blank]);
      expect(res.statusCode).toBe(400);
      const body = res.json<{ error: { code: string; issues: { path: string }[] } }>();
      expect(body.error.code).toBe('invalid_input');
      expect(body.error.issues.map((i) => i.path)).toEqual(['answers.1']);
    }
    const tooMany = await ask(['a', 'b', 'c']);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({
      error: { code: 'invalid_input', issues: [{ path: 'answers.2' }] },
    });
    expect(await footprint(t)).toEqual(before);

    const fine = await ask(['  Voices since I was twelve ', 'A friend']);
    expect(fine.statusCode, fine.body).toBe(201);
    expect(joinRequestWireSchema.parse(fine.json()).answers).toEqual([
      'Voices since I was twelve',
      'A friend',
    ]);
    // A group without join questions takes no answers.
    const open = await createGroup(fay, { visibility: 'request' });
    const plain = await ada.client.post(`/api/v1/groups/${open.id}/requests`, {
      id: generateId(),
      agreementVersion: 1,
      answers: [],
    });
    expect(plain.statusCode, plain.body).toBe(201);
  });
});
