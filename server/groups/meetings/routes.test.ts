import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createdFeedSchema,
  meetingSeriesSchema,
  occurrenceSchema,
  occurrencesResponseSchema,
  type OccurrenceWire,
} from '../../../core/src/groups/meetings-api.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { TestClient } from '../../test-support/client.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { createGroup, eventsOf, join, someone, type Someone } from '../test-fixtures.js';
import { meetingBody, meetingFootprint } from './test-fixtures.js';

/** RFC 5545 unfolding (a CRLF followed by one space or tab continues the line). */
/** The feed as an independent parser (ical.js, used by calendar apps) reads it. */
function readWithIcalJs(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  return calendar.getAllSubcomponents('vevent').map((v) => {
    const event = new ICAL.Event(v);
    return {
      uid: event.uid,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      status: String(v.getFirstPropertyValue('status')),
      hasLink: v.getFirstPropertyValue('url') !== null,
    };
  });
}

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const vevents = (ics: string) =>
  unfold(ics)
    .split('BEGIN:VEVENT\r\n')
    .slice(1)
    .map((e) => e.split('END:VEVENT')[0]!);
const prop = (event: string, name: string) =>
  event
    .split('\r\n')
    .find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`))
    ?.replace(/^[^:]*:/, '');

describeEachEngine('group meetings', (engine) => {
  let t: TestApp;
  let clock: Date;
  let fay: Someone, ada: Someone, bo: Someone, vi: Someone;

  beforeEach(async () => {
    clock = new Date();
    t = await createTestApp(engine, { now: () => clock, env: { NOTIFY_WORKER: 'false' } });
    fay = await someone(t, 'fay');
    ada = await someone(t, 'ada');
    bo = await someone(t, 'bo');
    vi = await someone(t, 'vi');
  });
  afterEach(async () => t.close());

  /** Fay's public group with Ada and Bo as members. */
  async function groupWithMembers(over: Record<string, unknown> = {}) {
    const g = await createGroup(fay, over);
    if ((over.visibility ?? 'public') === 'public') {
      await join(ada, g);
      await join(bo, g);
    }
    return g;
  }

  async function schedule(groupId: string, over: Record<string, unknown> = {}) {
    const res = await fay.client.post(`/api/v1/groups/${groupId}/meetings`, meetingBody(over));
    expect(res.statusCode, res.body).toBe(201);
    return meetingSeriesSchema.parse(res.json());
  }

  async function list(who: Someone, path: string) {
    const res = await who.client.get(path);
    expect(res.statusCode, res.body).toBe(200);
    return occurrencesResponseSchema.parse(res.json()).occurrences;
  }

  async function answer(who: Someone, groupId: string, meetingId: string, body: object) {
    return who.client.put(`/api/v1/groups/${groupId}/meetings/${meetingId}/rsvp`, {
      occurrenceId: null,
      reminderMinutes: null,
      ...body,
    });
  }

  const window = '?from=2027-03-10T00:00:00.000Z&to=2027-04-10T00:00:00.000Z';

  it('keeps 19:00 London time across the March change of clocks (and 19:00 New York time)', async () => {
    const g = await groupWithMembers();
    const london = await schedule(g.id, { start: '2027-03-11T19:00', rrule: 'FREQ=WEEKLY' });
    const york = await schedule(g.id, {
      start: '2027-03-11T19:00',
      timeZone: 'America/New_York',
      rrule: 'FREQ=WEEKLY;BYDAY=TH',
    });
    const all = await list(ada, `/api/v1/groups/${g.id}/meetings${window}`);
    const of = (id: string) => all.filter((o) => o.meetingId === id);
    // London: GMT until 28 March 2027, then BST: 19:00 local is 19:00Z, then 18:00Z.
    expect(of(london.id).map((o) => o.start)).toEqual([
      '2027-03-11T19:00:00.000Z',
      '2027-03-18T19:00:00.000Z',
      '2027-03-25T19:00:00.000Z',
      '2027-04-01T18:00:00.000Z',
      '2027-04-08T18:00:00.000Z',
    ]);
    // New York: EST until 14 March 2027, then EDT.
    expect(of(york.id).map((o) => o.start)).toEqual([
      '2027-03-12T00:00:00.000Z',
      '2027-03-18T23:00:00.000Z',
      '2027-03-25T23:00:00.000Z',
      '2027-04-01T23:00:00.000Z',
      '2027-04-08T23:00:00.000Z',
    ]);
    for (const o of all) {
      expect(o.localStart.slice(11)).toBe('19:00');
      expect(o.timeZone).toBe(o.meetingId === london.id ? 'Europe/London' : 'America/New_York');
    }
    // In order of start, across series.
    expect(all.map((o) => o.start)).toEqual([...all.map((o) => o.start)].sort());
    // The same across all my groups.
    const mine = await list(ada, `/api/v1/meetings${window}`);
    expect(mine.map((o) => o.occurrenceId)).toEqual(all.map((o) => o.occurrenceId));
    // Not in the group: none of its meetings in my list.
    expect(await list(vi, `/api/v1/meetings${window}`)).toEqual([]);
  });

  it('cancels and moves single meetings: ids stay, RSVPs follow, everyone is told', async () => {
    const g = await groupWithMembers();
    const m = await schedule(g.id, { start: '2027-03-11T19:00', rrule: 'FREQ=WEEKLY;COUNT=4' });
    const [first, second] = await list(ada, `/api/v1/groups/${g.id}/meetings${window}`);
    const yes = await answer(ada, g.id, m.id, {
      occurrenceId: second!.occurrenceId,
      answer: 'yes',
    });
    expect(yes.statusCode, yes.body).toBe(200);

    const path = (o: OccurrenceWire) =>
      `/api/v1/groups/${g.id}/meetings/${m.id}/occurrences/${o.occurrenceId}`;
    const cancelled = await fay.client.put(path(first!), {
      cancelled: true,
      note: 'No meeting this week: the room is closed.',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const moved = await fay.client.put(path(second!), {
      start: '2027-03-19T18:30',
      durationMinutes: 60,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(occurrenceSchema.parse(moved.json())).toMatchObject({
      occurrenceId: second!.occurrenceId,
      start: '2027-03-19T18:30:00.000Z',
      moved: true,
    });

    const after = await list(ada, `/api/v1/groups/${g.id}/meetings${window}`);
    expect(after.map((o) => [o.occurrenceId, o.start, o.cancelled, o.moved, o.note])).toEqual([
      [first!.occurrenceId, first!.start, true, false, 'No meeting this week: the room is closed.'],
      [second!.occurrenceId, '2027-03-19T18:30:00.000Z', false, true, null],
      [after[2]!.occurrenceId, '2027-03-25T19:00:00.000Z', false, false, null],
      [after[3]!.occurrenceId, '2027-04-01T18:00:00.000Z', false, false, null],
    ]);
    // Ada's yes follows the moved meeting (and so does its link).
    expect(after[1]!.myRsvp).toEqual({ answer: 'yes', reminderMinutes: null, seriesWide: false });
    expect(after[1]!.onlineLink).toBe('https://meet.example.org/thursday-room');
    // A cancelled meeting cannot be answered.
    const late = await answer(bo, g.id, m.id, { occurrenceId: first!.occurrenceId, answer: 'yes' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: { code: 'meeting_cancelled' } });
    // Each change told every member (ids only).
    for (const who of [fay, ada, bo]) {
      const changes = (await eventsOf(t, who)).filter((e) => e.type === 'group.meeting.changed');
      expect(changes).toEqual(
        Array.from({ length: 3 }, () => ({
          type: 'group.meeting.changed',
          data: { groupId: g.id, meetingId: m.id },
        })),
      );
    }
    expect((await eventsOf(t, vi)).filter((e) => e.type === 'group.meeting.changed')).toEqual([]);

    // Cancelling the series lists every meeting as cancelled, with no link.
    const all = await fay.client.post(`/api/v1/groups/${g.id}/meetings/${m.id}/cancel`);
    expect(all.statusCode, all.body).toBe(200);
    const gone = await list(ada, `/api/v1/groups/${g.id}/meetings${window}`);
    expect(gone.map((o) => o.cancelled)).toEqual([true, true, true, true]);
    expect(gone.map((o) => o.onlineLink)).toEqual([null, null, null, null]);
  });

  it('refuses bad series and changes with stable codes, writing nothing', async () => {
    const g = await groupWithMembers();
    const m = await schedule(g.id, { start: '2027-03-11T19:00' });
    const [first] = await list(ada, `/api/v1/groups/${g.id}/meetings${window}`);
    const before = await meetingFootprint(t);
    const cases: [string, () => Promise<{ statusCode: number; json: () => unknown }>, string][] = [
      [
        'hourly',
        () =>
          fay.client.post(`/api/v1/groups/${g.id}/meetings`, meetingBody({ rrule: 'FREQ=HOURLY' })),
        'unsupported_frequency',
      ],
      [
        'count and until',
        () =>
          fay.client.post(
            `/api/v1/groups/${g.id}/meetings`,
            meetingBody({ rrule: 'FREQ=WEEKLY;COUNT=3;UNTIL=20270501T000000Z' }),
          ),
        'count_and_until',
      ],
      [
        'BYHOUR',
        () =>
          fay.client.post(
            `/api/v1/groups/${g.id}/meetings`,
            meetingBody({ rrule: 'FREQ=DAILY;BYHOUR=9' }),
          ),
        'unsupported_rule_part',
      ],
      [
        'not a rule',
        () =>
          fay.client.post(
            `/api/v1/groups/${g.id}/meetings`,
            meetingBody({ rrule: 'every thursday' }),
          ),
        'invalid_rrule',
      ],
      [
        'zone',
        () =>
          fay.client.post(
            `/api/v1/groups/${g.id}/meetings`,
            meetingBody({ timeZone: 'Mars/Olympus' }),
          ),
        'invalid_time_zone',
      ],
      [
        'no such day',
        () =>
          fay.client.post(
            `/api/v1/groups/${g.id}/meetings`,
            meetingBody({ start: '2027-02-30T19:00' }),
          ),
        'invalid_start',
      ],
      [
        'no place',
        () =>
          fay.client.post(
            `/api/v1/groups/${g.id}/meetings`,
            meetingBody({ format: 'in-person', place: null }),
          ),
        'invalid_input',
      ],
      [
        'http link',
        () =>
          fay.client.post(
            `/api/v1/groups/${g.id}/meetings`,
            meetingBody({ onlineLink: 'javascript:alert(1)' }),
          ),
        'invalid_input',
      ],
      [
        'unknown field',
        () => fay.client.post(`/api/v1/groups/${g.id}/meetings`, meetingBody({ extra: 1 })),
        'invalid_input',
      ],
      [
        'edit to a bad rule',
        () =>
          fay.client.send('PATCH', `/api/v1/groups/${g.id}/meetings/${m.id}`, {
            body: { rrule: 'FREQ=WEEKLY;INTERVAL=0' },
          }),
        'invalid_rule_value',
      ],
      [
        'move to no such day',
        () =>
          fay.client.put(
            `/api/v1/groups/${g.id}/meetings/${m.id}/occurrences/${first!.occurrenceId}`,
            { start: '2027-02-30T19:00' },
          ),
        'invalid_override',
      ],
      [
        'not an occurrence',
        () =>
          fay.client.put(
            `/api/v1/groups/${g.id}/meetings/${m.id}/occurrences/${m.id}.20270312T190000Z`,
            { cancelled: true },
          ),
        'not_found',
      ],
      [
        'window',
        () =>
          ada.client.get(
            `/api/v1/groups/${g.id}/meetings?from=2027-03-10T00:00:00.000Z&to=2029-03-10T00:00:00.000Z`,
          ),
        'window_too_long',
      ],
      [
        'backwards window',
        () =>
          ada.client.get(
            `/api/v1/meetings?from=2027-03-10T00:00:00.000Z&to=2027-03-09T00:00:00.000Z`,
          ),
        'invalid_window',
      ],
      ['rsvp answer', () => answer(ada, g.id, m.id, { answer: 'perhaps' }), 'invalid_input'],
      [
        'rsvp reminder',
        () => answer(ada, g.id, m.id, { answer: 'yes', reminderMinutes: -5 }),
        'invalid_input',
      ],
      [
        'rsvp unknown occurrence',
        () => answer(ada, g.id, m.id, { occurrenceId: `${m.id}.20270312T190000Z`, answer: 'yes' }),
        'not_found',
      ],
    ];
    for (const [name, send, code] of cases) {
      const res = await send();
      expect(res.statusCode, name).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, name).toBeLessThan(500);
      expect(res.json(), name).toMatchObject({ error: { code } });
    }
    expect(await meetingFootprint(t)).toEqual(before);
  });

  it('lets only members who accepted the current agreement answer', async () => {
    const g = await groupWithMembers();
    const m = await schedule(g.id);
    const v2 = await fay.client.post(`/api/v1/groups/${g.id}/agreements`, { text: 'Version two.' });
    expect(v2.statusCode, v2.body).toBe(201);
    const before = await meetingFootprint(t);
    const refused = await answer(ada, g.id, m.id, { answer: 'yes' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'agreement_needed' } });
    const outsider = await answer(vi, g.id, m.id, { answer: 'yes' });
    expect(outsider.statusCode).toBe(403);
    expect(await meetingFootprint(t)).toEqual(before);
    const accept = await ada.client.post(`/api/v1/groups/${g.id}/agreement/accept`, {
      agreementVersion: 2,
    });
    expect(accept.statusCode, accept.body).toBe(200);
    expect((await answer(ada, g.id, m.id, { answer: 'yes' })).statusCode).toBe(200);
  });

  it('shows the online link only to members whose answer for that meeting is yes', async () => {
    const g = await groupWithMembers();
    const m = await schedule(g.id, { start: '2027-03-11T19:00', rrule: 'FREQ=WEEKLY;COUNT=3' });
    const link = 'https://meet.example.org/thursday-room';
    const path = `/api/v1/groups/${g.id}/meetings${window}`;
    const [o1, o2, o3] = await list(ada, path);
    const links = async (who: Someone) => (await list(who, path)).map((o) => o.onlineLink);

    // Nobody has answered: no link for anyone, the facilitator included.
    for (const who of [fay, ada, bo]) expect(await links(who)).toEqual([null, null, null]);

    // Facilitators see the link they wrote where they edit the series, and only there.
    const series = await fay.client.get(`/api/v1/groups/${g.id}/meetings/${m.id}`);
    expect(meetingSeriesSchema.parse(series.json()).onlineLink).toBe(link);
    expect((await ada.client.get(`/api/v1/groups/${g.id}/meetings/${m.id}`)).statusCode).toBe(403);

    // Ada: yes to the first only. Bo: maybe to the first.
    const r = await answer(ada, g.id, m.id, { occurrenceId: o1!.occurrenceId, answer: 'yes' });
    expect(r.statusCode, r.body).toBe(200);
    // The answer's own response shows the link for that meeting only.
    expect(occurrencesResponseSchema.parse(r.json()).occurrences.map((o) => o.onlineLink)).toEqual([
      link,
      null,
      null,
    ]);
    await answer(bo, g.id, m.id, { occurrenceId: o1!.occurrenceId, answer: 'maybe' });
    expect(await links(ada)).toEqual([link, null, null]);
    expect(await links(bo)).toEqual([null, null, null]);
    expect(await links(fay)).toEqual([null, null, null]);

    // Bo: yes to the whole series, then no to the second: that one answer wins for it.
    await answer(bo, g.id, m.id, { answer: 'yes' });
    expect(await links(bo)).toEqual([null, link, link]); // the first keeps its own maybe
    await answer(bo, g.id, m.id, { occurrenceId: o2!.occurrenceId, answer: 'no' });
    expect(await links(bo)).toEqual([null, null, link]);
    expect((await list(bo, path)).map((o) => o.myRsvp)).toEqual([
      { answer: 'maybe', reminderMinutes: null, seriesWide: false },
      { answer: 'no', reminderMinutes: null, seriesWide: false },
      { answer: 'yes', reminderMinutes: null, seriesWide: true },
    ]);
    // Ada changes her mind: no link any more.
    await answer(ada, g.id, m.id, { occurrenceId: o1!.occurrenceId, answer: 'no' });
    expect(await links(ada)).toEqual([null, null, null]);

    // A cancelled meeting shows no link, even to a yes.
    await fay.client.put(
      `/api/v1/groups/${g.id}/meetings/${m.id}/occurrences/${o3!.occurrenceId}`,
      {
        cancelled: true,
      },
    );
    expect(await links(bo)).toEqual([null, null, null]);

    // A visitor to a public group sees titles and times only.
    const seen = await list(vi, path);
    expect(seen.map((o) => o.start)).toEqual([o1!.start, o2!.start, o3!.start]);
    for (const o of seen) {
      expect(o).toMatchObject({ visitor: true, description: null, place: null, note: null });
      expect(o.onlineLink).toBeNull();
      expect(o.myRsvp).toBeNull();
    }
    // Nobody's link appears anywhere in what a visitor or an in-person listing gets.
    expect(JSON.stringify(seen)).not.toContain('meet.example.org');
  });

  it('shows nothing of an invite-only group to someone outside it', async () => {
    const g = await createGroup(fay, { visibility: 'invite' });
    await schedule(g.id);
    const res = await vi.client.get(`/api/v1/groups/${g.id}/meetings`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    const unknown = await vi.client.get(`/api/v1/groups/NoSuchGroup123/meetings`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body.replace(/"requestId":"[^"]+"/, '')).toBe(
      res.body.replace(/"requestId":"[^"]+"/, ''),
    );
  });

  it('keeps an archived group’s meetings readable and unchangeable', async () => {
    const g = await groupWithMembers();
    const m = await schedule(g.id);
    const archived = await fay.client.post(`/api/v1/groups/${g.id}/archive`);
    expect(archived.statusCode, archived.body).toBe(200);
    const before = await meetingFootprint(t);
    for (const res of [
      await fay.client.post(`/api/v1/groups/${g.id}/meetings`, meetingBody()),
      await fay.client.post(`/api/v1/groups/${g.id}/meetings/${m.id}/cancel`),
      await answer(ada, g.id, m.id, { answer: 'yes' }),
    ]) {
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'group_archived' } });
    }
    expect(await meetingFootprint(t)).toEqual(before);
    expect((await ada.client.get(`/api/v1/groups/${g.id}/meetings`)).statusCode).toBe(200);
  });

  describe('calendar feeds', () => {
    it('serve the owner’s meetings without a session, with links only where they said yes', async () => {
      const g = await groupWithMembers({ name: 'Thursday voices' });
      const m = await schedule(g.id, { start: '2027-03-11T19:00', rrule: 'FREQ=WEEKLY;COUNT=3' });
      const [o1, o2] = await list(ada, `/api/v1/groups/${g.id}/meetings${window}`);
      await answer(ada, g.id, m.id, { occurrenceId: o1!.occurrenceId, answer: 'yes' });
      await answer(bo, g.id, m.id, { occurrenceId: o2!.occurrenceId, answer: 'yes' });
      await fay.client.put(
        `/api/v1/groups/${g.id}/meetings/${m.id}/occurrences/${o2!.occurrenceId}`,
        {
          start: '2027-03-18T20:00',
          note: 'An hour later this week.',
        },
      );

      const made = await ada.client.post('/api/v1/calendar-feeds', { groupId: g.id });
      expect(made.statusCode, made.body).toBe(201);
      const feed = createdFeedSchema.parse(made.json());
      const url = new URL(feed.url, 'http://localhost');
      expect(url.pathname).toMatch(/^\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
      // The token is not stored, and not listed again.
      const token = url.pathname.split('/').pop()!.replace('.ics', '');
      const listed = await ada.client.get('/api/v1/calendar-feeds');
      expect(listed.body).not.toContain(token);
      const stored = await t.handle.db.selectFrom('group_calendar_feeds').selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(token);

      // No cookie at all: a calendar app.
      const res = await new TestClient(t.app).get(url.pathname);
      expect(res.statusCode, res.body).toBe(200);
      // A malformed Host header does not break it (the event ids fall back to a placeholder).
      const odd = await t.app.inject({
        method: 'GET',
        url: url.pathname,
        headers: { host: 'not a host!' },
      });
      expect(odd.statusCode, odd.body).toBe(200);
      expect(odd.body).toContain('@tend.invalid');
      expect(res.headers['content-type']).toMatch(/^text\/calendar/);
      expect(res.headers['cache-control']).toMatch(/\bprivate\b/);
      const events = vevents(res.body);
      expect(events).toHaveLength(3);
      // An independent parser reads the same events, at the same instants.
      const parsed = readWithIcalJs(res.body);
      expect(parsed.map((e) => e.uid)).toEqual(events.map((e) => prop(e, 'UID')));
      expect(parsed.map((e) => [e.start, e.end, e.status, e.hasLink])).toEqual([
        [o1!.start, o1!.end, 'CONFIRMED', true],
        ['2027-03-18T20:00:00.000Z', expect.any(String), 'CONFIRMED', false],
        ['2027-03-25T19:00:00.000Z', expect.any(String), 'CONFIRMED', false],
      ]);
      expect(unfold(res.body)).toContain('X-WR-CALNAME:Thursday voices');
      expect(events.map((e) => prop(e, 'UID'))).toEqual([
        `${o1!.occurrenceId}@localhost`,
        `${o2!.occurrenceId}@localhost`,
        expect.stringMatching(new RegExp(`^${m.id}\\.`)),
      ]);
      expect(events.map((e) => prop(e, 'DTSTART'))).toEqual([
        '20270311T190000Z',
        '20270318T200000Z',
        '20270325T190000Z',
      ]);
      expect(prop(events[1]!, 'SEQUENCE')).toBe('1');
      expect(prop(events[1]!, 'DESCRIPTION')).toContain('An hour later this week.');
      // Ada said yes to the first only: its link, and no other.
      expect(prop(events[0]!, 'URL')).toBe('https://meet.example.org/thursday-room');
      expect(events.slice(1).every((e) => !e.includes('meet.example.org'))).toBe(true);

      // Bo's feed: Bo's answers, not Ada's.
      const bos = createdFeedSchema.parse(
        (await bo.client.post('/api/v1/calendar-feeds', { groupId: null })).json(),
      );
      const bosBody = (await new TestClient(t.app).get(new URL(bos.url, 'http://x').pathname)).body;
      const bosEvents = vevents(bosBody);
      expect(bosEvents.map((e) => e.includes('meet.example.org'))).toEqual([false, true, false]);
      expect(unfold(bosBody)).toContain('X-WR-CALNAME:Tend: my groups');

      // The series is cancelled: every entry says so, as a new version of itself.
      const cancel = await fay.client.post(`/api/v1/groups/${g.id}/meetings/${m.id}/cancel`);
      expect(cancel.statusCode, cancel.body).toBe(200);
      const gone = vevents((await new TestClient(t.app).get(url.pathname)).body);
      expect(gone.map((e) => [prop(e, 'STATUS'), prop(e, 'SEQUENCE')])).toEqual([
        ['CANCELLED', '1'],
        ['CANCELLED', '2'],
        ['CANCELLED', '1'],
      ]);
      expect(gone.some((e) => e.includes('meet.example.org'))).toBe(false);

      // Someone else cannot revoke Ada's feed; Ada can, and it is gone at once.
      expect((await bo.client.delete(`/api/v1/calendar-feeds/${feed.id}`)).statusCode).toBe(404);
      const revoked = await ada.client.delete(`/api/v1/calendar-feeds/${feed.id}`);
      expect(revoked.statusCode, revoked.body).toBe(200);
      const after = await new TestClient(t.app).get(url.pathname);
      expect(after.statusCode).toBe(404);
      expect(after.json()).toMatchObject({ error: { code: 'not_found' } });
      // Unknown and malformed tokens: the same 404.
      for (const p of [
        `/api/v1/calendar/${'A'.repeat(43)}.ics`,
        '/api/v1/calendar/short.ics',
        `/api/v1/calendar/${token}.txt`,
      ]) {
        const r = await new TestClient(t.app).get(p);
        expect(r.statusCode, p).toBe(404);
      }
      // The token never reaches the logs (they name the route's pattern).
      expect(t.logs()).toContain('/api/v1/calendar/:file');
      expect(t.logs()).not.toContain(token);
    });

    it('stop showing a group once its owner leaves it', async () => {
      const g = await groupWithMembers();
      await schedule(g.id);
      const feed = createdFeedSchema.parse(
        (await ada.client.post('/api/v1/calendar-feeds', { groupId: g.id })).json(),
      );
      const path = new URL(feed.url, 'http://x').pathname;
      expect(vevents((await new TestClient(t.app).get(path)).body).length).toBeGreaterThan(0);
      const left = await ada.client.delete(`/api/v1/groups/${g.id}/members/me`);
      expect(left.statusCode, left.body).toBe(204);
      const res = await new TestClient(t.app).get(path);
      expect(res.statusCode).toBe(200);
      expect(vevents(res.body)).toEqual([]);
    });

    it('are rate-limited per address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 61; i++) {
        const res = await new TestClient(t.app).get(`/api/v1/calendar/${'B'.repeat(43)}.ics`);
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 60).every((s) => s === 404)).toBe(true);
      expect(statuses[60]).toBe(429);
    });

    it('cannot be made for a group one is not in', async () => {
      const g = await groupWithMembers();
      const before = await meetingFootprint(t);
      const res = await vi.client.post('/api/v1/calendar-feeds', { groupId: g.id });
      expect(res.statusCode).toBe(403);
      expect(await meetingFootprint(t)).toEqual(before);
    });
  });
});
