/**
 * The post box as plain state, turned into `POST …/posts`'s body (checked with the core schema):
 * dates picked in the browser's own days become instants, recurring help becomes an RRULE through
 * core/src/groups/recurrence-form.ts (as meetings' schedules do), an amount typed as "12.50"
 * becomes minor units. Pure: the page binds its inputs to a `PostForm` and calls these.
 */
import { createPostSchema, type CreatePostInput, type PostKind } from '$core/aid/api';
import { generateId } from '$core/crypto/ids';
import {
  describeSchedule,
  formToRrule,
  type Repeat,
  type Weekday,
} from '$core/groups/recurrence-form';
import { err, ok, type Result } from '$core/result';
import { ordinalOf, weekdayOf } from '../groups/meetings/form';
import { parseAmount } from './view';

export const WHEN_KINDS = ['ongoing', 'by', 'window', 'recurring'] as const;
export type WhenKind = (typeof WHEN_KINDS)[number];
export const REPEATS = ['weekly', 'monthlyByWeekday', 'monthlyByDay'] as const;

export interface PostForm {
  kind: PostKind;
  category: string;
  description: string;
  contentWarning: string;
  whenKind: WhenKind;
  /** YYYY-MM-DD in the browser's days. */
  byDate: string;
  fromDate: string;
  untilDate: string;
  /** Recurring: the first date and time, local to `timeZone`. */
  startDate: string;
  startTime: string;
  durationMinutes: number;
  timeZone: string;
  repeat: (typeof REPEATS)[number];
  interval: number;
  days: Weekday[];
  /** '' = anywhere (online, by phone). */
  areaId: string;
  reachKm: number;
  urgent: boolean;
  amount: string;
  currency: string;
  anonymous: boolean;
  nameInPrint: boolean;
  onBehalf: boolean;
  expiresInDays: number;
}

export type FormField =
  'category' | 'description' | 'contentWarning' | 'when' | 'area' | 'amount' | 'expires';

export interface FormProblem {
  readonly field: FormField;
  readonly code: string;
}

/** A new post box: a need, ongoing, anywhere, posted with my name, expiring as the board says. */
export function newPostForm(
  today: string,
  timeZone: string,
  expiresInDays: number,
  kind: PostKind = 'need',
): PostForm {
  return {
    kind,
    category: '',
    description: '',
    contentWarning: '',
    whenKind: 'ongoing',
    byDate: today,
    fromDate: today,
    untilDate: today,
    startDate: today,
    startTime: '10:00',
    durationMinutes: 60,
    timeZone,
    repeat: 'weekly',
    interval: 1,
    days: [weekdayOf(today)],
    areaId: '',
    reachKm: 5,
    urgent: false,
    amount: '',
    currency: 'GBP',
    anonymous: false,
    nameInPrint: false,
    onBehalf: false,
    expiresInDays,
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;

/** A local date's start or end in this browser's zone, as an instant. */
function localInstant(date: string, end: boolean): string | null {
  if (!DATE.test(date)) return null;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const at = end ? new Date(y, m - 1, d, 23, 59, 0) : new Date(y, m - 1, d, 0, 0, 0);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** The RRULE of the recurring choices, or the recurrence-form code of what is wrong. */
export function recurringRule(f: PostForm): Result<string, string> {
  let repeat: Repeat;
  const interval = Number(f.interval);
  switch (f.repeat) {
    case 'weekly':
      repeat = { kind: 'weekly', interval, days: f.days };
      break;
    case 'monthlyByWeekday':
      repeat = {
        kind: 'monthlyByWeekday',
        interval,
        ordinal: ordinalOf(f.startDate),
        weekday: weekdayOf(f.startDate),
      };
      break;
    case 'monthlyByDay':
      repeat = { kind: 'monthlyByDay', interval, day: Number(f.startDate.slice(8, 10)) };
      break;
  }
  const rule = formToRrule({ repeat, ends: { kind: 'never' } });
  if (!rule.ok) return err(rule.error.code);
  return rule.value === null ? err('invalid_rrule') : ok(rule.value);
}

/** Recurring help in plain words ("Every week on Thursday at 10:00"), or null while incomplete. */
export function recurringPreview(f: PostForm): string | null {
  if (!DATE.test(f.startDate) || !TIME.test(f.startTime)) return null;
  const rule = recurringRule(f);
  if (!rule.ok) return null;
  return describeSchedule({
    start: `${f.startDate}T${f.startTime}`,
    timeZone: f.timeZone,
    rrule: rule.value,
  });
}

function whenOf(f: PostForm): Result<CreatePostInput['when'], FormProblem> {
  const bad = (code: string) => err<FormProblem>({ field: 'when', code });
  switch (f.whenKind) {
    case 'ongoing':
      return ok({ kind: 'ongoing' });
    case 'by': {
      const until = localInstant(f.byDate, true);
      return until === null ? bad('required') : ok({ kind: 'by', until });
    }
    case 'window': {
      const from = localInstant(f.fromDate, false);
      const until = localInstant(f.untilDate, true);
      if (from === null || until === null) return bad('required');
      if (Date.parse(from) >= Date.parse(until)) return bad('order');
      return ok({ kind: 'window', from, until });
    }
    case 'recurring': {
      if (!DATE.test(f.startDate) || !TIME.test(f.startTime)) return bad('required');
      const rule = recurringRule(f);
      if (!rule.ok) return bad(rule.error);
      return ok({
        kind: 'recurring',
        start: `${f.startDate}T${f.startTime}`,
        timeZone: f.timeZone,
        durationMinutes: Number(f.durationMinutes),
        rrule: rule.value,
      });
    }
  }
}

const FIELD_OF: Record<string, FormField> = {
  category: 'category',
  description: 'description',
  contentWarning: 'contentWarning',
  when: 'when',
  areaId: 'area',
  reachKm: 'area',
  amount: 'amount',
  urgent: 'when',
  expiresInDays: 'expires',
};

/** The body of `POST …/posts`, or the first problem (checked with the core schema too). */
export function toCreateInput(
  f: PostForm,
  id: string = generateId(),
): Result<CreatePostInput, FormProblem> {
  if (f.category === '') return err({ field: 'category', code: 'required' });
  if (f.description.trim() === '') return err({ field: 'description', code: 'required' });
  const when = whenOf(f);
  if (!when.ok) return when;
  let amount: CreatePostInput['amount'] = null;
  if (f.category === 'money' && f.amount.trim() !== '') {
    const minor = parseAmount(f.amount, f.currency);
    if (minor === null || minor < 1) return err({ field: 'amount', code: 'invalid' });
    amount = { minor, currency: f.currency };
  }
  const body = {
    id,
    kind: f.kind,
    category: f.category,
    description: f.description,
    contentWarning: f.contentWarning.trim() === '' ? null : f.contentWarning,
    when: when.value,
    areaId: f.areaId === '' ? null : f.areaId,
    reachKm: Number(f.reachKm),
    urgent: f.kind === 'need' && f.urgent,
    amount,
    anonymous: f.anonymous,
    nameInPrint: !f.anonymous && f.nameInPrint,
    onBehalf: f.kind === 'need' && f.onBehalf,
    expiresInDays: Number(f.expiresInDays),
  };
  const parsed = createPostSchema.safeParse(body);
  if (!parsed.success) {
    const path = String(parsed.error.issues[0]?.path[0] ?? 'description');
    return err({ field: FIELD_OF[path] ?? 'description', code: 'invalid' });
  }
  return ok(parsed.data);
}
