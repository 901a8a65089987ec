import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  postSchema,
  reactionsResponseSchema,
  searchResponseSchema,
  startThreadResponseSchema,
  THREAD_LIMITS,
  threadPageSchema,
  threadsResponseSchema,
  type PostWire,
} from '../../../core/src/groups/threads-api.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { eventsOf, footprint, seedGroup, someone, type Someone } from './test-fixtures.js';

const url = (groupId: string, rest = '') => `/api/v1/groups/${groupId}${rest}`;

describeEachEngine('group conversations', (engine) => {
  let t: TestApp;
  // Every call moves the clock on a second, so posts have distinct, ordered times.
  let ms = Date.now();
  const clock = () => new Date((ms += 1000));
  let ada: Someone; // member, pseudonym Willow
  let bo: Someone; // member
  let mo: Someone; // moderator, pseudonym "Quiet River"
  let fay: Someone; // facilitator
  let zed: Someone; // member of another group only
  let groupId: string;
  let otherGroupId: string;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: clock, env: { NOTIFY_WORKER: 'false' } });
    const [a, b, m, f, z] = await Promise.all(
      (['ada', 'bo', 'mo', 'fay', 'zed'] as const).map((h) => someone(t, h)),
    );
    [ada, bo, mo, fay, zed] = [a!, b!, m!, f!, z!];
  });
  afterAll(async () => t.close());

  beforeEach(async () => {
    groupId = await seedGroup(t, {
      now: clock(),
      members: [
        { who: fay, role: 'facilitator' },
        { who: mo, role: 'moderator', pseudonym: 'Quiet River' },
        { who: ada, role: 'member', pseudonym: 'Willow' },
        { who: bo, role: 'member' },
      ],
    });
    otherGroupId = await seedGroup(t, {
      now: clock(),
      members: [{ who: zed, role: 'facilitator' }],
    });
  });

  async function start(who: Someone, body: Record<string, unknown> = {}, group = groupId) {
    const res = await who.client.post(url(group, '/threads'), {
      title: 'Getting through the evenings',
      body: 'Evenings are the hardest for me.',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return startThreadResponseSchema.parse(res.json());
  }

  async function replyAs(who: Someone, threadId: string, body: Record<string, unknown> = {}) {
    const res = await who.client.post(url(groupId, `/threads/${threadId}/posts`), {
      body: 'Same here. Walking helps a bit.',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return postSchema.parse(res.json());
  }

  async function read(who: Someone, threadId: string, query = '') {
    const res = await who.client.get(url(groupId, `/threads/${threadId}${query}`));
    expect(res.statusCode, res.body).toBe(200);
    return threadPageSchema.parse(res.json());
  }

  async function list(who: Someone, query = '') {
    const res = await who.client.get(url(groupId, `/threads${query}`));
    expect(res.statusCode, res.body).toBe(200);
    return threadsResponseSchema.parse(res.json());
  }

  describe('threads and posts', () => {
    it('starts a thread, replies, lists newest activity first and pages by cursor', async () => {
      const first = await start(ada, { contentWarning: 'talk of grief' });
      expect(first.thread).toMatchObject({
        groupId,
        title: 'Getting through the evenings',
        contentWarning: 'talk of grief',
        locked: false,
        replyCount: 0,
        author: { accountId: ada.accountId, handle: 'ada', pseudonym: null, mine: true },
      });
      expect(first.post).toMatchObject({
        threadId: first.thread.id,
        body: 'Evenings are the hardest for me.',
        contentWarning: 'talk of grief',
        deleted: false,
        editedAt: null,
        reactions: [],
      });
      const second = await start(bo, { title: 'Books that helped' });
      expect((await list(fay)).threads.map((x) => x.id)).toEqual([
        second.thread.id,
        first.thread.id,
      ]);

      const r = await replyAs(bo, first.thread.id, { contentWarning: 'mentions loss' });
      expect(r.contentWarning).toBe('mentions loss');
      const listed = await list(bo);
      expect(listed.threads.map((x) => x.id)).toEqual([first.thread.id, second.thread.id]);
      expect(listed.threads[0]).toMatchObject({ replyCount: 1, contentWarning: 'talk of grief' });
      expect(listed.threads[0]!.lastPostAt).toBe(r.createdAt);

      const page1 = await list(bo, '?limit=1');
      expect(page1.threads.map((x) => x.id)).toEqual([first.thread.id]);
      expect(page1.next).not.toBeNull();
      const page2 = await list(bo, `?limit=1&after=${page1.next}`);
      expect(page2.threads.map((x) => x.id)).toEqual([second.thread.id]);
      expect(page2.next).toBeNull();

      const page = await read(mo, first.thread.id);
      expect(page.posts.map((p) => p.id)).toEqual([first.post.id, r.id]);
      expect(page.posts.map((p) => p.contentWarning)).toEqual(['talk of grief', 'mentions loss']);
      const one = await read(mo, first.thread.id, '?limit=1');
      expect(one.posts.map((p) => p.id)).toEqual([first.post.id]);
      const rest = await read(mo, first.thread.id, `?limit=1&after=${one.next}`);
      expect(rest.posts.map((p) => p.id)).toEqual([r.id]);
      expect(rest.next).toBeNull();
    });

    it('lets people edit and delete only their own posts', async () => {
      const { thread, post } = await start(ada);
      const mine = await ada.client.send('PATCH', url(groupId, `/posts/${post.id}`), {
        body: { body: 'Evenings are hard; mornings are better.', contentWarning: 'low mood' },
      });
      expect(mine.statusCode, mine.body).toBe(200);
      const edited = postSchema.parse(mine.json());
      expect(edited).toMatchObject({
        body: 'Evenings are hard; mornings are better.',
        contentWarning: 'low mood',
      });
      expect(edited.editedAt).not.toBeNull();
      // The first post's warning is the thread's.
      expect((await list(bo)).threads[0]!.contentWarning).toBe('low mood');
      // Leaving the warning out keeps it; null removes it.
      const kept = await ada.client.send('PATCH', url(groupId, `/posts/${post.id}`), {
        body: { body: 'Evenings are hard; mornings are better.' },
      });
      expect(postSchema.parse(kept.json()).contentWarning).toBe('low mood');
      const cleared = await ada.client.send('PATCH', url(groupId, `/posts/${post.id}`), {
        body: { body: 'Evenings are hard; mornings are better.', contentWarning: null },
      });
      expect(postSchema.parse(cleared.json()).contentWarning).toBeNull();
      expect((await list(bo)).threads[0]!.contentWarning).toBeNull();

      for (const other of [bo, mo, fay]) {
        const before = await footprint(t);
        const edit = await other.client.send('PATCH', url(groupId, `/posts/${post.id}`), {
          body: { body: 'Not mine to change.' },
        });
        expect(edit.statusCode).toBe(403);
        expect(edit.json()).toMatchObject({ error: { code: 'forbidden' } });
        const del = await other.client.delete(url(groupId, `/posts/${post.id}`));
        expect(del.statusCode).toBe(403);
        expect(await footprint(t)).toEqual(before);
      }
      expect((await read(bo, thread.id)).posts[0]!.body).toBe(
        'Evenings are hard; mornings are better.',
      );

      await bo.client.put(url(groupId, `/posts/${post.id}/reactions/heart`));
      const del = await ada.client.delete(url(groupId, `/posts/${post.id}`));
      expect(del.statusCode, del.body).toBe(200);
      expect(postSchema.parse(del.json())).toMatchObject({
        deleted: true,
        body: null,
        contentWarning: null,
        reactions: [],
      });
      const row = await t.handle.db
        .selectFrom('group_posts')
        .select(['body', 'content_warning', 'deleted_at'])
        .where('id', '=', post.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ body: '', content_warning: null });
      expect(row.deleted_at).not.toBeNull();
      expect((await read(bo, thread.id)).posts[0]).toMatchObject({ deleted: true, body: null });
      const again = await ada.client.delete(url(groupId, `/posts/${post.id}`));
      expect(again.statusCode).toBe(200);
      const late = await ada.client.send('PATCH', url(groupId, `/posts/${post.id}`), {
        body: { body: 'Back again' },
      });
      expect(late.statusCode).toBe(409);
      expect(late.json()).toMatchObject({ error: { code: 'post_deleted' } });
      const react = await bo.client.put(url(groupId, `/posts/${post.id}/reactions/hug`));
      expect(react.json()).toMatchObject({ error: { code: 'post_deleted' } });
    });

    it('writes id-only realtime events to every member, and none to anyone else', async () => {
      const before = await Promise.all([ada, bo, mo, fay, zed].map((p) => eventsOf(t, p)));
      const { thread, post } = await start(ada);
      const r = await replyAs(bo, thread.id);
      await ada.client.send('PATCH', url(groupId, `/posts/${post.id}`), {
        body: { body: 'Edited' },
      });
      await mo.client.put(url(groupId, `/posts/${r.id}/reactions/candle`));
      await bo.client.delete(url(groupId, `/posts/${r.id}`));
      const want = [
        { type: 'group.thread.created', data: { groupId, threadId: thread.id } },
        { type: 'group.post.created', data: { groupId, threadId: thread.id, postId: r.id } },
        { type: 'group.post.updated', data: { groupId, threadId: thread.id, postId: post.id } },
        { type: 'group.reaction.changed', data: { groupId, threadId: thread.id, postId: r.id } },
        { type: 'group.post.updated', data: { groupId, threadId: thread.id, postId: r.id } },
      ];
      const people = [ada, bo, mo, fay];
      for (const [i, p] of people.entries()) {
        expect((await eventsOf(t, p)).slice(before[i]!.length)).toEqual(want);
      }
      expect(await eventsOf(t, zed)).toEqual(before[4]);
    });
  });

  describe('at the same time', () => {
    it('takes concurrent posts from several members in one group, each with its events', async () => {
      const { thread } = await start(ada);
      const before = await eventsOf(t, fay);
      const people = [ada, bo, mo, fay, ada, bo, mo, fay];
      // Each client's CSRF token first (two fetches at once would replace each other's).
      for (const p of [ada, bo, mo, fay]) await p.client.csrfToken();
      const results = await Promise.all(
        people.map((p, i) =>
          p.client.post(url(groupId, `/threads/${thread.id}/posts`), { body: `Reply ${i}` }),
        ),
      );
      expect(results.map((r) => r.statusCode)).toEqual(people.map(() => 201));
      const page = await read(bo, thread.id);
      expect(page.posts).toHaveLength(1 + people.length);
      expect(page.thread.replyCount).toBe(people.length);
      const created = (await eventsOf(t, fay))
        .slice(before.length)
        .filter((e) => e.type === 'group.post.created');
      expect(created.map((e) => e.data.postId).sort()).toEqual(
        page.posts
          .slice(1)
          .map((p) => p.id)
          .sort(),
      );
    });
  });

  describe('pseudonyms', () => {
    it('never shows other members who wrote under a pseudonym; moderators and facilitators see', async () => {
      const { thread, post } = await start(ada, {
        title: 'Under my other name',
        body: 'A firefly in the dark.',
        asPseudonym: true,
      });
      expect(post.author).toEqual({
        accountId: ada.accountId,
        handle: 'ada',
        pseudonym: 'Willow',
        mine: true,
      });
      const r = await replyAs(ada, thread.id, { asPseudonym: true, body: 'Another firefly.' });
      expect(r.author.pseudonym).toBe('Willow');
      await bo.client.put(url(groupId, `/posts/${r.id}/reactions/thanks`));

      const hidden = { accountId: null, handle: null, pseudonym: 'Willow', mine: false };
      // Every response a member gets: the list, the thread, search, reactions, events.
      const responses = [
        await bo.client.get(url(groupId, '/threads')),
        await bo.client.get(url(groupId, `/threads/${thread.id}`)),
        await bo.client.get(`/api/v1/groups/conversations/search?q=firefly`),
        await bo.client.put(url(groupId, `/posts/${r.id}/reactions/hug`)),
      ];
      for (const res of responses) {
        expect(res.statusCode, res.body).toBe(200);
        expect(res.body).not.toContain(ada.accountId);
        expect(res.body).not.toContain('"ada"');
      }
      expect(threadsResponseSchema.parse(responses[0]!.json()).threads[0]!.author).toEqual(hidden);
      const page = threadPageSchema.parse(responses[1]!.json());
      expect(page.thread.author).toEqual(hidden);
      expect(page.posts.map((p) => p.author)).toEqual([hidden, hidden]);
      const found = searchResponseSchema.parse(responses[2]!.json());
      expect(found.results.length).toBe(2);
      expect(found.results.map((x) => x.author)).toEqual([hidden, hidden]);
      expect(JSON.stringify(await eventsOf(t, bo))).not.toContain(ada.accountId);

      for (const keeper of [mo, fay]) {
        const seen = await read(keeper, thread.id);
        expect(seen.thread.author).toMatchObject({ accountId: ada.accountId, handle: 'ada' });
        expect(seen.posts.map((p) => p.author.accountId)).toEqual([ada.accountId, ada.accountId]);
      }
    });

    it('refuses asPseudonym without a pseudonym in the group (no partial write)', async () => {
      const before = await footprint(t);
      const res = await bo.client.post(url(groupId, '/threads'), {
        title: 'Hello',
        body: 'Hi',
        asPseudonym: true,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'no_pseudonym' } });
      expect(await footprint(t)).toEqual(before);
    });
  });

  describe('reactions', () => {
    it('groups reactions, says whether I reacted, and adding or taking back is idempotent', async () => {
      const { thread, post } = await start(ada);
      const reactTo = async (who: Someone, reaction: string, method: 'PUT' | 'DELETE') => {
        const res = await who.client.send(
          method,
          url(groupId, `/posts/${post.id}/reactions/${reaction}`),
        );
        expect(res.statusCode, res.body).toBe(200);
        return reactionsResponseSchema.parse(res.json()).reactions;
      };
      expect(await reactTo(bo, 'heart', 'PUT')).toEqual([
        { reaction: 'heart', count: 1, mine: true },
      ]);
      expect(await reactTo(bo, 'heart', 'PUT')).toEqual([
        { reaction: 'heart', count: 1, mine: true },
      ]);
      await reactTo(ada, 'same-here', 'PUT');
      expect(await reactTo(ada, 'heart', 'PUT')).toEqual([
        { reaction: 'heart', count: 2, mine: true },
        { reaction: 'same-here', count: 1, mine: true },
      ]);
      expect(await reactTo(bo, 'heart', 'DELETE')).toEqual([
        { reaction: 'heart', count: 1, mine: false },
        { reaction: 'same-here', count: 1, mine: false },
      ]);
      expect(await reactTo(bo, 'heart', 'DELETE')).toEqual([
        { reaction: 'heart', count: 1, mine: false },
        { reaction: 'same-here', count: 1, mine: false },
      ]);
      expect((await read(ada, thread.id)).posts[0]!.reactions).toEqual([
        { reaction: 'heart', count: 1, mine: true },
        { reaction: 'same-here', count: 1, mine: true },
      ]);
      const bad = await bo.client.put(url(groupId, `/posts/${post.id}/reactions/thumbs-down`));
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: { code: 'invalid_input' } });
    });
  });

  describe('mentions', () => {
    it('mentions members of this group only, by handle or pseudonym, never from someone they blocked', async () => {
      await t.handle.db
        .updateTable('accounts')
        .set({ email: 'bo@example.org' })
        .where('id', '=', bo.accountId)
        .execute();
      // Fay has blocked Ada.
      await t.handle.db
        .insertInto('circle_blocks')
        .values({
          blocker_id: fay.accountId,
          blocked_id: ada.accountId,
          created_at: clock().toISOString(),
        })
        .execute();
      const mentionsBefore = await Promise.all([bo, mo, fay, zed, ada].map((p) => eventsOf(t, p)));
      const { thread, post } = await start(ada, {
        body: 'Thank you @bo, @[Quiet River], @fay, @zed and @ada.',
      });
      const mentioned = async (who: Someone, i: number) =>
        (await eventsOf(t, who))
          .slice(mentionsBefore[i]!.length)
          .filter((e) => e.type === 'group.mention');
      const data = { groupId, threadId: thread.id, postId: post.id };
      expect(await mentioned(bo, 0)).toEqual([{ type: 'group.mention', data }]);
      expect(await mentioned(mo, 1)).toEqual([{ type: 'group.mention', data }]);
      expect(await mentioned(fay, 2)).toEqual([]);
      expect(await mentioned(zed, 3)).toEqual([]);
      expect(await mentioned(ada, 4)).toEqual([]);
      const stored = await t.handle.db
        .selectFrom('group_mentions')
        .select('account_id')
        .where('post_id', '=', post.id)
        .execute();
      expect(stored.map((r) => r.account_id).sort()).toEqual([bo.accountId, mo.accountId].sort());

      expect((await read(bo, thread.id)).posts[0]!.mentionsMe).toBe(true);
      // Fay blocked Ada: Ada's thread is not there for her at all (blocks.test.ts).
      expect((await fay.client.get(url(groupId, `/threads/${thread.id}`))).statusCode).toBe(404);

      // Bo has an email address: one notification, fixed words, no content and no name.
      const outbox = await t.handle.db
        .selectFrom('notify_outbox')
        .select(['kind', 'payload', 'channel'])
        .where('account_id', '=', bo.accountId)
        .execute();
      expect(outbox).toEqual([
        {
          kind: 'group.mention',
          channel: 'email',
          payload: JSON.stringify({
            title: 'Tend',
            body: 'Someone mentioned you in a group conversation — open Tend',
            path: `/groups/${groupId}/conversations/${thread.id}`,
          }),
        },
      ]);

      // An edit tells only the newly mentioned; those no longer named are removed.
      const edit = await ada.client.send('PATCH', url(groupId, `/posts/${post.id}`), {
        body: { body: 'Thank you @bo.' },
      });
      expect(edit.statusCode, edit.body).toBe(200);
      expect(await mentioned(bo, 0)).toHaveLength(1);
      const after = await t.handle.db
        .selectFrom('group_mentions')
        .select('account_id')
        .where('post_id', '=', post.id)
        .execute();
      expect(after.map((r) => r.account_id)).toEqual([bo.accountId]);
      // The block would hide Ada's posts from Fay in the tests that follow.
      await t.handle.db
        .deleteFrom('circle_blocks')
        .where('blocker_id', '=', fay.accountId)
        .execute();
    });
  });

  describe('who may post', () => {
    it('refuses replies, edits and reactions in a locked thread; deleting my own post still works', async () => {
      const { thread, post } = await start(ada);
      const r = await replyAs(bo, thread.id);
      await t.handle.db
        .updateTable('group_threads')
        .set({ locked_at: clock().toISOString(), locked_by: fay.accountId })
        .where('id', '=', thread.id)
        .execute();
      const before = await footprint(t);
      const attempts = [
        await bo.client.post(url(groupId, `/threads/${thread.id}/posts`), { body: 'More' }),
        await ada.client.send('PATCH', url(groupId, `/posts/${post.id}`), { body: { body: 'x' } }),
        await mo.client.put(url(groupId, `/posts/${post.id}/reactions/heart`)),
      ];
      for (const res of attempts) {
        expect(res.statusCode).toBe(409);
        expect(res.json()).toMatchObject({ error: { code: 'thread_locked' } });
      }
      expect(await footprint(t)).toEqual(before);
      expect((await list(bo)).threads[0]!.locked).toBe(true);
      const del = await bo.client.delete(url(groupId, `/posts/${r.id}`));
      expect(del.statusCode).toBe(200);
    });

    it('asks members to accept a changed agreement before posting or reacting, not before reading', async () => {
      const { thread, post } = await start(ada);
      await t.handle.db
        .insertInto('group_agreements')
        .values({
          group_id: groupId,
          version: 2,
          text: 'Be kind. Version two.',
          written_by: fay.accountId,
          created_at: clock().toISOString(),
        })
        .execute();
      await t.handle.db
        .updateTable('groups')
        .set({ agreement_version: 2 })
        .where('id', '=', groupId)
        .execute();
      const before = await footprint(t);
      const attempts = [
        await bo.client.post(url(groupId, `/threads/${thread.id}/posts`), { body: 'More' }),
        await bo.client.post(url(groupId, '/threads'), { title: 'New', body: 'New' }),
        await bo.client.put(url(groupId, `/posts/${post.id}/reactions/heart`)),
        await ada.client.send('PATCH', url(groupId, `/posts/${post.id}`), { body: { body: 'x' } }),
      ];
      for (const res of attempts) {
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'agreement_needed' } });
      }
      expect(await footprint(t)).toEqual(before);
      await read(bo, thread.id);
      const accepted = await bo.client.post(url(groupId, '/agreement/accept'), {
        agreementVersion: 2,
      });
      expect(accepted.statusCode, accepted.body).toBe(200);
      await replyAs(bo, thread.id);
    });

    it('shows hidden threads, and the words of hidden posts, only to moderators and facilitators', async () => {
      const a = await start(ada, { title: 'Kept' });
      const b = await start(ada, { title: 'Hidden thread' });
      const r = await replyAs(ada, a.thread.id, { body: 'A post the moderators hid' });
      const at = clock().toISOString();
      await t.handle.db
        .updateTable('group_threads')
        .set({ hidden_at: at, hidden_by: mo.accountId })
        .where('id', '=', b.thread.id)
        .execute();
      await t.handle.db
        .updateTable('group_posts')
        .set({ hidden_at: at, hidden_by: mo.accountId })
        .where('id', '=', r.id)
        .execute();
      for (const member of [ada, bo]) {
        expect((await list(member)).threads.map((x) => x.id)).toEqual([a.thread.id]);
        const gone = await member.client.get(url(groupId, `/threads/${b.thread.id}`));
        expect(gone.statusCode).toBe(404);
        const post = (await read(member, a.thread.id)).posts[1]!;
        expect(post).toMatchObject({ id: r.id, hidden: true, body: null });
        const refused = await member.client.post(url(groupId, `/threads/${b.thread.id}/posts`), {
          body: 'x',
        });
        expect(refused.statusCode).toBe(404);
      }
      for (const keeper of [mo, fay]) {
        const threads = (await list(keeper)).threads;
        expect(threads.map((x) => [x.id, x.hidden])).toEqual([
          [a.thread.id, false],
          [b.thread.id, true],
        ]);
        const post = (await read(keeper, a.thread.id)).posts[1]!;
        expect(post).toMatchObject({ hidden: true, body: 'A post the moderators hid' });
      }
      const found = await bo.client.get('/api/v1/groups/conversations/search?q=moderators');
      expect(searchResponseSchema.parse(found.json()).results).toEqual([]);
    });

    it('refuses new posts in an archived group', async () => {
      const { thread, post } = await start(ada);
      await t.handle.db
        .updateTable('groups')
        .set({ archived_at: clock().toISOString() })
        .where('id', '=', groupId)
        .execute();
      const res = await bo.client.post(url(groupId, `/threads/${thread.id}/posts`), { body: 'Hi' });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'group_archived' } });
      await read(bo, thread.id);
      expect((await ada.client.delete(url(groupId, `/posts/${post.id}`))).statusCode).toBe(200);
    });

    it('refuses someone removed from the group', async () => {
      const { thread } = await start(ada);
      await t.handle.db
        .deleteFrom('group_members')
        .where('group_id', '=', groupId)
        .where('account_id', '=', bo.accountId)
        .execute();
      const res = await bo.client.post(url(groupId, `/threads/${thread.id}/posts`), { body: 'Hi' });
      expect(res.statusCode).toBe(403);
      const get = await bo.client.get(url(groupId, `/threads/${thread.id}`));
      expect(get.statusCode).toBe(403);
    });

    it('limits posting to THREAD_LIMITS.postsPerTenMinutes in ten minutes', async () => {
      const posted: PostWire[] = [];
      ms += 11 * 60_000; // earlier tests' posts no longer count
      const threads: string[] = [];
      for (let i = 0; i < 15; i++) threads.push((await start(fay, { title: `T${i}` })).thread.id);
      for (let i = 0; i < THREAD_LIMITS.postsPerTenMinutes - 15; i++) {
        posted.push(await replyAsFay(threads[i % threads.length]!));
      }
      const before = await footprint(t);
      const res = await fay.client.post(url(groupId, `/threads/${threads[0]}/posts`), {
        body: 'One too many',
      });
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe('600');
      expect(res.json()).toMatchObject({ error: { code: 'rate_limited' } });
      expect(await footprint(t)).toEqual(before);
      // Ten minutes later there is room again.
      ms += 11 * 60_000;
      posted.push(await replyAsFay(threads[0]!));
      expect(posted).toHaveLength(16);
    });
    async function replyAsFay(threadId: string) {
      const res = await fay.client.post(url(groupId, `/threads/${threadId}/posts`), {
        body: 'Yes',
      });
      expect(res.statusCode, res.body).toBe(201);
      return postSchema.parse(res.json());
    }
  });

  describe('bad input', () => {
    it('answers 400 invalid_input with no write', async () => {
      const { thread, post } = await start(ada);
      const before = await footprint(t);
      const cases = [
        () => ada.client.post(url(groupId, '/threads'), { title: '', body: 'x' }),
        () => ada.client.post(url(groupId, '/threads'), { title: '   ', body: 'x' }),
        () => ada.client.post(url(groupId, '/threads'), { title: 'x', body: '  \n ' }),
        () =>
          ada.client.post(url(groupId, '/threads'), {
            title: 'x',
            body: 'a'.repeat(THREAD_LIMITS.body + 1),
          }),
        () =>
          ada.client.post(url(groupId, '/threads'), {
            title: 't'.repeat(THREAD_LIMITS.title + 1),
            body: 'x',
          }),
        () => ada.client.post(url(groupId, '/threads'), { title: 'x', body: 'bell\u0007' }),
        () =>
          ada.client.post(url(groupId, '/threads'), {
            title: 'x',
            body: 'x',
            contentWarning: 'w'.repeat(THREAD_LIMITS.contentWarning + 1),
          }),
        () => ada.client.post(url(groupId, '/threads'), { title: 'x', body: 'x', score: 5 }),
        () => ada.client.post(url(groupId, `/threads/${thread.id}/posts`), { body: 42 }),
        () => ada.client.post(url(groupId, `/threads/${thread.id}/posts`), {}),
        () => ada.client.send('PATCH', url(groupId, `/posts/${post.id}`), { body: {} }),
        () => ada.client.get(url(groupId, '/threads?after=not-a-cursor')),
        () => ada.client.get(url(groupId, '/threads?limit=500')),
        () => ada.client.get(url(groupId, `/threads/${thread.id}?after=%7B%7D`)),
        () => ada.client.get('/api/v1/groups/conversations/search'),
        () => ada.client.get(`/api/v1/groups/conversations/search?q=${'q'.repeat(201)}`),
        () => ada.client.get(url('not an id!', '/threads')),
      ];
      for (const make of cases) {
        const res = await make();
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json<{ error: { code: string } }>().error.code).toBe('invalid_input');
      }
      expect(await footprint(t)).toEqual(before);
    });

    it('keeps Markdown as written (the client renders it safely)', async () => {
      const body = '# Hi\n\n<script>alert(1)</script> **bold** [x](javascript:alert(1))';
      const { post } = await start(ada, { body });
      expect(post.body).toBe(body);
    });

    it('answers 404 for a thread or post of another group', async () => {
      const elsewhere = await start(zed, {}, otherGroupId);
      const res = [
        await bo.client.get(url(groupId, `/threads/${elsewhere.thread.id}`)),
        await bo.client.post(url(groupId, `/threads/${elsewhere.thread.id}/posts`), { body: 'x' }),
        await bo.client.put(url(groupId, `/posts/${elsewhere.post.id}/reactions/heart`)),
      ];
      for (const r of res) expect(r.statusCode).toBe(404);
    });
  });

  describe('search', () => {
    it('finds posts and titles only in my groups, never deleted posts, and pages', async () => {
      const a = await start(ada, { title: 'Lantern walks', body: 'We walk at dusk.' });
      const b = await replyAsSearch(bo, a.thread.id, 'I bring a lantern too.');
      const gone = await replyAsSearch(bo, a.thread.id, 'lanterns everywhere');
      await bo.client.delete(url(groupId, `/posts/${gone.id}`));
      // Zed's group talks about lanterns as well; Bo must never see it.
      const z = await start(
        zed,
        { title: 'Secret lantern', body: 'lantern lantern' },
        otherGroupId,
      );

      const search = async (who: Someone, q: string) => {
        const res = await who.client.get(`/api/v1/groups/conversations/search?${q}`);
        expect(res.statusCode, res.body).toBe(200);
        return searchResponseSchema.parse(res.json());
      };
      const found = await search(bo, 'q=lantern');
      expect(found.results.map((r) => [r.kind, r.postId])).toEqual([
        ['post', b.id],
        ['thread', a.post.id],
      ]);
      expect(found.results[1]).toMatchObject({
        threadTitle: 'Lantern walks',
        excerpt: 'We walk at dusk.',
        groupId,
      });
      const raw = await bo.client.get('/api/v1/groups/conversations/search?q=secret');
      expect(searchResponseSchema.parse(raw.json()).results).toEqual([]);
      expect(raw.body).not.toContain(z.thread.id);
      expect((await search(bo, `q=lantern&groupId=${otherGroupId}`)).results).toEqual([]);
      // Zed's first post matches by its words and its title: one result.
      expect((await search(zed, 'q=lantern')).results.map((r) => [r.kind, r.groupId])).toEqual([
        ['thread', otherGroupId],
      ]);
      expect((await search(bo, 'q=everywhere')).results).toEqual([]);
      expect((await search(bo, 'q=dusk walk')).results.map((r) => r.postId)).toEqual([a.post.id]);

      const p1 = await search(bo, 'q=lantern&limit=1');
      expect(p1.results.map((r) => r.postId)).toEqual([b.id]);
      const p2 = await search(bo, `q=lantern&limit=1&after=${p1.next}`);
      expect(p2.results.map((r) => r.postId)).toEqual([a.post.id]);
      expect(p2.next).toBeNull();

      // An edit is searchable at once; the old words are not.
      await bo.client.send('PATCH', url(groupId, `/posts/${b.id}`), {
        body: { body: 'A torch, actually.' },
      });
      expect((await search(bo, 'q=torch')).results.map((r) => r.postId)).toEqual([b.id]);
      expect((await search(bo, 'q=lantern')).results.map((r) => r.postId)).toEqual([a.post.id]);
    });
    async function replyAsSearch(who: Someone, threadId: string, body: string) {
      return replyAs(who, threadId, { body });
    }
  });
});
