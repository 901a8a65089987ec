import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateId } from '../../../core/src/crypto/ids.js';
import { joinRequestsResponseSchema } from '../../../core/src/groups/api.js';
import {
  postSchema,
  searchResponseSchema,
  startThreadResponseSchema,
  threadPageSchema,
  threadsResponseSchema,
} from '../../../core/src/groups/threads-api.js';
import { queueResponseSchema } from '../../../core/src/moderation/api.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { eventsOf, seedGroup, someone, type Someone } from './test-fixtures.js';

const url = (groupId: string, rest = '') => `/api/v1/groups/${groupId}${rest}`;

/**
 * Blocks in group conversations (docs/GROUPS.md "Blocks"): when one person has blocked another,
 * either way, what each writes — under a handle or a pseudonym — disappears for the other from
 * thread lists, thread pages, search, reaction counts and live events, and their join requests
 * from the other's list; other members see everything; unblocking brings it back; the
 * moderation queue keeps it for keepers.
 */
describeEachEngine('blocks in group conversations', (engine) => {
  let t: TestApp;
  let ms = Date.now();
  const clock = () => new Date((ms += 1000));
  let ada: Someone; // the blocker (a moderator, so keepers are covered too)
  let bo: Someone; // blocked; pseudonym Fern
  let cy: Someone; // a member with no block
  let fay: Someone; // facilitator
  let groupId: string;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: clock, env: { NOTIFY_WORKER: 'false' } });
    ada = await someone(t, 'blk-ada');
    bo = await someone(t, 'blk-bo');
    cy = await someone(t, 'blk-cy');
    fay = await someone(t, 'blk-fay');
  });
  afterAll(async () => t.close());
  // Each test makes its own block.
  afterEach(async () => {
    await t.handle.db.deleteFrom('circle_blocks').execute();
  });

  beforeEach(async () => {
    // Clear of the posting limit (30 in ten minutes) left by the last test.
    ms += 11 * 60_000;
    groupId = await seedGroup(t, {
      now: clock(),
      members: [
        { who: fay, role: 'facilitator' },
        { who: ada, role: 'moderator' },
        { who: bo, role: 'member', pseudonym: 'Fern' },
        { who: cy, role: 'member' },
      ],
    });
  });

  async function block(by: Someone, whom: Someone) {
    const res = await by.client.post('/api/v1/circles/blocks', { accountId: whom.accountId });
    expect(res.statusCode, res.body).toBe(201);
  }
  async function unblock(by: Someone, whom: Someone) {
    const res = await by.client.delete(`/api/v1/circles/blocks/${whom.accountId}`);
    expect(res.statusCode, res.body).toBeLessThan(300);
  }
  async function start(who: Someone, body: Record<string, unknown> = {}) {
    const res = await who.client.post(url(groupId, '/threads'), {
      title: 'Evenings',
      body: 'Evenings are hard.',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return startThreadResponseSchema.parse(res.json());
  }
  async function replyAs(who: Someone, threadId: string, body: Record<string, unknown> = {}) {
    const res = await who.client.post(url(groupId, `/threads/${threadId}/posts`), {
      body: 'Same here.',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return postSchema.parse(res.json());
  }
  async function list(who: Someone) {
    const res = await who.client.get(url(groupId, '/threads'));
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.body, ...threadsResponseSchema.parse(res.json()) };
  }
  async function page(who: Someone, threadId: string) {
    const res = await who.client.get(url(groupId, `/threads/${threadId}`));
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.body, ...threadPageSchema.parse(res.json()) };
  }
  async function search(who: Someone, q: string) {
    const res = await who.client.get(
      `/api/v1/groups/conversations/search?q=${encodeURIComponent(q)}&groupId=${groupId}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.body, ...searchResponseSchema.parse(res.json()) };
  }
  /** An error answer without its request id: the same for a blocked thing and an unknown id. */
  const error = (res: { body: string }) => {
    const { error } = JSON.parse(res.body) as { error: Record<string, unknown> };
    return { code: error.code, message: error.message };
  };
  const hug = (who: Someone, postId: string) =>
    who.client.put(url(groupId, `/posts/${postId}/reactions/hug`));

  /** Bo's thread (one under Fern), Cy's thread with Bo's and Cy's replies, Ada's thread. */
  async function conversation() {
    const boThread = await start(bo, { title: 'Lantern nights', body: 'A lanternword post.' });
    const fernThread = await start(bo, {
      title: 'Quiet lantern',
      body: 'Under my lanternword pseudonym.',
      asPseudonym: true,
    });
    const cyThread = await start(cy, { title: 'Mornings', body: 'Mornings are better.' });
    const boReply = await replyAs(bo, cyThread.thread.id, { body: 'My lanternword reply.' });
    const fernReply = await replyAs(bo, cyThread.thread.id, {
      body: 'Fern says lanternword too.',
      asPseudonym: true,
    });
    const cyReply = await replyAs(cy, cyThread.thread.id, { body: 'A lanternword of my own.' });
    const cyInBo = await replyAs(cy, boThread.thread.id, { body: 'Answering Bo.' });
    const adaThread = await start(ada, { title: 'Ada writes', body: 'Ada lanternword.' });
    for (const who of [bo, cy]) {
      expect((await hug(who, cyThread.post.id)).statusCode).toBe(200);
    }
    return { boThread, fernThread, cyThread, boReply, fernReply, cyReply, cyInBo, adaThread };
  }

  describe.each([
    ['Ada blocked Bo', () => block(ada, bo)],
    ['Bo blocked Ada', () => block(bo, ada)],
  ])('%s', (_name, blockNow) => {
    it('hides each one’s threads and posts from the other in lists and pages, under a handle or a pseudonym', async () => {
      const c = await conversation();
      await blockNow();
      const boIds = [
        c.boThread.thread.id,
        c.boThread.post.id,
        c.fernThread.thread.id,
        c.fernThread.post.id,
        c.boReply.id,
        c.fernReply.id,
        // Cy's reply sits in Bo's thread, which Ada no longer sees.
        c.cyInBo.id,
      ];

      // Ada's list: Bo's threads (Fern's too) are gone; Cy's keeps its shape, counted without Bo.
      const adaList = await list(ada);
      expect(adaList.threads.map((x) => x.id).sort()).toEqual(
        [c.cyThread.thread.id, c.adaThread.thread.id].sort(),
      );
      expect(adaList.threads.find((x) => x.id === c.cyThread.thread.id)?.replyCount).toBe(1);
      for (const id of boIds) expect(adaList.body).not.toContain(id);
      expect(adaList.body).not.toContain(bo.accountId);
      expect(adaList.body).not.toContain('Fern');

      // Bo's list likewise lacks Ada's thread.
      const boList = await list(bo);
      expect(boList.threads.map((x) => x.id)).not.toContain(c.adaThread.thread.id);
      expect(boList.body).not.toContain(ada.accountId);

      // Cy and Fay see everything, with every reply counted.
      for (const who of [cy, fay]) {
        const l = await list(who);
        expect(l.threads).toHaveLength(4);
        expect(l.threads.find((x) => x.id === c.cyThread.thread.id)?.replyCount).toBe(3);
      }

      // Cy's thread for Ada: Cy's posts only, the hug counted once (Cy's), nothing of Bo's.
      const adaPage = await page(ada, c.cyThread.thread.id);
      expect(adaPage.posts.map((p) => p.id)).toEqual([c.cyThread.post.id, c.cyReply.id]);
      expect(adaPage.thread.replyCount).toBe(1);
      expect(adaPage.posts[0]!.reactions).toEqual([{ reaction: 'hug', count: 1, mine: false }]);
      for (const id of boIds) expect(adaPage.body).not.toContain(id);
      expect(adaPage.body).not.toContain('Fern');
      expect(adaPage.body).not.toContain('lanternword reply');
      const cyPage = await page(cy, c.cyThread.thread.id);
      expect(cyPage.posts.map((p) => p.id)).toEqual([
        c.cyThread.post.id,
        c.boReply.id,
        c.fernReply.id,
        c.cyReply.id,
      ]);
      expect(cyPage.posts[0]!.reactions).toEqual([{ reaction: 'hug', count: 2, mine: true }]);

      // Bo's threads (Fern's too) read as an unknown id would, and say nothing of a block.
      const unknown = await ada.client.get(url(groupId, `/threads/${generateId()}`));
      for (const id of [c.boThread.thread.id, c.fernThread.thread.id]) {
        const res = await ada.client.get(url(groupId, `/threads/${id}`));
        expect(res.statusCode).toBe(404);
        expect(error(res)).toEqual(error(unknown));
      }
      expect(error(await bo.client.get(url(groupId, `/threads/${c.adaThread.thread.id}`)))).toEqual(
        error(unknown),
      );

      // Nor can either act on what the other wrote: reply, react (as an unknown post).
      const unknownPost = await hug(ada, generateId());
      expect(unknownPost.statusCode).toBe(404);
      for (const res of [
        await ada.client.post(url(groupId, `/threads/${c.boThread.thread.id}/posts`), {
          body: 'Hello',
        }),
        await hug(ada, c.boReply.id),
        await hug(ada, c.fernThread.post.id),
        await hug(bo, c.adaThread.post.id),
      ]) {
        expect(res.statusCode).toBe(404);
        expect(error(res)).toEqual(error(unknownPost));
      }
    });

    it('leaves each one’s posts out of the other’s search results', async () => {
      const c = await conversation();
      await blockNow();
      const adaFound = await search(ada, 'lanternword');
      expect(adaFound.results.map((r) => r.postId).sort()).toEqual(
        [c.cyReply.id, c.adaThread.post.id].sort(),
      );
      expect(adaFound.body).not.toContain('Fern');
      expect(adaFound.body).not.toContain(bo.accountId);
      const boFound = await search(bo, 'lanternword');
      expect(boFound.results.map((r) => r.postId)).not.toContain(c.adaThread.post.id);
      const cyFound = await search(cy, 'lanternword');
      expect(cyFound.results.map((r) => r.postId).sort()).toEqual(
        [
          c.boThread.post.id,
          c.fernThread.post.id,
          c.boReply.id,
          c.fernReply.id,
          c.cyReply.id,
          c.adaThread.post.id,
        ].sort(),
      );
    });

    it('sends neither of them live events about what the other writes, nor mentions', async () => {
      const c = await conversation();
      await blockNow();
      const adaBefore = (await eventsOf(t, ada)).length;
      const boBefore = (await eventsOf(t, bo)).length;
      const cyBefore = (await eventsOf(t, cy)).length;

      const boNew = await start(bo, { body: 'Hello @blk-ada.', asPseudonym: true });
      const boReply = await replyAs(bo, c.cyThread.thread.id, { body: 'Again, @blk-ada.' });
      const edit = await bo.client.send('PATCH', url(groupId, `/posts/${boReply.id}`), {
        body: { body: 'Edited.' },
      });
      expect(edit.statusCode, edit.body).toBe(200);
      expect((await hug(bo, c.cyReply.id)).statusCode).toBe(200);
      // Cy's reply in Bo's thread is about a thread Ada does not see.
      await replyAs(cy, boNew.thread.id);
      // Ada writes too: nothing reaches Bo, and Ada cannot mention Bo.
      const adaNew = await start(ada, { body: 'Hello @blk-bo.' });

      const adaEvents = (await eventsOf(t, ada)).slice(adaBefore);
      expect(adaEvents).toEqual([
        { type: 'group.thread.created', data: { groupId, threadId: adaNew.thread.id } },
      ]);
      const boEvents = (await eventsOf(t, bo)).slice(boBefore);
      expect(JSON.stringify(boEvents)).not.toContain(adaNew.thread.id);
      expect(boEvents.filter((e) => e.type === 'group.mention')).toEqual([]);
      // Cy is told of all of it.
      const cyEvents = (await eventsOf(t, cy)).slice(cyBefore);
      expect(cyEvents.map((e) => e.type)).toEqual([
        'group.thread.created',
        'group.post.created',
        'group.post.updated',
        'group.reaction.changed',
        'group.post.created',
        'group.thread.created',
      ]);
      const mentions = await t.handle.db
        .selectFrom('group_mentions')
        .select('account_id')
        .where('post_id', 'in', [boNew.post.id, boReply.id, adaNew.post.id])
        .execute();
      expect(mentions).toEqual([]);
    });

    it('brings everything back on unblocking', async () => {
      const c = await conversation();
      await blockNow();
      expect((await list(ada)).threads).toHaveLength(2);
      const blocker = (
        await t.handle.db
          .selectFrom('circle_blocks')
          .select(['blocker_id'])
          .executeTakeFirstOrThrow()
      ).blocker_id;
      if (blocker === ada.accountId) await unblock(ada, bo);
      else await unblock(bo, ada);
      const l = await list(ada);
      expect(l.threads).toHaveLength(4);
      expect(l.threads.find((x) => x.id === c.cyThread.thread.id)?.replyCount).toBe(3);
      expect((await page(ada, c.fernThread.thread.id)).posts.map((p) => p.id)).toEqual([
        c.fernThread.post.id,
      ]);
      expect((await page(ada, c.cyThread.thread.id)).posts).toHaveLength(4);
      expect((await search(ada, 'lanternword')).results).toHaveLength(6);
      expect((await hug(ada, c.boReply.id)).statusCode).toBe(200);
    });

    it('hides each one’s join requests from the other, and from no other keeper', async () => {
      const requestGroup = await seedGroup(t, {
        visibility: 'request',
        now: clock(),
        members: [
          { who: fay, role: 'facilitator' },
          { who: ada, role: 'facilitator' },
        ],
      });
      for (const who of [bo, cy]) {
        const asked = await who.client.post(url(requestGroup, '/requests'), {
          id: generateId(),
          agreementVersion: 1,
          answers: [],
        });
        expect(asked.statusCode, asked.body).toBe(201);
      }
      await blockNow();
      const requesters = async (who: Someone) => {
        const res = await who.client.get(url(requestGroup, '/requests'));
        expect(res.statusCode, res.body).toBe(200);
        return joinRequestsResponseSchema
          .parse(res.json())
          .requests.map((r) => r.account.accountId)
          .sort();
      };
      expect(await requesters(ada)).toEqual([cy.accountId]);
      expect(await requesters(fay)).toEqual([bo.accountId, cy.accountId].sort());
    });

    it('keeps a report of the other’s post in a keeper’s queue, and moderation possible', async () => {
      const cyThread = await start(cy);
      const c = {
        boReply: await replyAs(bo, cyThread.thread.id, { body: 'My lanternword reply.' }),
      };
      const reported = await cy.client.post('/api/v1/moderation/reports', {
        kind: 'post',
        groupId,
        postId: c.boReply.id,
        reason: 'unkind-or-harassing',
      });
      expect(reported.statusCode, reported.body).toBe(201);
      await blockNow();
      const adaBefore = (await eventsOf(t, ada)).length;
      const cyBefore = (await eventsOf(t, cy)).length;
      // Ada keeps the group safe: the report stays in her queue, with the start of the post.
      const queue = await ada.client.get('/api/v1/moderation/queue');
      expect(queue.statusCode, queue.body).toBe(200);
      const item = queueResponseSchema
        .parse(queue.json())
        .reports.find((r) => r.postId === c.boReply.id);
      expect(item?.excerpt).toBe('My lanternword reply.');
      const hide = await ada.client.post(url(groupId, '/moderation/actions'), {
        action: 'hide-post',
        postId: c.boReply.id,
        reportId: item?.id,
      });
      expect(hide.statusCode, hide.body).toBe(200);
      // The event about Bo's post goes to Cy, not to Ada, for whom the post does not exist.
      const data = { groupId, threadId: cyThread.thread.id, postId: c.boReply.id };
      expect((await eventsOf(t, cy)).slice(cyBefore)).toContainEqual({
        type: 'group.post.updated',
        data,
      });
      expect(JSON.stringify((await eventsOf(t, ada)).slice(adaBefore))).not.toContain(c.boReply.id);
    });
  });
});
