/**
 * The check-in form's pure logic: what the person typed (strings, as the inputs hold them) to a
 * check-in's values and back, parsing numbers, durations and times of day, and turning "earlier,
 * or another day" into an ISO time with the device's offset. No DOM, no Svelte; the page calls
 * these and shows each error by its field, in words (messages `checkins.checkin.error.*`).
 */
import {
  LIMITS,
  checkValues,
  type Checkin,
  type Tracker,
  type TrackerGroup,
  type Value,
} from '$core/checkins/index';

/** One tracker's answer as the inputs hold it. */
export interface Entry {
  /** text, number, scale ("1"…"10"), yes/no ("yes" | "no"), time of day ("HH:MM"); "" = not said. */
  text: string;
  /** Durations: hours and minutes as typed. */
  hours: string;
  minutes: string;
  /** Tag sets: the tags chosen. */
  tags: string[];
}

export type Entries = Record<string, Entry>;

export type When = 'now' | 'earlier';

export interface FormState {
  entries: Entries;
  when: When;
  /** For "earlier": the local date (YYYY-MM-DD) and time (HH:MM). */
  date: string;
  time: string;
  note: string;
}

export type FieldError =
  | 'notANumber'
  | 'tooBig'
  | 'negative'
  | 'wholeMinutes'
  | 'tooLong'
  | 'badTime'
  | 'outOfRange'
  | 'tooMuchText'
  | 'badDate'
  | 'future';

export type FormErrors = Partial<Record<string, FieldError>>;

export type Parsed<T> = { ok: true; value: T | undefined } | { ok: false; error: FieldError };

const ok = <T>(value: T | undefined): Parsed<T> => ({ ok: true, value });
const fail = (error: FieldError): { ok: false; error: FieldError } => ({ ok: false, error });

export const emptyEntry = (): Entry => ({ text: '', hours: '', minutes: '', tags: [] });

export function emptyForm(trackers: readonly Tracker[]): FormState {
  const entries: Entries = {};
  for (const t of trackers) entries[t.id] = emptyEntry();
  return { entries, when: 'now', date: '', time: '', note: '' };
}

/** Plain decimal numbers: "7", "-2", "7.5", "7,5" (a comma as the decimal mark), "  .5 ". */
const DECIMAL = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;

/** A number as typed; "" is not said. Exponents ("1e99") and words ("abc") are not numbers. */
export function parseNumber(raw: string): Parsed<number> {
  const s = raw.trim();
  if (s === '') return ok(undefined);
  if (!DECIMAL.test(s)) return fail('notANumber');
  const n = Number(s.replace(',', '.'));
  if (!Number.isFinite(n)) return fail('notANumber');
  if (Math.abs(n) > LIMITS.numberAbs) return fail('tooBig');
  return ok(n === 0 ? 0 : n);
}

/** Hours and minutes to minutes; both "" is not said. Hours may be decimal ("1.5"). */
export function parseDuration(hours: string, minutes: string): Parsed<number> {
  const h = parseNumber(hours);
  const m = parseNumber(minutes);
  if (!h.ok) return h;
  if (!m.ok) return m;
  if (h.value === undefined && m.value === undefined) return ok(undefined);
  const hv = h.value ?? 0;
  const mv = m.value ?? 0;
  if (hv < 0 || mv < 0) return fail('negative');
  if (!Number.isInteger(mv)) return fail('wholeMinutes');
  const total = Math.round(hv * 60 + mv);
  if (total > LIMITS.durationMax) return fail('tooLong');
  return ok(total);
}

/** Minutes back to the two boxes ("" for a zero part, so 90 shows as 1 h 30 min, 45 as 45 min). */
export function splitDuration(total: number): { hours: string; minutes: string } {
  const h = Math.floor(total / 60);
  const m = total - h * 60;
  return { hours: h > 0 ? String(h) : '', minutes: m > 0 || h === 0 ? String(m) : '' };
}

/** "HH:MM" (or "H:MM", or "HH:MM:SS" from some browsers) to "HH:MM"; "" is not said. */
export function parseTimeOfDay(raw: string): Parsed<string> {
  const s = raw.trim();
  if (s === '') return ok(undefined);
  const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(s);
  if (!m) return fail('badTime');
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return fail('badTime');
  return ok(`${String(h).padStart(2, '0')}:${m[2]}`);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** An ISO time for `date` with the device's offset at that moment, e.g. 2026-03-29T01:30:00+01:00. */
export function isoWithOffset(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

/** The device-local date (YYYY-MM-DD) and time (HH:MM) of an instant. */
export function localParts(date: Date): { date: string; time: string } {
  return {
    date: `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`,
    time: `${pad(date.getHours())}:${pad(date.getMinutes())}`,
  };
}

/**
 * "Earlier, or another day": a local date and time on this device to an ISO time with the
 * device's offset then. Not a real date, or more than a few minutes ahead of `now`, is an error.
 */
export function backdatedAt(
  date: string,
  time: string,
  now: Date,
): { ok: true; at: string } | { ok: false; field: 'date' | 'time'; error: FieldError } {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (!d) return { ok: false, field: 'date', error: 'badDate' };
  const [y, mo, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const t = parseTimeOfDay(time);
  if (!t.ok || t.value === undefined) return { ok: false, field: 'time', error: 'badTime' };
  const [h, min] = t.value.split(':').map(Number) as [number, number];
  const local = new Date(y, mo - 1, day, h, min, 0, 0);
  if (
    y < 1900 ||
    local.getFullYear() !== y ||
    local.getMonth() !== mo - 1 ||
    local.getDate() !== day
  ) {
    return { ok: false, field: 'date', error: 'badDate' };
  }
  if (local.getTime() > now.getTime() + 5 * 60_000) {
    return { ok: false, field: 'date', error: 'future' };
  }
  return { ok: true, at: isoWithOffset(local) };
}

/** One tracker's entry to its value (undefined = not said), or why it does not fit. */
export function entryValue(tracker: Tracker, entry: Entry): Parsed<Value> {
  switch (tracker.kind) {
    case 'text': {
      if (entry.text.trim() === '') return ok(undefined);
      return entry.text.length > LIMITS.text ? fail('tooMuchText') : ok(entry.text.trim());
    }
    case 'number':
      return parseNumber(entry.text);
    case 'scale': {
      const n = parseNumber(entry.text);
      if (!n.ok || n.value === undefined) return n;
      const max = tracker.scale?.max ?? 5;
      return Number.isInteger(n.value) && n.value >= 1 && n.value <= max ? n : fail('outOfRange');
    }
    case 'yesno':
      return entry.text === 'yes' ? ok(true) : entry.text === 'no' ? ok(false) : ok(undefined);
    case 'duration':
      return parseDuration(entry.hours, entry.minutes);
    case 'timeofday':
      return parseTimeOfDay(entry.text);
    case 'tags': {
      const tags = [...new Set(entry.tags.map((t) => t.trim()).filter((t) => t !== ''))];
      return tags.length ? ok(tags) : ok(undefined);
    }
  }
}

/** A value back to its entry (for editing a check-in). */
export function entryOf(tracker: Tracker, value: Value | undefined): Entry {
  const e = emptyEntry();
  if (value === undefined) return e;
  switch (tracker.kind) {
    case 'yesno':
      e.text = value === true ? 'yes' : value === false ? 'no' : '';
      break;
    case 'duration':
      if (typeof value === 'number') Object.assign(e, splitDuration(value));
      break;
    case 'tags':
      if (Array.isArray(value)) e.tags = [...value];
      break;
    default:
      e.text = typeof value === 'number' || typeof value === 'string' ? String(value) : '';
  }
  return e;
}

export type BuildResult =
  { ok: true; checkin: Checkin } | { ok: false; errors: FormErrors; first: string };

const ISSUE_ERRORS: Record<string, FieldError> = {
  wrong_type: 'outOfRange',
  out_of_range: 'outOfRange',
  unknown_tracker: 'outOfRange',
  unknown_tag: 'outOfRange',
};

/**
 * The form to a check-in: each active tracker's value (trackers left empty are not in it; an
 * archived tracker's value is kept from the check-in being changed), `at` now or
 * backdated, the note. Editing keeps the id, and keeps `at` as it was unless its local date or
 * time was changed. Errors are keyed by tracker id, or `date`, `time`, `note`; `first` is the
 * first one in the order of `trackers` (for focus).
 */
export function buildCheckin(
  form: FormState,
  trackers: readonly Tracker[],
  options: { id: string; now: Date; original?: Checkin },
): BuildResult {
  const errors: FormErrors = {};
  const order: string[] = [];
  const values: Record<string, Value> = {};
  const byId = new Map(trackers.map((t) => [t.id, t]));
  for (const t of trackers) {
    // Archived trackers are not asked; a check-in being changed keeps what they noted.
    if (t.archived) {
      const kept = options.original?.values[t.id];
      if (kept !== undefined) values[t.id] = kept;
      continue;
    }
    const entry = form.entries[t.id];
    if (!entry) continue;
    const r = entryValue(t, entry);
    if (!r.ok) {
      errors[t.id] = r.error;
      order.push(t.id);
    } else if (r.value !== undefined) values[t.id] = r.value;
  }
  const checked = checkValues({ values }, byId);
  if (!checked.ok) {
    for (const issue of checked.error) {
      if (!errors[issue.trackerId]) {
        errors[issue.trackerId] = ISSUE_ERRORS[issue.code] ?? 'outOfRange';
        order.push(issue.trackerId);
      }
    }
  }
  let at = isoWithOffset(options.now);
  if (form.when === 'earlier') {
    const original = options.original;
    const same =
      original &&
      (() => {
        const p = localParts(new Date(original.at));
        return p.date === form.date.trim() && p.time === form.time.trim();
      })();
    if (same) at = original.at;
    else {
      const b = backdatedAt(form.date, form.time, options.now);
      if (b.ok) at = b.at;
      else {
        errors[b.field] = b.error;
        order.unshift(b.field);
      }
    }
  } else if (options.original) at = options.original.at;
  const note = form.note.trim();
  if (note.length > LIMITS.note) {
    errors.note = 'tooMuchText';
    order.push('note');
  }
  if (order.length) return { ok: false, errors, first: order[0]! };
  const checkin: Checkin = {
    v: 1,
    id: options.original?.id ?? options.id,
    at,
    values,
    updatedAt: options.now.toISOString(),
  };
  if (note) checkin.note = note;
  return { ok: true, checkin };
}

/** A check-in back to the form, for editing ("earlier" with its own local date and time). */
export function formOf(checkin: Checkin, trackers: readonly Tracker[]): FormState {
  const form = emptyForm(trackers);
  for (const t of trackers) form.entries[t.id] = entryOf(t, checkin.values[t.id]);
  const p = localParts(new Date(checkin.at));
  return { ...form, when: 'earlier', date: p.date, time: p.time, note: checkin.note ?? '' };
}

/** Whether nothing at all was said (no value, no note): saving it would be an empty check-in. */
export function isEmpty(form: FormState, trackers: readonly Tracker[]): boolean {
  if (form.note.trim() !== '') return false;
  return trackers.every((t) => {
    const e = form.entries[t.id];
    return (
      !e ||
      (e.text.trim() === '' &&
        e.hours.trim() === '' &&
        e.minutes.trim() === '' &&
        e.tags.length === 0)
    );
  });
}

/** The person's active trackers by group, groups in the usual order, trackers in theirs. */
export function groupTrackers(
  trackers: readonly Tracker[],
): { group: TrackerGroup; trackers: Tracker[] }[] {
  const groups: TrackerGroup[] = [
    'feeling',
    'sleep',
    'energy',
    'body',
    'connection',
    'doing',
    'other',
  ];
  return groups
    .map((group) => ({
      group,
      trackers: trackers.filter((t) => !t.archived && (t.group ?? 'other') === group),
    }))
    .filter((g) => g.trackers.length > 0);
}

/** Check-ins from the last `days` days (by `at`), newest first as given. */
export function recent(checkins: readonly Checkin[], now: Date, days = 14): Checkin[] {
  const from = now.getTime() - days * 24 * 3600_000;
  return checkins.filter((c) => Date.parse(c.at) >= from);
}

/** A message id with its values, translated by the page. */
export interface Message {
  readonly id: string;
  readonly values?: Record<string, string | number>;
}

/**
 * How one value reads in the recent list, in the person's words: a message to translate
 * (yes/no, durations, scales "3 of 5", numbers with their unit), or the words themselves.
 */
export function showValue(
  tracker: Tracker,
  value: Value,
  number: (n: number) => string,
): Message | string {
  switch (tracker.kind) {
    case 'yesno':
      return { id: value === true ? 'checkins.checkin.show.yes' : 'checkins.checkin.show.no' };
    case 'duration': {
      const total = typeof value === 'number' ? value : 0;
      const h = Math.floor(total / 60);
      const m = total - h * 60;
      if (h > 0 && m > 0)
        return {
          id: 'checkins.checkin.show.durationHoursMinutes',
          values: { hours: h, minutes: m },
        };
      return h > 0
        ? { id: 'checkins.checkin.show.durationHours', values: { hours: h } }
        : { id: 'checkins.checkin.show.durationMinutes', values: { minutes: m } };
    }
    case 'scale':
      return {
        id: 'checkins.checkin.show.scale',
        values: { value: String(value), max: tracker.scale?.max ?? 5 },
      };
    case 'number':
      return tracker.unit
        ? {
            id: 'checkins.checkin.show.numberUnit',
            values: { value: number(Number(value)), unit: tracker.unit },
          }
        : number(Number(value));
    case 'tags':
      return Array.isArray(value) ? value.join(', ') : String(value);
    default:
      return String(value);
  }
}

/** Check-ins by the device-local day they are about, newest day first (order within kept). */
export function byDay(checkins: readonly Checkin[]): { date: string; checkins: Checkin[] }[] {
  const days: { date: string; checkins: Checkin[] }[] = [];
  for (const c of checkins) {
    const date = localParts(new Date(c.at)).date;
    const day = days.find((d) => d.date === date);
    if (day) day.checkins.push(c);
    else days.push({ date, checkins: [c] });
  }
  return days.sort((a, b) => b.date.localeCompare(a.date));
}

/** The local date `days` days before `now` (YYYY-MM-DD). */
export function localDateBefore(now: Date, days: number): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - days, 12);
  return localParts(d).date;
}

/**
 * The parts of the check-in the person answers most (in their last `last` check-ins) first;
 * parts answered equally often keep their usual order.
 */
export function orderByUse<G extends { trackers: readonly Tracker[] }>(
  groups: readonly G[],
  checkins: readonly Checkin[],
  last = 30,
): G[] {
  const recentOnes = checkins.slice(0, last);
  const uses = groups.map(
    (g) => recentOnes.filter((c) => g.trackers.some((t) => c.values[t.id] !== undefined)).length,
  );
  return groups
    .map((g, i) => ({ g, i, n: uses[i] ?? 0 }))
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .map((x) => x.g);
}
