/**
 * Opening hours of a resource (docs/RESOURCES.md, "Opening hours") and "open now".
 *
 * Hours are a resource's own clock: weekly openings in one IANA time zone, each on some weekdays
 * from a local time to a local time, valid between two optional local dates, plus closures (local
 * dates on which no opening starts: a holiday, a week off). Time zones and daylight saving come
 * from Temporal — the copy rrule-temporal bundles, found as core/src/groups/recurrence.ts finds it
 * (Node 20 has no `globalThis.Temporal`); nothing here does zone arithmetic by hand.
 *
 * Semantics:
 * - An opening belongs to the local date it starts on. `closesAt` later than `opensAt` closes that
 *   date; `closesAt` at or before `opensAt` closes the next date (overnight: 22:00–06:00);
 *   `24:00` is the end of the day, so `00:00`–`24:00` on every day is open around the clock.
 *   `opensAt` equal to `closesAt` is refused (say `00:00`–`24:00` for a whole day).
 * - A local time that does not exist (the spring-forward gap) moves forward by the gap's length,
 *   and a local time that happens twice (the fall-back overlap) is the first of the two — RFC 5545
 *   3.3.5, as meetings do (`disambiguation: 'compatible'`). So a 22:00–06:00 night line is open
 *   seven hours on the night the clocks go forward and nine on the night they go back; an opening
 *   at 02:30 on the spring-forward day opens at 03:30.
 * - `validFrom` / `validTo` (inclusive local dates) and closures apply to the date an opening
 *   starts on: a night opening that starts on the evening before a closed day still runs into it.
 * - Openings that touch or overlap are one stretch: a line open 00:00–24:00 every day never
 *   "closes at midnight", and one open 09:00–13:00 and 13:00–17:00 is open 09:00–17:00.
 * - No hours, or hours with no weekly opening, are **unknown**: never shown as open.
 */
import { RRuleTemporal } from 'rrule-temporal';
import { normaliseTimeZone } from '../groups/recurrence-rule.js';
import { HOURS_LIMITS, WEEKDAYS, type Hours } from './hours-schema.js';

export * from './hours-schema.js';

const DAY_MS = 86_400_000;

// ─── Temporal, from rrule-temporal ──────────────────────────────────────────────────────────────

type ZonedDateTime = ReturnType<RRuleTemporal['all']>[number];
type PlainDate = ReturnType<ZonedDateTime['toPlainDate']>;
interface Classes {
  zoned: { from(item: string, options?: { disambiguation?: 'compatible' }): ZonedDateTime };
  date: { from(item: string): PlainDate };
}
let classes: Classes | undefined;

/** rrule-temporal does not export its Temporal; its values carry their classes. */
function temporal(): Classes {
  if (!classes) {
    const probe = new RRuleTemporal({
      rruleString: 'DTSTART;TZID=UTC:20000101T000000\nRRULE:FREQ=DAILY;COUNT=1',
    }).options().dtstart;
    classes = {
      zoned: probe.constructor as unknown as Classes['zoned'],
      date: probe.toPlainDate().constructor as unknown as Classes['date'],
    };
  }
  return classes;
}

/** The instant of a local date and time in a zone (gap: forward; overlap: the first). */
function instantOf(date: PlainDate, time: string, timeZone: string): number {
  return temporal().zoned.from(`${date.toString()}T${time}:00[${timeZone}]`, {
    disambiguation: 'compatible',
  }).epochMilliseconds;
}

function localDateOf(epochMs: number, timeZone: string): PlainDate {
  return temporal()
    .zoned.from(`${new Date(epochMs).toISOString()}[${timeZone}]`)
    .toPlainDate();
}

// ─── Openings as instants ───────────────────────────────────────────────────────────────────────

/** A stretch of time a resource is open: [start, end) in epoch ms. */
export type Interval = readonly [start: number, end: number];

function closedOn(hours: Hours, date: string): boolean {
  return hours.closures.some((c) => c.from <= date && date <= c.to);
}

function openingsStartingOn(hours: Hours, date: PlainDate): Interval[] {
  const day = WEEKDAYS[date.dayOfWeek - 1]!;
  const iso = date.toString();
  if (closedOn(hours, iso)) return [];
  const out: Interval[] = [];
  for (const w of hours.weekly) {
    if (!w.days.includes(day)) continue;
    if (w.validFrom && iso < w.validFrom) continue;
    if (w.validTo && iso > w.validTo) continue;
    const start = instantOf(date, w.opensAt, hours.timeZone);
    const end =
      w.closesAt === '24:00' || w.closesAt <= w.opensAt
        ? instantOf(
            date.add({ days: 1 }),
            w.closesAt === '24:00' ? '00:00' : w.closesAt,
            hours.timeZone,
          )
        : instantOf(date, w.closesAt, hours.timeZone);
    // Both ends in one gap or overlap can meet; such an opening has no length.
    if (end > start) out.push([start, end]);
  }
  return out;
}

/**
 * The stretches a resource is open that overlap [fromMs, toMs), merged (touching or overlapping
 * openings are one stretch) and in order. A stretch may begin before `fromMs` or end after `toMs`.
 */
export function openIntervals(hours: Hours, fromMs: number, toMs: number): Interval[] {
  if (!(toMs > fromMs)) return [];
  hours = { ...hours, timeZone: normaliseTimeZone(hours.timeZone) ?? hours.timeZone };
  const raw: Interval[] = [];
  // An opening can start at most a day (plus a changed clock) before it reaches fromMs.
  let date = localDateOf(fromMs, hours.timeZone).subtract({ days: 2 });
  const last = localDateOf(toMs, hours.timeZone).toString();
  while (date.toString() <= last) {
    for (const i of openingsStartingOn(hours, date)) {
      if (i[1] > fromMs && i[0] < toMs) raw.push(i);
    }
    date = date.add({ days: 1 });
  }
  raw.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [s, e] of raw) {
    const top = merged[merged.length - 1];
    if (top && s <= top[1]) top[1] = Math.max(top[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

export type OpenState =
  /** Open; `closesAt` null when it stays open for the next `closingLookAheadDays` (around the
   * clock). */
  | { readonly status: 'open'; readonly closesAt: number | null }
  /** Closed; `opensAt` null when no opening starts within the look-ahead. */
  | { readonly status: 'closed'; readonly opensAt: number | null }
  /** No hours known: never shown as open. */
  | { readonly status: 'unknown' };

/** Whether a resource's hours say anything at all. */
export const hoursKnown = (hours: Hours | null): hours is Hours =>
  hours !== null && hours.weekly.length > 0;

/** Days ahead "open, closes at …" looks for the closing: a week and a day. */
const CLOSING_LOOK_AHEAD_DAYS = 8;

/**
 * Open or closed at an instant, with when that changes: the closing within 8 days (else null:
 * around the clock), the next opening within `lookAheadDays` (default 62, else null); `unknown`
 * when the hours are not known. Walks a week at a time, so the usual answer costs a few days.
 */
export function openStateAt(
  hours: Hours | null,
  atMs: number,
  lookAheadDays: number = HOURS_LIMITS.lookAheadDays,
): OpenState {
  if (!hoursKnown(hours)) return { status: 'unknown' };
  const closingHorizon = atMs + CLOSING_LOOK_AHEAD_DAYS * DAY_MS;
  const first = openIntervals(hours, atMs, closingHorizon);
  const now = first.find(([s, e]) => s <= atMs && atMs < e);
  if (now) return { status: 'open', closesAt: now[1] >= closingHorizon ? null : now[1] };
  const horizon = atMs + lookAheadDays * DAY_MS;
  let from = atMs;
  let stretches = first;
  for (;;) {
    const next = stretches.find(([s]) => s > atMs && s < horizon);
    if (next) return { status: 'closed', opensAt: next[0] };
    from += CLOSING_LOOK_AHEAD_DAYS * DAY_MS;
    if (from >= horizon) return { status: 'closed', opensAt: null };
    stretches = openIntervals(
      hours,
      from,
      Math.min(horizon, from + CLOSING_LOOK_AHEAD_DAYS * DAY_MS),
    );
  }
}

/** Open at this instant: true, false, or null when the hours are not known. */
export function isOpenAt(hours: Hours | null, atMs: number): boolean | null {
  if (!hoursKnown(hours)) return null;
  return openIntervals(hours, atMs, atMs + 1).some(([s, e]) => s <= atMs && atMs < e);
}

/**
 * The next instant at or after `atMs` at which it is open (`atMs` itself when open now), or null
 * when the hours are not known or it does not open within `lookAheadDays`.
 */
export function nextOpening(
  hours: Hours | null,
  atMs: number,
  lookAheadDays: number = HOURS_LIMITS.lookAheadDays,
): number | null {
  const state = openStateAt(hours, atMs, lookAheadDays);
  if (state.status === 'open') return atMs;
  return state.status === 'closed' ? state.opensAt : null;
}
