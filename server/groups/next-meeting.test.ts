import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  browseResponseSchema,
  groupLinkSchema,
  groupPageSchema,
  myGroupsResponseSchema,
  type GroupPageWire,
} from '../../core/src/groups/api.js';
import { occurrencesResponseSchema } from '../../core/src/groups/meetings-api.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { meetingBody } from './meetings/test-fixtures.js';
import {
  createGroup,
  inviteAndAccept,
  join,
  linkBody,
  someone,
  type Someone,
} from './test-fixtures.js';

/**
 * Group summaries carry the next meeting (not cancelled, within NEXT_MEETING_DAYS): its start
 * instant and its series' time zone. An invite-only group's never reaches anyone outside it.
 */
describeEachEngine('groups: the next meeting in summaries', (engine) => {
  let t: TestApp;
  let clock: Date;
  let fay: Someone, ada: Someone, bo: Someone;

  beforeEach(async () => {
    // Wednesday 25 November 2026, noon in London (GMT).
    clock = new Date('2026-11-25T12:00:00.000Z');
    t = await createTestApp(engine, { now: () => clock, env: { NOTIFY_WORKER: 'false' } });
    fay = await someone(t, 'fay');
    ada = await someone(t, 'ada');
    bo = await someone(t, 'bob');
  });
  afterEach(async () => t.close());

  async function schedule(g: { id: string }, over: Record<string, unknown> = {}) {
    const body = meetingBody(over);
    const res = await fay.client.post(`/api/v1/groups/${g.id}/meetings`, body);
    expect(res.statusCode, res.body).toBe(201);
    return body.id;
  }
  const browsed = async (who: Someone) => {
    const res = await who.client.get('/api/v1/groups?limit=50');
    expect(res.statusCode, res.body).toBe(200);
    return browseResponseSchema.parse(res.json()).groups;
  };
  const pageOf = async (who: Someone, g: { id: string }) => {
    const res = await who.client.get(`/api/v1/groups/${g.id}`);
    expect(res.statusCode, res.body).toBe(200);
    return groupPageSchema.parse(res.json());
  };
  const mine = async (who: Someone) =>
    myGroupsResponseSchema.parse((await who.client.get('/api/v1/groups/mine')).json());
  const nextIn = (list: readonly { id: string; nextMeeting?: unknown }[], g: GroupPageWire) =>
    list.find((x) => x.id === g.id)?.nextMeeting;

  it('gives the soonest meeting of any series, skipping cancelled ones, within 60 days', async () => {
    const weekly = await createGroup(fay, { name: 'Weekly' });
    const none = await createGroup(fay, { name: 'No meetings' });
    const far = await createGroup(fay, { name: 'Far off' });
    const near = await createGroup(fay, { name: 'Nearly two months' });
    // Weekly on Thursdays, 19:00 in London (GMT in winter): tomorrow 19:00 UTC.
    const series = await schedule(weekly);
    // Another series, in New York, on Friday 27 November 14:00 EST (19:00 UTC).
    await schedule(weekly, {
      start: '2026-11-27T14:00',
      timeZone: 'America/New_York',
      rrule: null,
    });
    // A one-off 70 days away: beyond the 60 days a summary looks.
    await schedule(far, { start: '2027-02-03T19:00', rrule: null });
    await schedule(near, { start: '2027-01-22T19:00', rrule: null });

    let list = await browsed(ada);
    expect(nextIn(list, weekly)).toEqual({
      start: '2026-11-26T19:00:00.000Z',
      timeZone: 'Europe/London',
    });
    expect(nextIn(list, none)).toBeNull();
    expect(nextIn(list, far)).toBeNull();
    expect((await pageOf(ada, weekly)).nextMeeting).toEqual(nextIn(list, weekly));

    // Thursday's meeting is cancelled: the next is Friday's in New York.
    const occurrences = occurrencesResponseSchema.parse(
      (
        await fay.client.get(
          `/api/v1/groups/${weekly.id}/meetings?from=2026-11-25T00:00:00.000Z&to=2026-11-30T00:00:00.000Z`,
        )
      ).json(),
    ).occurrences;
    const thursday = occurrences.find((o) => o.meetingId === series)!;
    const cancelled = await fay.client.put(
      `/api/v1/groups/${weekly.id}/meetings/${series}/occurrences/${thursday.occurrenceId}`,
      { cancelled: true },
    );
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    list = await browsed(ada);
    expect(nextIn(list, weekly)).toEqual({
      start: '2026-11-27T19:00:00.000Z',
      timeZone: 'America/New_York',
    });

    // Once Friday's has started, the weekly series gives the Thursday after (3 December).
    clock = new Date('2026-11-27T19:30:00.000Z');
    list = await browsed(ada);
    expect(nextIn(list, weekly)).toEqual({
      start: '2026-12-03T19:00:00.000Z',
      timeZone: 'Europe/London',
    });
    // Cancelling the whole series leaves nothing within 60 days.
    const all = await fay.client.post(`/api/v1/groups/${weekly.id}/meetings/${series}/cancel`);
    expect(all.statusCode, all.body).toBe(200);
    expect(nextIn(await browsed(ada), weekly)).toBeNull();
    // A one-off 58 days from the start is still within the 60 days.
    expect(nextIn(await browsed(ada), near)).toEqual({
      start: '2027-01-22T19:00:00.000Z',
      timeZone: 'Europe/London',
    });
  });

  it('shows it in my groups and to someone asking to join, but an invite-only group only to its members', async () => {
    const byRequest = await createGroup(fay, { visibility: 'request' });
    const hidden = await createGroup(fay, { visibility: 'invite' });
    await schedule(byRequest);
    await schedule(hidden);
    const expected = { start: '2026-11-26T19:00:00.000Z', timeZone: 'Europe/London' };

    // Someone asking to join a by-request group sees its meeting times.
    const asked = await ada.client.post(`/api/v1/groups/${byRequest.id}/requests`, {
      id: 'request-of-ada-0001',
      agreementVersion: 1,
      answers: [],
    });
    expect(asked.statusCode, asked.body).toBe(201);
    expect((await mine(ada)).requests[0]!.group.nextMeeting).toEqual(expected);
    expect((await pageOf(ada, byRequest)).nextMeeting).toEqual(expected);

    // Invited by handle: the invitation and the page show the group, never its meeting.
    const invited = await fay.client.post(`/api/v1/groups/${hidden.id}/invitations`, {
      id: 'invitation-of-ada-01',
      handle: 'ada',
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const invitation = (await mine(ada)).invitations[0]!;
    expect(invitation.group.id).toBe(hidden.id);
    expect(invitation.group.nextMeeting).toBeNull();
    expect((await pageOf(ada, hidden)).nextMeeting).toBeNull();
    // Nor to a link holder.
    const { token, body } = linkBody();
    expect(
      (await fay.client.post(`/api/v1/groups/${hidden.id}/invitations`, body)).statusCode,
    ).toBe(201);
    const link = await bo.client.get(`/api/v1/groups/links/${token}`);
    expect(link.statusCode, link.body).toBe(200);
    expect(groupLinkSchema.parse(link.json()).group.nextMeeting).toBeNull();
    expect(JSON.stringify(link.json())).not.toContain('2026-11-26');
    // Nor in browsing (the group is not listed to outsiders at all).
    expect(nextIn(await browsed(bo), hidden)).toBeUndefined();

    // Members see it everywhere.
    await inviteAndAccept(fay, bo, hidden);
    expect((await mine(bo)).groups.find((g) => g.id === hidden.id)?.nextMeeting).toEqual(expected);
    expect(nextIn(await browsed(bo), hidden)).toEqual(expected);
    expect((await pageOf(bo, hidden)).nextMeeting).toEqual(expected);
    expect((await pageOf(fay, hidden)).nextMeeting).toEqual(expected);
    // And a public group's members too.
    const open = await createGroup(fay);
    await schedule(open);
    await join(ada, open);
    expect((await mine(ada)).groups.find((g) => g.id === open.id)?.nextMeeting).toEqual(expected);
  });
});
