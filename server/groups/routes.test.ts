import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateId } from '../../core/src/crypto/ids.js';
import {
  agreementsResponseSchema,
  browseResponseSchema,
  groupInvitationSchema,
  groupLinkSchema,
  groupPageSchema,
  joinRequestsResponseSchema,
  joinRequestWireSchema,
  membersResponseSchema,
  myGroupsResponseSchema,
} from '../../core/src/groups/api.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import {
  createGroup,
  eventsOf,
  footprint,
  groupBody,
  inviteAndAccept,
  join,
  linkBody,
  setRole,
  someone,
  type Someone,
} from './test-fixtures.js';

describeEachEngine('groups', (engine) => {
  let t: TestApp;
  let clock: Date;
  let fay: Someone, mo: Someone, ada: Someone, bo: Someone;

  beforeEach(async () => {
    clock = new Date('2026-11-25T12:00:00.000Z');
    t = await createTestApp(engine, { now: () => clock, env: { NOTIFY_WORKER: 'false' } });
    fay = await someone(t, 'fay');
    mo = await someone(t, 'moe');
    ada = await someone(t, 'ada');
    bo = await someone(t, 'bob');
  });
  afterEach(async () => t.close());

  const tick = () => {
    clock = new Date(clock.getTime() + 1000);
  };
  const pageOf = async (who: Someone, id: string) => {
    const res = await who.client.get(`/api/v1/groups/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return groupPageSchema.parse(res.json());
  };
  const browse = async (who: Someone, query = '') => {
    const res = await who.client.get(`/api/v1/groups${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return browseResponseSchema.parse(res.json());
  };
  const names = async (who: Someone, query = '') =>
    (await browse(who, query)).groups.map((g) => g.name);

  it('lifecycle: create, visit, join, edit, roles, leave, archive', async () => {
    const body = groupBody({
      slug: 'Voices-Leeds',
      topics: ['Hearing  Voices', 'visions'],
      languages: ['en', 'pt-BR'],
      format: 'both',
      area: 'Leeds',
      pseudonym: 'Willow',
    });
    const created = await fay.client.post('/api/v1/groups', body);
    expect(created.statusCode, created.body).toBe(201);
    const g = groupPageSchema.parse(created.json());
    expect(g).toMatchObject({
      id: body.id,
      slug: 'voices-leeds',
      topics: ['hearing voices', 'visions'],
      languages: ['en', 'pt-br'],
      format: 'both',
      area: 'Leeds',
      visibility: 'public',
      memberCount: 1,
      archived: false,
      agreement: { version: 1, text: body.agreement, createdAt: clock.toISOString() },
      membership: {
        role: 'facilitator',
        pseudonym: 'Willow',
        agreementVersion: 1,
        needsAgreement: false,
      },
      myRequest: null,
      myInvitationId: null,
    });

    const bySlug = await ada.client.get('/api/v1/groups/by-slug/VOICES-leeds');
    expect(bySlug.statusCode, bySlug.body).toBe(200);
    expect(bySlug.json()).toMatchObject({ id: g.id, slug: 'voices-leeds' });
    expect((await ada.client.get('/api/v1/groups/by-slug/no-such-group')).statusCode).toBe(404);

    // A visitor sees the group, its agreement and no membership.
    const visit = await pageOf(ada, g.id);
    expect(visit.membership).toBeNull();
    expect(visit.agreement.text).toBe(body.agreement);

    tick();
    const joined = await join(ada, g);
    expect(joined.membership).toMatchObject({ role: 'member', needsAgreement: false });
    expect(joined.memberCount).toBe(2);
    const again = await ada.client.post(`/api/v1/groups/${g.id}/join`, { agreementVersion: 1 });
    expect(again.json()).toMatchObject({ error: { code: 'already_in_group' } });
    expect(await eventsOf(t, ada)).toEqual([
      { type: 'group.membership.changed', data: { groupId: g.id } },
    ]);

    // A member cannot edit; a facilitator can, and the slug stays unique.
    expect(
      (await ada.client.send('PATCH', `/api/v1/groups/${g.id}`, { body: { name: 'Mine' } }))
        .statusCode,
    ).toBe(403);
    const other = await createGroup(mo, { slug: 'taken-slug' });
    const clash = await fay.client.send('PATCH', `/api/v1/groups/${g.id}`, {
      body: { slug: 'taken-slug' },
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ error: { code: 'slug_taken' } });
    const edited = await fay.client.send('PATCH', `/api/v1/groups/${g.id}`, {
      body: { name: 'Voices in Leeds', topics: ['voices'], description: 'Quarterly walks.' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    // The search index follows the edit: new words are found, old ones no longer.
    expect(await names(bo, '?q=quarterly')).toEqual(['Voices in Leeds']);
    expect(await names(bo, '?q=judgement')).toEqual([other.name]); // still in the other group
    expect(edited.json()).toMatchObject({ name: 'Voices in Leeds', topics: ['voices'] });
    expect(await names(bo, '?topic=voices')).toEqual(['Voices in Leeds']);
    expect(await names(bo, '?topic=visions')).toEqual([]);

    // Pseudonyms: members see only the pseudonym; facilitators and moderators see whose it is.
    const membersAs = async (who: Someone) => {
      const res = await who.client.get(`/api/v1/groups/${g.id}/members`);
      expect(res.statusCode, res.body).toBe(200);
      return membersResponseSchema.parse(res.json()).members;
    };
    expect((await membersAs(ada))[0]).toEqual({
      accountId: null,
      handle: null,
      pseudonym: 'Willow',
      role: 'facilitator',
      joinedAt: g.createdAt,
    });
    expect((await membersAs(fay)).map((m) => [m.handle, m.pseudonym, m.role])).toEqual([
      ['fay', 'Willow', 'facilitator'],
      ['ada', null, 'member'],
    ]);
    expect((await bo.client.get(`/api/v1/groups/${g.id}/members`)).statusCode).toBe(403);
    const taken = await bo.client.post(`/api/v1/groups/${g.id}/join`, {
      agreementVersion: 1,
      pseudonym: 'WILLOW',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ error: { code: 'pseudonym_taken' } });

    // A member takes a pseudonym, keeps it (own one again is fine), or drops it.
    const me = `/api/v1/groups/${g.id}/members/me`;
    expect((await ada.client.put(me, { pseudonym: 'willow' })).json()).toMatchObject({
      error: { code: 'pseudonym_taken' },
    });
    expect((await fay.client.put(me, { pseudonym: 'WILLOW' })).json()).toMatchObject({
      membership: { pseudonym: 'WILLOW' },
    });
    expect((await ada.client.put(me, { pseudonym: 'Fern' })).json()).toMatchObject({
      membership: { pseudonym: 'Fern' },
    });
    expect((await membersAs(fay)).map((m) => m.pseudonym)).toEqual(['WILLOW', 'Fern']);
    expect((await ada.client.put(me, { pseudonym: null })).json()).toMatchObject({
      membership: { pseudonym: null },
    });
    expect((await bo.client.put(me, { pseudonym: 'Oak' })).statusCode).toBe(403);

    // Roles: at least one facilitator, always.
    const demote = await fay.client.put(`/api/v1/groups/${g.id}/members/${fay.accountId}/role`, {
      role: 'member',
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json()).toMatchObject({ error: { code: 'last_facilitator' } });
    const leaving = await fay.client.delete(`/api/v1/groups/${g.id}/members/me`);
    expect(leaving.json()).toMatchObject({ error: { code: 'last_facilitator' } });
    expect(
      (
        await ada.client.put(`/api/v1/groups/${g.id}/members/${ada.accountId}/role`, {
          role: 'facilitator',
        })
      ).statusCode,
    ).toBe(403);
    await setRole(fay, g, ada, 'moderator');
    expect((await membersAs(ada)).map((m) => m.handle)).toEqual(['fay', 'ada']);
    await setRole(fay, g, ada, 'facilitator');
    await setRole(ada, g, fay, 'member');
    expect((await pageOf(fay, g.id)).membership?.role).toBe('member');
    expect(
      (
        await ada.client.put(`/api/v1/groups/${g.id}/members/${bo.accountId}/role`, {
          role: 'member',
        })
      ).statusCode,
    ).toBe(404);

    // Leaving; the last one to leave archives the group.
    expect((await fay.client.delete(`/api/v1/groups/${g.id}/members/me`)).statusCode).toBe(204);
    expect((await fay.client.delete(`/api/v1/groups/${g.id}/members/me`)).statusCode).toBe(404);
    expect((await ada.client.delete(`/api/v1/groups/${g.id}/members/me`)).statusCode).toBe(204);
    expect((await pageOf(bo, g.id)).archived).toBe(true);
    expect(await names(bo)).toEqual([other.name]);

    // Archiving by a facilitator: not listed, nobody joins, nothing is edited.
    const archived = await mo.client.post(`/api/v1/groups/${other.id}/archive`);
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json()).toMatchObject({ archived: true });
    expect(await names(bo)).toEqual([]);
    const late = await bo.client.post(`/api/v1/groups/${other.id}/join`, { agreementVersion: 1 });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: { code: 'group_archived' } });
    expect((await mo.client.post(`/api/v1/groups/${other.id}/archive`)).statusCode).toBe(409);

    const mine = myGroupsResponseSchema.parse((await mo.client.get('/api/v1/groups/mine')).json());
    expect(mine.groups.map((x) => [x.name, x.archived, x.membership.role])).toEqual([
      [other.name, true, 'facilitator'],
    ]);
  });

  it('members page by a cursor that never carries an account id', async () => {
    const g = await createGroup(fay);
    const more = await Promise.all(['kai', 'lee', 'max', 'noa', 'ola'].map((h) => someone(t, h)));
    // Three join at the very same moment, two later, one under a pseudonym.
    for (const [i, who] of [ada, bo, mo, ...more].entries()) {
      if (i === 3 || i === 6) tick();
      const res = await who.client.post(`/api/v1/groups/${g.id}/join`, {
        agreementVersion: 1,
        ...(who === bo ? { pseudonym: 'Hazel' } : {}),
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const all = membersResponseSchema.parse(
      (await ada.client.get(`/api/v1/groups/${g.id}/members`)).json(),
    );
    expect(all.members).toHaveLength(9);
    expect(all.nextCursor).toBeNull();
    for (const limit of [1, 2, 4]) {
      const seen: unknown[] = [];
      let cursor: string | null = null;
      do {
        const res = await ada.client.get(
          `/api/v1/groups/${g.id}/members?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        const page = membersResponseSchema.parse(res.json());
        expect(page.members.length).toBeLessThanOrEqual(limit);
        seen.push(...page.members);
        cursor = page.nextCursor;
        if (cursor !== null) {
          const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
          for (const who of [fay, ada, bo, mo, ...more])
            expect(decoded).not.toContain(who.accountId);
        }
      } while (cursor !== null);
      expect(seen).toEqual(all.members);
    }
    for (const bad of ['?cursor=bm9wZQ', '?limit=0', '?limit=201', '?cursor=WyJ4IiwtMV0']) {
      const res = await ada.client.get(`/api/v1/groups/${g.id}/members${bad}`);
      expect(res.statusCode, bad).toBe(400);
    }
  });

  it('agreements: a new version must be accepted again; a stale one is refused', async () => {
    const g = await createGroup(fay);
    await join(ada, g);
    tick();
    const v2 = await fay.client.post(`/api/v1/groups/${g.id}/agreements`, {
      text: 'Version two: confidentiality, and crisis is handled by asking what you need.',
    });
    expect(v2.statusCode, v2.body).toBe(201);
    expect(v2.json()).toMatchObject({
      agreement: { version: 2 },
      membership: { agreementVersion: 2, needsAgreement: false },
    });
    expect((await pageOf(ada, g.id)).membership).toMatchObject({
      agreementVersion: 1,
      needsAgreement: true,
    });
    const mine = myGroupsResponseSchema.parse((await ada.client.get('/api/v1/groups/mine')).json());
    expect(mine.groups[0]?.membership.needsAgreement).toBe(true);

    // Joining or accepting with the version read before the change is stale.
    const stale = await bo.client.post(`/api/v1/groups/${g.id}/join`, { agreementVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'stale_agreement' } });
    const staleAccept = await ada.client.post(`/api/v1/groups/${g.id}/agreement/accept`, {
      agreementVersion: 1,
    });
    expect(staleAccept.json()).toMatchObject({ error: { code: 'stale_agreement' } });
    const future = await ada.client.post(`/api/v1/groups/${g.id}/agreement/accept`, {
      agreementVersion: 3,
    });
    expect(future.json()).toMatchObject({ error: { code: 'stale_agreement' } });
    const accepted = await ada.client.post(`/api/v1/groups/${g.id}/agreement/accept`, {
      agreementVersion: 2,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      membership: { agreementVersion: 2, needsAgreement: false },
    });
    // A visitor cannot accept (not a member), nor can a member publish.
    expect(
      (await bo.client.post(`/api/v1/groups/${g.id}/agreement/accept`, { agreementVersion: 2 }))
        .statusCode,
    ).toBe(403);
    expect(
      (await ada.client.post(`/api/v1/groups/${g.id}/agreements`, { text: 'mine now' })).statusCode,
    ).toBe(403);

    const history = agreementsResponseSchema.parse(
      (await bo.client.get(`/api/v1/groups/${g.id}/agreements`)).json(),
    );
    expect(history.agreements.map((a) => a.version)).toEqual([2, 1]);
    await join(bo, g, 2);
  });

  it('join requests: answers, facilitators approve or decline, events, blocks', async () => {
    const g = await createGroup(fay, {
      visibility: 'request',
      joinQuestions: ['What brings you here?', 'How did you hear of us?'],
    });
    await inviteAndAccept(fay, mo, g);
    await setRole(fay, g, mo, 'facilitator');
    await join(bo, await createGroup(ada)); // unrelated

    const direct = await ada.client.post(`/api/v1/groups/${g.id}/join`, { agreementVersion: 1 });
    expect(direct.statusCode).toBe(409);
    expect(direct.json()).toMatchObject({ error: { code: 'join_mode_mismatch' } });
    const before = await footprint(t);
    const wrongCount = await ada.client.post(`/api/v1/groups/${g.id}/requests`, {
      id: generateId(),
      agreementVersion: 1,
      answers: ['only one'],
    });
    expect(wrongCount.statusCode).toBe(400);
    expect(wrongCount.json()).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await footprint(t)).toEqual(before);

    const id = generateId();
    const asked = await ada.client.post(`/api/v1/groups/${g.id}/requests`, {
      id,
      agreementVersion: 1,
      answers: ['Voices since I was twelve', 'A friend'],
      pseudonym: 'Fern',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    expect(joinRequestWireSchema.parse(asked.json())).toMatchObject({
      id,
      status: 'pending',
      questions: ['What brings you here?', 'How did you hear of us?'],
      answers: ['Voices since I was twelve', 'A friend'],
      account: { accountId: ada.accountId, handle: 'ada' },
    });
    const twice = await ada.client.post(`/api/v1/groups/${g.id}/requests`, {
      id: generateId(),
      agreementVersion: 1,
      answers: ['a', 'b'],
    });
    expect(twice.json()).toMatchObject({ error: { code: 'conflict' } });
    // The pseudonym is held for the request.
    const held = await bo.client.post(`/api/v1/groups/${g.id}/requests`, {
      id: generateId(),
      agreementVersion: 1,
      answers: ['a', 'b'],
      pseudonym: 'fern',
    });
    expect(held.json()).toMatchObject({ error: { code: 'pseudonym_taken' } });
    expect((await pageOf(ada, g.id)).myRequest).toMatchObject({ id, status: 'pending' });

    const requestEvent = { type: 'group.request.changed', data: { groupId: g.id, requestId: id } };
    expect((await eventsOf(t, fay)).at(-1)).toEqual(requestEvent);
    expect((await eventsOf(t, mo)).at(-1)).toEqual(requestEvent);
    expect(await eventsOf(t, ada)).toEqual([requestEvent]);

    tick();
    // Bo asks too; Mo blocked Bo, so Bo's request disappears for Mo (not for Fay).
    const boId = generateId();
    expect(
      (
        await bo.client.post(`/api/v1/groups/${g.id}/requests`, {
          id: boId,
          agreementVersion: 1,
          answers: ['a', 'b'],
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await mo.client.post('/api/v1/circles/blocks', { accountId: bo.accountId })).statusCode,
    ).toBe(201);
    const listed = async (who: Someone) =>
      joinRequestsResponseSchema
        .parse((await who.client.get(`/api/v1/groups/${g.id}/requests`)).json())
        .requests.map((r) => r.account.handle);
    expect(await listed(fay)).toEqual(['ada', 'bob']);
    expect(await listed(mo)).toEqual(['ada']);

    // Only facilitators decide; a request of another group is not found here.
    expect(
      (await ada.client.post(`/api/v1/groups/${g.id}/requests/${id}/decision`, { approve: true }))
        .statusCode,
    ).toBe(403);
    const approved = await mo.client.post(`/api/v1/groups/${g.id}/requests/${id}/decision`, {
      approve: true,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decidedAt: clock.toISOString() });
    expect((await pageOf(ada, g.id)).membership).toMatchObject({
      role: 'member',
      pseudonym: 'Fern',
      needsAgreement: false,
    });
    expect(await eventsOf(t, ada)).toEqual([
      requestEvent,
      requestEvent,
      { type: 'group.membership.changed', data: { groupId: g.id } },
    ]);
    const decidedTwice = await fay.client.post(`/api/v1/groups/${g.id}/requests/${id}/decision`, {
      approve: false,
    });
    expect(decidedTwice.statusCode).toBe(409);
    expect(decidedTwice.json()).toMatchObject({ error: { code: 'request_closed' } });

    const declined = await fay.client.post(`/api/v1/groups/${g.id}/requests/${boId}/decision`, {
      approve: false,
    });
    expect(declined.json()).toMatchObject({ status: 'declined' });
    expect((await pageOf(bo, g.id)).membership).toBeNull();
    expect((await pageOf(bo, g.id)).myRequest).toMatchObject({ status: 'declined' });

    // Bo asks again and withdraws; only Bo can withdraw it.
    const again = generateId();
    await bo.client.post(`/api/v1/groups/${g.id}/requests`, {
      id: again,
      agreementVersion: 1,
      answers: ['a', 'b'],
    });
    expect((await fay.client.delete(`/api/v1/groups/${g.id}/requests/${again}`)).statusCode).toBe(
      404,
    );
    const withdrawn = await bo.client.delete(`/api/v1/groups/${g.id}/requests/${again}`);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn' });
    expect((await bo.client.delete(`/api/v1/groups/${g.id}/requests/${again}`)).statusCode).toBe(
      409,
    );
  });

  it('a request made before the agreement changed joins needing the new agreement', async () => {
    const g = await createGroup(fay, { visibility: 'request' });
    const id = generateId();
    await ada.client.post(`/api/v1/groups/${g.id}/requests`, {
      id,
      agreementVersion: 1,
      answers: [],
    });
    await fay.client.post(`/api/v1/groups/${g.id}/agreements`, { text: 'Version two.' });
    await fay.client.post(`/api/v1/groups/${g.id}/requests/${id}/decision`, { approve: true });
    expect((await pageOf(ada, g.id)).membership).toMatchObject({
      agreementVersion: 1,
      needsAgreement: true,
    });
  });

  it('invite-only: hidden from outsiders, reached by handle or by link', async () => {
    const g = await createGroup(fay, {
      visibility: 'invite',
      name: 'Alternatives to Suicide, closed circle',
      description: 'A closed group that meets on quince evenings.',
    });
    // An outsider: the same 404 as an unknown id, never listed, never found.
    const hidden = await ada.client.get(`/api/v1/groups/${g.id}`);
    const unknown = await ada.client.get(`/api/v1/groups/${generateId()}`);
    expect(hidden.statusCode).toBe(404);
    const strip = (b: string) => ({ ...(JSON.parse(b) as { error: object }).error, requestId: '' });
    expect(strip(hidden.body)).toEqual(strip(unknown.body));
    const hiddenSlug = await ada.client.get(`/api/v1/groups/by-slug/${g.slug}`);
    expect(strip(hiddenSlug.body)).toEqual(strip(unknown.body));
    expect(hiddenSlug.statusCode).toBe(404);
    expect(await names(ada)).toEqual([]);
    expect(await names(ada, '?q=quince')).toEqual([]);
    expect(
      (await ada.client.post(`/api/v1/groups/${g.id}/join`, { agreementVersion: 1 })).statusCode,
    ).toBe(404);

    // By handle: unknown handle and a blocked person read the same.
    const nobody = await fay.client.post(`/api/v1/groups/${g.id}/invitations`, {
      id: generateId(),
      handle: 'nobody',
    });
    expect(nobody.statusCode).toBe(404);
    await bo.client.post('/api/v1/circles/blocks', { accountId: fay.accountId });
    const blocked = await fay.client.post(`/api/v1/groups/${g.id}/invitations`, {
      id: generateId(),
      handle: 'bob',
    });
    expect(blocked.statusCode).toBe(404);

    const invId = generateId();
    const sent = await fay.client.post(`/api/v1/groups/${g.id}/invitations`, {
      id: invId,
      handle: 'ADA',
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(groupInvitationSchema.parse(sent.json())).toMatchObject({
      kind: 'handle',
      status: 'pending',
      invitee: { accountId: ada.accountId, handle: 'ada' },
    });
    expect(await eventsOf(t, ada)).toEqual([
      { type: 'group.invitation.changed', data: { groupId: g.id, invitationId: invId } },
    ]);
    // Invited: Ada sees the page and the invitation (still not listed in browsing).
    expect((await pageOf(ada, g.id)).myInvitationId).toBe(invId);
    const mine = myGroupsResponseSchema.parse((await ada.client.get('/api/v1/groups/mine')).json());
    expect(mine.invitations.map((i) => i.id)).toEqual([invId]);
    expect(await names(ada, '?q=quince')).toEqual([]);
    // Only Ada answers it; stale agreement refused and the invitation stays open.
    expect(
      (
        await mo.client.post(`/api/v1/groups/invitations/${invId}/answer`, {
          accept: true,
          agreementVersion: 1,
        })
      ).statusCode,
    ).toBe(404);
    const stale = await ada.client.post(`/api/v1/groups/invitations/${invId}/answer`, {
      accept: true,
      agreementVersion: 7,
    });
    expect(stale.json()).toMatchObject({ error: { code: 'stale_agreement' } });
    const accepted = await ada.client.post(`/api/v1/groups/invitations/${invId}/answer`, {
      accept: true,
      agreementVersion: 1,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted' });
    expect((await pageOf(ada, g.id)).membership?.role).toBe('member');
    expect(await names(ada, '?q=quince')).toEqual([g.name]);
    const closed = await ada.client.post(`/api/v1/groups/invitations/${invId}/answer`, {
      accept: false,
    });
    expect(closed.json()).toMatchObject({ error: { code: 'invitation_closed' } });

    // By link: several people may use it until it is withdrawn or expires.
    tick();
    const link = linkBody();
    const made = await fay.client.post(`/api/v1/groups/${g.id}/invitations`, {
      ...link.body,
      expiresInHours: 2,
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ kind: 'link', invitee: null });
    const read = await mo.client.get(`/api/v1/groups/links/${link.token}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.headers['cache-control']).toBe('no-store');
    expect(groupLinkSchema.parse(read.json())).toMatchObject({
      invitationId: link.body.id,
      group: { id: g.id, name: g.name },
      agreement: { version: 1 },
    });
    const viaLink = await mo.client.post(`/api/v1/groups/links/${link.token}/join`, {
      agreementVersion: 1,
    });
    expect(viaLink.statusCode, viaLink.body).toBe(200);
    expect(viaLink.json()).toMatchObject({ membership: { role: 'member' } });
    const list = await fay.client.get(`/api/v1/groups/${g.id}/invitations`);
    expect(list.json()).toMatchObject({
      invitations: [{ id: link.body.id, uses: 1 }, { id: invId }],
    });
    expect(
      (
        await mo.client.post(`/api/v1/groups/links/${link.token}/join`, { agreementVersion: 1 })
      ).json(),
    ).toMatchObject({ error: { code: 'already_in_group' } });
    expect((await ada.client.get(`/api/v1/groups/links/${'x'.repeat(43)}`)).statusCode).toBe(404);

    // Withdrawn (only by a facilitator) or expired: gone.
    expect(
      (await mo.client.delete(`/api/v1/groups/${g.id}/invitations/${link.body.id}`)).statusCode,
    ).toBe(403);
    const withdrawn = await fay.client.delete(`/api/v1/groups/${g.id}/invitations/${link.body.id}`);
    expect(withdrawn.json()).toMatchObject({ status: 'cancelled' });
    const gone = await bo.client.get(`/api/v1/groups/links/${link.token}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ error: { code: 'link_gone' } });
    const expiring = linkBody();
    await fay.client.post(`/api/v1/groups/${g.id}/invitations`, {
      ...expiring.body,
      expiresInHours: 1,
    });
    clock = new Date(clock.getTime() + 3_600_000);
    const expired = await bo.client.post(`/api/v1/groups/links/${expiring.token}/join`, {
      agreementVersion: 1,
    });
    expect(expired.statusCode).toBe(410);
  });

  describe('search', () => {
    beforeEach(async () => {
      await createGroup(fay, {
        name: 'Hearing Voices Leeds',
        description: 'We meet to talk about voices, visions and unusual beliefs.',
        topics: ['hearing voices'],
        languages: ['en'],
        format: 'in-person',
        area: 'Leeds, West Yorkshire',
      });
      tick();
      await createGroup(fay, {
        name: 'Grupo de duelo',
        description: 'Acompañamiento entre pares después de una pérdida. Compartimos el café.',
        topics: ['grief'],
        languages: ['es'],
        format: 'online',
        area: null,
      });
      tick();
      await createGroup(fay, {
        name: 'Grief and loss, evenings',
        description: 'Peer support after a death or any loss.',
        topics: ['grief', 'loss'],
        languages: ['en', 'cy'],
        format: 'both',
        area: 'Cardiff',
      });
      tick();
      await createGroup(fay, {
        visibility: 'request',
        name: 'Recovery circle',
        description: 'Mutual aid for recovery from psychiatric drugs.',
        topics: ['withdrawal'],
        languages: ['en'],
        format: 'online',
      });
      tick();
      await createGroup(mo, {
        visibility: 'invite',
        name: 'Closed grief circle',
        description: 'Zanzibar is our secret word, known only to members.',
        topics: ['grief'],
        languages: ['en'],
        format: 'online',
        area: 'Leeds',
      });
    });

    it('matches words by prefix over name, description, topics and area, newest first', async () => {
      expect(await names(ada, '?q=voices')).toEqual(['Hearing Voices Leeds']);
      expect(await names(ada, '?q=VIS')).toEqual(['Hearing Voices Leeds']); // prefix, any case
      expect(await names(ada, '?q=grief')).toEqual(['Grief and loss, evenings', 'Grupo de duelo']);
      expect(await names(ada, '?q=grief%20death')).toEqual(['Grief and loss, evenings']);
      expect(await names(ada, '?q=p%C3%A9rdida')).toEqual(['Grupo de duelo']); // "pérdida"
      expect(await names(ada, '?q=yorkshire')).toEqual(['Hearing Voices Leeds']);
      expect(await names(ada, '?q=withdrawal')).toEqual(['Recovery circle']); // a topic only
      expect(await names(ada, '?q=nothing-like-this')).toEqual([]);
      // Punctuation and FTS syntax are only separators, never operators.
      expect(await names(ada, `?q=${encodeURIComponent('"voices* ^ (')}`)).toEqual([
        'Hearing Voices Leeds',
      ]);
      expect(await names(ada, `?q=${encodeURIComponent('!!!')}`)).toHaveLength(4);
    });

    it('filters by topic, language, format and area, alone or together with words', async () => {
      expect(await names(ada, '?topic=Grief')).toEqual([
        'Grief and loss, evenings',
        'Grupo de duelo',
      ]);
      expect(await names(ada, '?language=es')).toEqual(['Grupo de duelo']);
      expect(await names(ada, '?language=CY')).toEqual(['Grief and loss, evenings']);
      expect(await names(ada, '?format=in-person')).toEqual([
        'Grief and loss, evenings',
        'Hearing Voices Leeds',
      ]);
      expect(await names(ada, '?format=both')).toEqual(['Grief and loss, evenings']);
      expect(await names(ada, '?area=leeds')).toEqual(['Hearing Voices Leeds']);
      // "Leeds" in the name of nothing else; the area filter looks at the area only.
      expect(await names(ada, '?area=voices')).toEqual([]);
      expect(await names(ada, '?topic=grief&format=online&q=caf')).toEqual(['Grupo de duelo']);
      expect(await names(ada, '?topic=grief&language=en&q=evenings')).toEqual([
        'Grief and loss, evenings',
      ]);
    });

    it('never returns an invite-only group to someone outside it', async () => {
      // Its words, topic, area and filters all find nothing for an outsider…
      for (const query of [
        '?q=zanzibar',
        '?q=closed',
        '?topic=grief&q=circle',
        '?area=leeds&q=secret',
      ]) {
        expect((await browse(ada, query)).groups.map((g) => g.visibility)).not.toContain('invite');
      }
      expect(await names(ada, '?q=zanzibar')).toEqual([]);
      // …and the same searches find it for its member.
      expect(await names(mo, '?q=zanzibar')).toEqual(['Closed grief circle']);
      expect(await names(mo, '?topic=grief')).toContain('Closed grief circle');
    });

    it('pages with a cursor, and refuses a cursor it did not make', async () => {
      const first = await browse(ada, '?limit=2');
      expect(first.groups.map((g) => g.name)).toEqual([
        'Recovery circle',
        'Grief and loss, evenings',
      ]);
      expect(first.nextCursor).not.toBeNull();
      const second = await browse(ada, `?limit=2&cursor=${first.nextCursor}`);
      expect(second.groups.map((g) => g.name)).toEqual(['Grupo de duelo', 'Hearing Voices Leeds']);
      expect(second.nextCursor).toBeNull();
      for (const bad of ['?cursor=bm9wZQ', '?limit=0', '?limit=51', '?format=sometimes', '?x=1']) {
        const res = await ada.client.get(`/api/v1/groups${bad}`);
        expect(res.statusCode, bad).toBe(400);
        expect(res.json()).toMatchObject({ error: { code: 'invalid_input' } });
      }
    });
  });

  it('refuses bad input with a code and writes nothing', async () => {
    const g = await createGroup(fay, { visibility: 'request', joinQuestions: ['Why?'] });
    const before = await footprint(t);
    const cases: ['GET' | 'POST' | 'PUT' | 'PATCH', string, unknown][] = [
      ['POST', '/api/v1/groups', { ...groupBody(), name: '' }],
      ['POST', '/api/v1/groups', { ...groupBody(), name: 'x'.repeat(121) }],
      ['POST', '/api/v1/groups', { ...groupBody(), slug: 'No Spaces' }],
      ['POST', '/api/v1/groups', { ...groupBody(), languages: [] }],
      ['POST', '/api/v1/groups', { ...groupBody(), languages: ['english!'] }],
      ['POST', '/api/v1/groups', { ...groupBody(), topics: ['a', 'A'] }],
      ['POST', '/api/v1/groups', { ...groupBody(), visibility: 'secret' }],
      ['POST', '/api/v1/groups', { ...groupBody(), format: 'sometimes' }],
      ['POST', '/api/v1/groups', { ...groupBody(), joinQuestions: Array(6).fill('q') }],
      ['POST', '/api/v1/groups', { ...groupBody(), agreement: '   ' }],
      ['POST', '/api/v1/groups', { ...groupBody(), description: 'bell\u0007' }],
      ['POST', '/api/v1/groups', { ...groupBody(), extra: true }],
      ['POST', '/api/v1/groups', 'not json at all'],
      ['PATCH', `/api/v1/groups/${g.id}`, {}],
      ['PATCH', `/api/v1/groups/${g.id}`, { archived: true }],
      ['POST', `/api/v1/groups/${g.id}/agreements`, { text: '' }],
      [
        'POST',
        `/api/v1/groups/${g.id}/requests`,
        { id: generateId(), agreementVersion: 0, answers: ['x'] },
      ],
      [
        'POST',
        `/api/v1/groups/${g.id}/requests`,
        { id: 'bad id!', agreementVersion: 1, answers: ['x'] },
      ],
      ['POST', `/api/v1/groups/${g.id}/invitations`, { id: generateId() }],
      ['POST', `/api/v1/groups/${g.id}/invitations`, { ...linkBody().body, handle: 'ada' }],
      ['PUT', `/api/v1/groups/${g.id}/members/${ada.accountId}/role`, { role: 'admin' }],
      ['POST', `/api/v1/groups/${g.id}/invitations`, { id: generateId(), handle: 'a\u0000da' }],
      ['POST', `/api/v1/groups/${g.id}/join`, { agreementVersion: 1, pseudonym: 'nul\u0000' }],
      ['GET', `/api/v1/groups?topic=${encodeURIComponent('nul\u0000')}`, undefined],
      ['POST', `/api/v1/groups/invitations/${generateId()}/answer`, { accept: true }],
      ['GET', '/api/v1/groups/bad%20id!', undefined],
    ];
    for (const [method, url, body] of cases) {
      const res = await fay.client.send(method, url, body === undefined ? {} : { body });
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(
        400,
      );
      expect(res.statusCode, res.body).toBeLessThan(500);
      expect(res.json<{ error: { code: string } }>().error.code).toMatch(
        /^(invalid_input|malformed_json|unsupported_media_type)$/,
      );
    }
    expect(await footprint(t)).toEqual(before);

    const dup = await fay.client.post('/api/v1/groups', groupBody({ id: g.id }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: { code: 'conflict' } });
    const slug = await fay.client.post('/api/v1/groups', groupBody({ slug: g.slug }));
    expect(slug.json()).toMatchObject({ error: { code: 'slug_taken' } });
    expect(await footprint(t)).toEqual(before);
  });

  it('parallel requests: one slug, one group; the daily allowance holds', async () => {
    const same = await Promise.all(
      [fay, ada, bo, mo].map((who) =>
        who.client.post('/api/v1/groups', groupBody({ slug: 'one-slug' })),
      ),
    );
    expect(same.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    for (const r of same.filter((x) => x.statusCode === 409)) {
      expect(r.json()).toMatchObject({ error: { code: 'slug_taken' } });
    }
    const eve = await someone(t, 'eve');
    await eve.client.csrfToken(); // one token for all eight (as one browser tab has)
    const many = await Promise.all(
      Array.from({ length: 8 }, () => eve.client.post('/api/v1/groups', groupBody())),
    );
    expect(many.map((r) => r.statusCode).sort()).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
  });

  it('limits join attempts to 30 a minute per account', async () => {
    const g = await createGroup(fay);
    for (let i = 0; i < 30; i++) {
      const res = await ada.client.post(`/api/v1/groups/${g.id}/join`, { agreementVersion: 1 });
      expect(res.statusCode).toBe(i === 0 ? 200 : 409);
    }
    const limited = await ada.client.post(`/api/v1/groups/${g.id}/join`, { agreementVersion: 1 });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // Another account has its own allowance.
    expect(
      (await bo.client.post(`/api/v1/groups/${g.id}/join`, { agreementVersion: 1 })).statusCode,
    ).toBe(200);
  });

  it('allows 5 new groups a day per account, then 429 until a day has passed', async () => {
    for (let i = 0; i < 4; i++) await createGroup(fay);
    await createGroup(fay);
    const before = await footprint(t);
    const limited = await fay.client.post('/api/v1/groups', groupBody());
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(limited.headers['retry-after']).toBe('3600');
    expect(await footprint(t)).toEqual(before);
    await createGroup(ada);
    clock = new Date(clock.getTime() + 24 * 3_600_000 + 1);
    await createGroup(fay);
  });
});
