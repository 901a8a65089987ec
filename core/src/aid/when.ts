/**
 * The times a post covers, as UTC intervals (docs/AID.md, "When" and "Matching"). The server stores
 * them with the post (`aid_posts.intervals`, and the span in `starts_at` / `ends_at` for the
 * database to pre-filter on), computes them again when the post changes, and once a day for
 * recurring help (the horizon rolls forward). Matching (matching.ts) then never needs to expand a
 * rule. Recurring help is expanded by core/src/groups/recurrence.ts (rrule-temporal), as meetings
 * are; each occurrence's id is `<post id>.<original start in UTC>`.
 */
import { expandSeries, type RecurrenceError } from '../groups/recurrence.js';
import { ok, type Result } from '../result.js';
import { AID_LIMITS, type When } from './api.js';

/** Epoch milliseconds, half-open: [start, end). */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

export interface AidOccurrence extends Interval {
  readonly occurrenceId: string;
}

export interface IntervalContext {
  /** The post's id: the series id of recurring help. */
  readonly postId: string;
  /** When it was posted (or renewed), epoch ms. */
  readonly postedAt: number;
  /** When it expires, epoch ms. */
  readonly expiresAt: number;
  /** Now, epoch ms: recurring help is expanded from here to the horizon. */
  readonly now: number;
}

const DAY_MS = 86_400_000;

/** The occurrences of recurring help from now (or its posting) to the horizon or its expiry. */
export function occurrencesOf(
  when: Extract<When, { kind: 'recurring' }>,
  ctx: IntervalContext,
): Result<AidOccurrence[], RecurrenceError> {
  const from = Math.max(ctx.now, ctx.postedAt);
  const to = Math.min(ctx.expiresAt, ctx.now + AID_LIMITS.horizonDays * DAY_MS);
  if (to <= from) return ok([]);
  const expanded = expandSeries(
    {
      id: ctx.postId,
      start: when.start,
      timeZone: when.timeZone,
      durationMinutes: when.durationMinutes,
      rrule: when.rrule,
    },
    {
      from: new Date(from),
      to: new Date(to),
      limit: AID_LIMITS.maxOccurrences,
      includeCancelled: false,
    },
  );
  if (!expanded.ok) return expanded;
  return ok(
    expanded.value.occurrences.map((o) => ({
      occurrenceId: o.occurrenceId,
      start: Date.parse(o.start),
      end: Date.parse(o.end),
    })),
  );
}

/**
 * The intervals a post covers: `by` from posting until the time given, a window as given,
 * `ongoing` from posting until expiry, recurring help one interval per occurrence (from now to
 * the horizon). Empty when nothing is left (the post has nothing to match).
 */
export function intervalsOf(when: When, ctx: IntervalContext): Result<Interval[], RecurrenceError> {
  const one = (start: number, end: number): Result<Interval[], never> =>
    ok(end > start ? [{ start, end }] : []);
  switch (when.kind) {
    case 'by':
      return one(ctx.postedAt, Date.parse(when.until));
    case 'window':
      return one(Date.parse(when.from), Date.parse(when.until));
    case 'ongoing':
      return one(ctx.postedAt, ctx.expiresAt);
    case 'recurring': {
      const occurrences = occurrencesOf(when, ctx);
      if (!occurrences.ok) return occurrences;
      return ok(occurrences.value.map(({ start, end }) => ({ start, end })));
    }
  }
}

/** The end of a `by` or a window (for expiryPlan), or null for ongoing and recurring posts. */
export function whenEndsAt(when: When): number | null {
  return when.kind === 'by' || when.kind === 'window' ? Date.parse(when.until) : null;
}

/** The span of some intervals, for `starts_at` / `ends_at`; null when there are none. */
export function spanOf(intervals: readonly Interval[]): Interval | null {
  if (intervals.length === 0) return null;
  let start = Infinity;
  let end = -Infinity;
  for (const i of intervals) {
    if (i.start < start) start = i.start;
    if (i.end > end) end = i.end;
  }
  return { start, end };
}
