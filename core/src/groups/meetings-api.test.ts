import { describe, expect, it } from 'vitest';
import {
  changeOccurrenceSchema,
  createMeetingSchema,
  feedFileParamsSchema,
  occurrenceIdSchema,
  rsvpSchema,
  updateMeetingSchema,
  windowQuerySchema,
} from './meetings-api.js';

const online = {
  id: 'm1',
  title: 'Thursday evening group',
  description: '',
  format: 'online',
  place: null,
  onlineLink: 'https://meet.example.org/room',
  start: '2027-03-11T19:00',
  timeZone: 'Europe/London',
  durationMinutes: 90,
  rrule: 'FREQ=WEEKLY',
};

describe('meetings contract', () => {
  it('needs a link for an online meeting and a place for an in-person one', () => {
    expect(createMeetingSchema.safeParse(online).success).toBe(true);
    expect(createMeetingSchema.safeParse({ ...online, onlineLink: null }).success).toBe(false);
    const inPerson = { ...online, format: 'in-person', onlineLink: null };
    expect(createMeetingSchema.safeParse(inPerson).success).toBe(false);
    expect(
      createMeetingSchema.safeParse({ ...inPerson, place: 'The library, room 2' }).success,
    ).toBe(true);
  });

  it('takes only https links to real hosts', () => {
    for (const onlineLink of [
      'http://meet.example.org/room',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'https://',
      `https://example.org/${'a'.repeat(2100)}`,
    ]) {
      expect(createMeetingSchema.safeParse({ ...online, onlineLink }).success, onlineLink).toBe(
        false,
      );
    }
  });

  it('refuses control characters, unknown fields, wrong shapes and out-of-range lengths', () => {
    for (const bad of [
      { title: 'Tea\u0000time' },
      { title: '   ' },
      { extra: true },
      { start: '2027-03-11 19:00' },
      { start: '2027-03-11T19:00:00' },
      { durationMinutes: 0 },
      { durationMinutes: 24 * 60 + 1 },
      { durationMinutes: 1.5 },
      { rrule: '' },
    ]) {
      expect(
        createMeetingSchema.safeParse({ ...online, ...bad }).success,
        JSON.stringify(bad),
      ).toBe(false);
    }
  });

  it('asks an edit or a change to change something', () => {
    expect(updateMeetingSchema.safeParse({}).success).toBe(false);
    expect(updateMeetingSchema.safeParse({ title: 'New' }).success).toBe(true);
    expect(changeOccurrenceSchema.safeParse({}).success).toBe(false);
    expect(changeOccurrenceSchema.safeParse({ cancelled: true }).success).toBe(true);
    expect(changeOccurrenceSchema.safeParse({ start: '2027-03-12T18:00' }).success).toBe(true);
    expect(changeOccurrenceSchema.safeParse({ start: 'tomorrow' }).success).toBe(false);
  });

  it('reads occurrence ids, answers and reminders', () => {
    expect(occurrenceIdSchema.safeParse('m1.20270311T190000Z').success).toBe(true);
    for (const id of [
      'm1',
      'm1.2027-03-11T19:00:00Z',
      '.20270311T190000Z',
      'm 1.20270311T190000Z',
    ]) {
      expect(occurrenceIdSchema.safeParse(id).success, id).toBe(false);
    }
    const yes = { occurrenceId: null, answer: 'yes', reminderMinutes: 30 };
    expect(rsvpSchema.safeParse(yes).success).toBe(true);
    expect(rsvpSchema.safeParse({ ...yes, answer: 'perhaps' }).success).toBe(false);
    expect(rsvpSchema.safeParse({ ...yes, reminderMinutes: -1 }).success).toBe(false);
    expect(rsvpSchema.safeParse({ ...yes, reminderMinutes: 7 * 24 * 60 + 1 }).success).toBe(false);
  });

  it('takes windows as ISO instants and any feed file name (the route answers 404)', () => {
    expect(windowQuerySchema.safeParse({ from: '2027-03-10T00:00:00.000Z' }).success).toBe(true);
    expect(windowQuerySchema.safeParse({ from: 'yesterday' }).success).toBe(false);
    expect(feedFileParamsSchema.safeParse({ file: 'x.ics' }).success).toBe(true);
    expect(feedFileParamsSchema.safeParse({ file: 'x'.repeat(101) }).success).toBe(false);
  });
});
