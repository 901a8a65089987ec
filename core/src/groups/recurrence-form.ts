/**
 * The choices a facilitator makes when scheduling ("every week on Tuesday and Thursday", "monthly
 * on the last Friday", "ends after 10 meetings"), mapped to an RRULE and back (for editing), and
 * described in plain words. A rule that is not one of these choices (an imported one, say) reads
 * back as `custom`, so an editor can show it and keep it rather than lose it.
 *
 * Words live in one messages object (`recurrenceWordsEn`) so they can move to i18n. Needs no
 * Temporal (only recurrence-rule.ts), so any page can show a schedule in words.
 */
import { err, ok, type Result } from '../result.js';
import {
  MEETING_LIMITS,
  WEEKDAYS,
  isLocalDate,
  isLocalDateTime,
  lastDateOfUntil,
  normaliseTimeZone,
  parseRule,
  type ByDay,
  type RuleParts,
  type Weekday,
} from './recurrence-rule.js';

export type { Weekday } from './recurrence-rule.js';

/** Which week of the month: first … fourth, or the last. */
export const MONTH_ORDINALS = [1, 2, 3, 4, -1] as const;
export type MonthOrdinal = (typeof MONTH_ORDINALS)[number];

export type Repeat =
  | { readonly kind: 'once' }
  | { readonly kind: 'daily'; readonly interval: number }
  | { readonly kind: 'weekly'; readonly interval: number; readonly days: readonly Weekday[] }
  | {
      readonly kind: 'monthlyByWeekday';
      readonly interval: number;
      readonly ordinal: MonthOrdinal;
      readonly weekday: Weekday;
    }
  | { readonly kind: 'monthlyByDay'; readonly interval: number; readonly day: number };

export type Ends =
  | { readonly kind: 'never' }
  | { readonly kind: 'after'; readonly count: number }
  /** The last date meetings may fall on, local to the series' zone. */
  | { readonly kind: 'on'; readonly date: string };

export interface RepeatForm {
  readonly repeat: Repeat;
  readonly ends: Ends;
}

export type FormErrorCode =
  | 'invalid_interval'
  | 'weekly_needs_a_day'
  | 'invalid_weekday'
  | 'invalid_ordinal'
  | 'invalid_month_day'
  | 'invalid_count'
  | 'invalid_end_date';

export interface FormError {
  readonly code: FormErrorCode;
}

const fail = (code: FormErrorCode) => err<FormError>({ code });

const weekOrder = (days: readonly Weekday[]): Weekday[] => WEEKDAYS.filter((d) => days.includes(d));

const validInterval = (n: number) =>
  Number.isInteger(n) && n >= 1 && n <= MEETING_LIMITS.maxInterval;

/**
 * The RRULE for a form's choices, or null for a single meeting. "Ends on a date" becomes a date
 * UNTIL (`UNTIL=20260630`): meetings on that local date, in the series' zone, are the last.
 */
export function formToRrule(form: RepeatForm): Result<string | null, FormError> {
  const { repeat, ends } = form;
  if (repeat.kind === 'once') return ok(null);
  if (!validInterval(repeat.interval)) return fail('invalid_interval');
  const parts: string[] = [];
  switch (repeat.kind) {
    case 'daily':
      parts.push('FREQ=DAILY');
      break;
    case 'weekly': {
      if (repeat.days.length === 0) return fail('weekly_needs_a_day');
      if (!repeat.days.every((d) => (WEEKDAYS as readonly string[]).includes(d))) {
        return fail('invalid_weekday');
      }
      parts.push('FREQ=WEEKLY');
      break;
    }
    case 'monthlyByWeekday':
      if (!(MONTH_ORDINALS as readonly number[]).includes(repeat.ordinal)) {
        return fail('invalid_ordinal');
      }
      if (!(WEEKDAYS as readonly string[]).includes(repeat.weekday)) return fail('invalid_weekday');
      parts.push('FREQ=MONTHLY');
      break;
    case 'monthlyByDay':
      if (!Number.isInteger(repeat.day) || repeat.day < 1 || repeat.day > 31) {
        return fail('invalid_month_day');
      }
      parts.push('FREQ=MONTHLY');
      break;
  }
  if (repeat.interval !== 1) parts.push(`INTERVAL=${repeat.interval}`);
  if (repeat.kind === 'weekly') parts.push(`BYDAY=${weekOrder(repeat.days).join(',')}`);
  if (repeat.kind === 'monthlyByWeekday') parts.push(`BYDAY=${repeat.ordinal}${repeat.weekday}`);
  if (repeat.kind === 'monthlyByDay') parts.push(`BYMONTHDAY=${repeat.day}`);
  switch (ends.kind) {
    case 'never':
      break;
    case 'after':
      if (!Number.isInteger(ends.count) || ends.count < 1 || ends.count > MEETING_LIMITS.maxCount) {
        return fail('invalid_count');
      }
      parts.push(`COUNT=${ends.count}`);
      break;
    case 'on':
      if (!isLocalDate(ends.date)) return fail('invalid_end_date');
      parts.push(`UNTIL=${ends.date.replace(/-/g, '')}`);
      break;
  }
  return ok(parts.join(';'));
}

/** A rule the form cannot show as one of its choices. */
export interface CustomRule {
  readonly custom: true;
  readonly rrule: string;
}

const simpleDays = (byDay: readonly ByDay[]): Weekday[] | null =>
  byDay.every((d) => d.ordinal === undefined) ? byDay.map((d) => d.weekday) : null;

/** One weekday with an ordinal (BYDAY=2TU), or the same said with BYSETPOS (BYDAY=TU;BYSETPOS=2). */
function monthWeekday(rule: RuleParts): { ordinal: number; weekday: Weekday } | null {
  if (rule.byDay.length !== 1 || rule.byMonthDay.length > 0) return null;
  const [only] = rule.byDay as [ByDay];
  if (rule.bySetPos.length === 0 && only.ordinal !== undefined) {
    return { ordinal: only.ordinal, weekday: only.weekday };
  }
  if (rule.bySetPos.length === 1 && only.ordinal === undefined) {
    return { ordinal: rule.bySetPos[0]!, weekday: only.weekday };
  }
  return null;
}

function endsOf(rule: RuleParts, timeZone: string): Ends | null {
  if (rule.count !== undefined) return { kind: 'after', count: rule.count };
  if (rule.until !== undefined) {
    // Only an UNTIL at the very end of a local date is "ends on <date>".
    const date = lastDateOfUntil(rule.until, timeZone);
    return date ? { kind: 'on', date } : null;
  }
  return { kind: 'never' };
}

/**
 * The form's choices for an RRULE (null: a single meeting), or `custom` for a rule the form
 * cannot express. An invalid rule is `custom` too; validateSeries says what is wrong with it.
 */
export function rruleToForm(rrule: string | null, timeZone: string): RepeatForm | CustomRule {
  if (rrule === null) return { repeat: { kind: 'once' }, ends: { kind: 'never' } };
  const custom: CustomRule = { custom: true, rrule };
  const parsed = parseRule(rrule);
  const zone = normaliseTimeZone(timeZone);
  if (!parsed.ok || !zone) return custom;
  const rule = parsed.value;
  const ends = endsOf(rule, zone);
  if (!ends) return custom;
  const { interval } = rule;
  const noBy =
    rule.byDay.length === 0 && rule.byMonthDay.length === 0 && rule.bySetPos.length === 0;
  switch (rule.freq) {
    case 'DAILY':
      return noBy ? { repeat: { kind: 'daily', interval }, ends } : custom;
    case 'WEEKLY': {
      const days = simpleDays(rule.byDay);
      if (!days || days.length === 0 || rule.bySetPos.length > 0) return custom;
      return { repeat: { kind: 'weekly', interval, days: weekOrder(days) }, ends };
    }
    case 'MONTHLY': {
      const byWeekday = monthWeekday(rule);
      if (byWeekday) {
        if (!(MONTH_ORDINALS as readonly number[]).includes(byWeekday.ordinal)) return custom;
        return {
          repeat: {
            kind: 'monthlyByWeekday',
            interval,
            ordinal: byWeekday.ordinal as MonthOrdinal,
            weekday: byWeekday.weekday,
          },
          ends,
        };
      }
      const [day] = rule.byMonthDay;
      if (
        rule.byDay.length === 0 &&
        rule.bySetPos.length === 0 &&
        rule.byMonthDay.length === 1 &&
        day !== undefined &&
        day > 0
      ) {
        return { repeat: { kind: 'monthlyByDay', interval, day }, ends };
      }
      return custom;
    }
    case 'YEARLY':
      return custom;
  }
}

/**
 * The choices a start date suggests: its weekday, its week of the month (and "last" when it is in
 * the month's last seven days), its day of the month. For pre-filling the form.
 */
export function suggestionsFor(startLocal: string): {
  weekday: Weekday;
  ordinal: MonthOrdinal | null;
  isLastWeek: boolean;
  day: number;
} | null {
  if (!isLocalDateTime(startLocal) && !isLocalDate(startLocal)) return null;
  const [y, m, d] = startLocal.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = WEEKDAYS[(date.getUTCDay() + 6) % 7]!;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const week = Math.ceil(d / 7);
  return {
    weekday,
    ordinal: week <= 4 ? (week as MonthOrdinal) : null,
    isLastWeek: d > daysInMonth - 7,
    day: d,
  };
}

// ---------------------------------------------------------------------------------------------
// Plain words

export const recurrenceWordsEn = {
  weekdays: {
    MO: 'Monday',
    TU: 'Tuesday',
    WE: 'Wednesday',
    TH: 'Thursday',
    FR: 'Friday',
    SA: 'Saturday',
    SU: 'Sunday',
  } satisfies Record<Weekday, string>,
  months: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  ordinals: { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' } satisfies Record<
    MonthOrdinal,
    string
  >,
  /** "Tuesday and Thursday", "Monday, Wednesday and Friday". */
  list: (items: readonly string[]): string =>
    items.length <= 1
      ? (items[0] ?? '')
      : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`,
  /** "3 March 2026". */
  date: (day: number, month: string, year: number) => `${day} ${month} ${year}`,
  once: (date: string) => `Once, on ${date}`,
  everyDay: (n: number) => (n === 1 ? 'Every day' : `Every ${n} days`),
  everyWeek: (n: number, days: string) =>
    n === 1 ? `Every week on ${days}` : `Every ${n} weeks on ${days}`,
  everyMonthOnWeekday: (n: number, ordinal: string, weekday: string) =>
    n === 1
      ? `Every month on the ${ordinal} ${weekday}`
      : `Every ${n} months on the ${ordinal} ${weekday}`,
  everyMonthOnDay: (n: number, day: number) =>
    n === 1 ? `Every month on day ${day}` : `Every ${n} months on day ${day}`,
  custom: 'On a custom schedule',
  at: (time: string, timeZone: string) => `at ${time} (${timeZone})`,
  endsAfter: (count: number) => (count === 1 ? 'once only' : `${count} times`),
  endsOn: (date: string) => `until ${date}`,
};

export type RecurrenceWords = typeof recurrenceWordsEn;

function dateWords(localDate: string, words: RecurrenceWords): string {
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  return words.date(d, words.months[m - 1] ?? '', y);
}

/**
 * A plain sentence for a series: "Every 2 weeks on Tuesday at 19:00 (Europe/London)", "Every month
 * on the last Friday at 18:30 (Europe/Berlin), 10 times", "Once, on 3 March 2026 at 19:00
 * (Europe/London)".
 */
export function describeSchedule(
  series: { readonly start: string; readonly timeZone: string; readonly rrule?: string | null },
  words: RecurrenceWords = recurrenceWordsEn,
): string {
  const time = series.start.slice(11, 16);
  const at = words.at(time, series.timeZone);
  const form = rruleToForm(series.rrule ?? null, series.timeZone);
  if ('custom' in form) return `${words.custom} ${at}`;
  const { repeat, ends } = form;
  let head: string;
  switch (repeat.kind) {
    case 'once':
      return `${words.once(dateWords(series.start.slice(0, 10), words))} ${at}`;
    case 'daily':
      head = words.everyDay(repeat.interval);
      break;
    case 'weekly':
      head = words.everyWeek(
        repeat.interval,
        words.list(repeat.days.map((d) => words.weekdays[d])),
      );
      break;
    case 'monthlyByWeekday':
      head = words.everyMonthOnWeekday(
        repeat.interval,
        words.ordinals[repeat.ordinal],
        words.weekdays[repeat.weekday],
      );
      break;
    case 'monthlyByDay':
      head = words.everyMonthOnDay(repeat.interval, repeat.day);
      break;
  }
  const end =
    ends.kind === 'after'
      ? `, ${words.endsAfter(ends.count)}`
      : ends.kind === 'on'
        ? `, ${words.endsOn(dateWords(ends.date, words))}`
        : '';
  return `${head} ${at}${end}`;
}
