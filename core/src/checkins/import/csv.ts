/**
 * Bringing history in from Daylio, Bearable and eMoods CSV exports, and saving check-ins as CSV
 * or JSON. Imports are all-or-nothing: either a preview of every tracker and check-in to add, or
 * one typed error naming the line. The column formats are in fixtures/README.md.
 */
import Papa from 'papaparse';
import { err, ok, type Result } from '../../result.js';
import {
  LIMITS,
  checkinSchema,
  trackerSchema,
  type Checkin,
  type Tracker,
  type Value,
} from '../schema.js';

export const IMPORT_FORMATS = ['daylio', 'bearable', 'emoods'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Largest CSV accepted (about 20 years of several entries a day). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export type ImportError =
  | { readonly code: 'too_large'; readonly bytes: number }
  | { readonly code: 'empty' }
  | { readonly code: 'not_csv'; readonly line: number; readonly message: string }
  | { readonly code: 'missing_columns'; readonly line: 1; readonly missing: readonly string[] }
  | { readonly code: 'bad_date'; readonly line: number; readonly value: string }
  | { readonly code: 'bad_value'; readonly line: number; readonly column: string };

export interface ImportPreview {
  readonly format: ImportFormat;
  /** Trackers to create (named from the file's own columns, labels and categories). */
  readonly trackers: readonly Tracker[];
  readonly checkins: readonly Checkin[];
  /** First and last local date, and how many rows became check-ins. */
  readonly from: string;
  readonly to: string;
  readonly rows: number;
}

export interface ImportOptions {
  /** Offset of the person's time zone in minutes, for times written without one. Default 0. */
  readonly offsetMinutes?: number;
  readonly now: string;
  readonly newId?: () => string;
}

type Row = Record<string, string>;
interface Parsed {
  readonly rows: readonly Row[];
  /** 1-based line of each row in the file (the header is line 1). */
  readonly lines: readonly number[];
}

const norm = (h: string) => h.trim().toLowerCase();

function parse(text: string, required: readonly string[]): Result<Parsed, ImportError> {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_IMPORT_BYTES) return err({ code: 'too_large', bytes });
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trim()) return err({ code: 'empty' });
  const result = Papa.parse<string[]>(body, { delimiter: ',', skipEmptyLines: 'greedy' });
  const first = result.errors[0];
  if (first) {
    return err({ code: 'not_csv', line: (first.row ?? 0) + 1, message: first.message });
  }
  const [header, ...data] = result.data;
  if (!header) return err({ code: 'empty' });
  const names = header.map(norm);
  const missing = required.filter((r) => !names.includes(r));
  if (missing.length) return err({ code: 'missing_columns', line: 1, missing });
  // Lines as written (a quoted cell may span lines): count newlines before each row.
  const lines: number[] = [];
  let line = 2;
  const rows = data.map((cells) => {
    lines.push(line);
    line += 1 + cells.reduce((n, c) => n + (c.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    const row: Row = {};
    names.forEach((n, i) => (row[n] = (cells[i] ?? '').replace(/\r\n?/g, '\n').trim()));
    return row;
  });
  return ok({ rows, lines });
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function isoDate(value: string): string | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? undefined : value;
}

/** "21:05", "9:05", "9:05 pm", "12:00 AM" → "HH:MM", or undefined. */
function isoTime(value: string): string | undefined {
  if (!value) return '12:00';
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?\s*([ap]\.?m\.?)?$/i.exec(value);
  if (!m) return undefined;
  let h = Number(m[1]);
  const min = Number(m[2]);
  if (m[3]) {
    if (h < 1 || h > 12) return undefined;
    const pm = m[3].toLowerCase().startsWith('p');
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const newIdDefault = () => globalThis.crypto.randomUUID();

/** A number written with a dot or a comma as decimal mark, or undefined. */
function num(value: string): number | undefined {
  if (!/^-?\d+([.,]\d+)?$/.test(value)) return undefined;
  const n = Number(value.replace(',', '.'));
  return Number.isFinite(n) && Math.abs(n) <= LIMITS.numberAbs ? n : undefined;
}

/** Cuts a name from the file to a tracker name (one line, not empty, length-limited). */
const nameOf = (text: string) =>
  text
    .replace(/[\r\n]+/g, ' ')
    .trim()
    .slice(0, LIMITS.name) || '?';
const tagOf = (text: string) =>
  text
    .replace(/[\r\n]+/g, ' ')
    .trim()
    .slice(0, LIMITS.tag);

class Builder {
  readonly trackers: Tracker[] = [];
  readonly byName = new Map<string, Tracker>();
  readonly checkins: Checkin[] = [];
  dates: string[] = [];
  /** The line being read, for errors about what it made. */
  line = 1;
  readonly madeOn = new Map<Tracker, number>();
  readonly checkinLines: number[] = [];
  constructor(readonly options: ImportOptions) {}
  id(): string {
    return (this.options.newId ?? newIdDefault)();
  }
  tracker(name: string, kind: Tracker['kind'], extra: Partial<Tracker> = {}): Tracker {
    const key = `${kind}:${name}`;
    let t = this.byName.get(key);
    if (!t) {
      const now = this.options.now;
      t = {
        v: 1,
        id: this.id(),
        name,
        kind,
        archived: false,
        createdAt: now,
        updatedAt: now,
        ...extra,
      };
      this.byName.set(key, t);
      this.madeOn.set(t, this.line);
      this.trackers.push(t);
    }
    return t;
  }
  addTag(t: Tracker, tag: string) {
    if (t.tags && !t.tags.includes(tag) && t.tags.length < LIMITS.tags) t.tags.push(tag);
  }
  checkin(date: string, time: string, values: Record<string, Value>, note: string) {
    const at = `${date}T${time}:00${offsetText(this.options.offsetMinutes ?? 0)}`;
    const c: Checkin = { v: 1, id: this.id(), at, values, updatedAt: this.options.now };
    if (note) c.note = note.slice(0, LIMITS.note);
    this.checkins.push(c);
    this.checkinLines.push(this.line);
    this.dates.push(date);
  }
  finish(format: ImportFormat, rows: number): Result<ImportPreview, ImportError> {
    // What the file's words made must be valid items; if not, name the line that made it.
    for (const t of this.trackers) {
      if (!trackerSchema.safeParse(t).success) {
        return err({ code: 'bad_value', line: this.madeOn.get(t) ?? 1, column: 'name' });
      }
    }
    for (const [i, c] of this.checkins.entries()) {
      if (!checkinSchema.safeParse(c).success) {
        return err({ code: 'bad_value', line: this.checkinLines[i]!, column: 'values' });
      }
    }
    const sorted = [...this.dates].sort();
    if (!sorted.length) return err({ code: 'empty' });
    return ok({
      format,
      trackers: this.trackers,
      checkins: this.checkins,
      from: sorted[0]!,
      to: sorted.at(-1)!,
      rows,
    });
  }
}

const DAYLIO_MOODS: Record<string, number> = { rad: 5, good: 4, meh: 3, bad: 2, awful: 1 };

function daylio(p: Parsed, b: Builder): Result<true, ImportError> {
  const mood = b.tracker('Mood (from Daylio)', 'scale', {
    group: 'feeling',
    scale: { min: 1, max: 5, lowLabel: 'awful', highLabel: 'rad' },
  });
  const activities = b.tracker('Activities (from Daylio)', 'tags', { group: 'doing', tags: [] });
  for (const [k, row] of p.rows.entries()) {
    const line = p.lines[k]!;
    b.line = line;
    const date = isoDate(row.full_date!);
    if (!date) return err({ code: 'bad_date', line, value: row.full_date! });
    const time = isoTime(row.time ?? '');
    if (!time) return err({ code: 'bad_date', line, value: row.time! });
    const values: Record<string, Value> = {};
    if (row.mood) {
      const m = DAYLIO_MOODS[row.mood.toLowerCase()];
      if (m === undefined) return err({ code: 'bad_value', line, column: 'mood' });
      values[mood.id] = m;
    }
    const tags = (row.activities ?? '')
      .split('|')
      .map(tagOf)
      .filter(Boolean)
      .slice(0, LIMITS.valueTags);
    if (tags.length) {
      values[activities.id] = [...new Set(tags)];
      for (const t of tags) b.addTag(activities, t);
    }
    const note = [row.note_title, row.note].filter(Boolean).join('\n\n');
    b.checkin(date, time, values, note);
  }
  return ok(true);
}

/** Bearable's parts of the day, as times (the middle of each part). */
const BEARABLE_PARTS: Record<string, string> = {
  pre: '03:00',
  am: '09:00',
  mid: '14:00',
  pm: '20:00',
};

function bearable(p: Parsed, b: Builder): Result<true, ImportError> {
  // One row per entry; entries of one date and time of day become one check-in.
  const groups = new Map<
    string,
    { date: string; time: string; line: number; values: Record<string, Value>; notes: string[] }
  >();
  for (const [k, row] of p.rows.entries()) {
    const line = p.lines[k]!;
    b.line = line;
    const date = isoDate(row.date!);
    if (!date) return err({ code: 'bad_date', line, value: row.date! });
    const part = (row['time of day'] ?? '').toLowerCase();
    const time = BEARABLE_PARTS[part] ?? isoTime(part);
    if (!time) return err({ code: 'bad_date', line, value: row['time of day']! });
    const category = nameOf(row.category!);
    const detail = row.detail ?? '';
    const amount = row['rating/amount'] ?? '';
    const key = `${date} ${time}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { date, time, line, values: {}, notes: [] }));
    if (amount) {
      const n = num(amount);
      if (n === undefined) return err({ code: 'bad_value', line, column: 'rating/amount' });
      const t = b.tracker(nameOf(detail || category), 'number', { group: 'other' });
      g.values[t.id] = n;
    } else if (detail) {
      const t = b.tracker(category, 'tags', { group: 'doing', tags: [] });
      const tag = tagOf(detail);
      b.addTag(t, tag);
      const list = (g.values[t.id] as string[] | undefined) ?? [];
      if (!list.includes(tag) && list.length < LIMITS.valueTags) list.push(tag);
      g.values[t.id] = list;
    }
    if (row.notes) g.notes.push(row.notes);
  }
  for (const g of groups.values()) {
    b.line = g.line;
    b.checkin(g.date, g.time, g.values, g.notes.join('\n\n'));
  }
  return ok(true);
}

function emoods(p: Parsed, b: Builder, columns: readonly string[]): Result<true, ImportError> {
  const numeric = columns.filter((c) => c !== 'date' && c !== 'notes');
  const trackers = numeric.map((c) =>
    b.tracker(nameOf(c.replace(/_/g, ' ').replace(/^./, (x) => x.toUpperCase())), 'number', {
      group: 'other',
    }),
  );
  for (const [k, row] of p.rows.entries()) {
    const line = p.lines[k]!;
    b.line = line;
    const date = isoDate(row.date!);
    if (!date) return err({ code: 'bad_date', line, value: row.date! });
    const values: Record<string, Value> = {};
    for (const [i, c] of numeric.entries()) {
      if (!row[c]) continue;
      const n = num(row[c]);
      if (n === undefined) return err({ code: 'bad_value', line, column: c });
      values[trackers[i]!.id] = n;
    }
    b.checkin(date, '12:00', values, row.notes ?? '');
  }
  return ok(true);
}

const REQUIRED: Record<ImportFormat, readonly string[]> = {
  daylio: ['full_date', 'time', 'mood', 'activities'],
  bearable: ['date', 'category', 'rating/amount', 'detail'],
  emoods: ['date'],
};

/** Reads a CSV export into a preview of the trackers and check-ins it would add. */
export function importCsv(
  format: ImportFormat,
  text: string,
  options: ImportOptions,
): Result<ImportPreview, ImportError> {
  const parsed = parse(text, REQUIRED[format]);
  if (!parsed.ok) return parsed;
  const b = new Builder(options);
  const columns = Object.keys(parsed.value.rows[0] ?? {});
  if (format === 'emoods' && columns.filter((c) => c !== 'date' && c !== 'notes').length === 0) {
    return err({ code: 'missing_columns', line: 1, missing: ['(a column of numbers)'] });
  }
  const done =
    format === 'daylio'
      ? daylio(parsed.value, b)
      : format === 'bearable'
        ? bearable(parsed.value, b)
        : emoods(parsed.value, b, columns);
  if (!done.ok) return done;
  return b.finish(format, parsed.value.rows.length);
}

/**
 * Check-ins as CSV: `at`, one column per tracker (by name, in the given order), `note`. Tags are
 * joined with " | ". Cells that a spreadsheet would run as a formula are escaped.
 */
export function toCsv(checkins: readonly Checkin[], trackers: readonly Tracker[]): string {
  const fields = ['at', ...trackers.map((t) => t.name), 'note'];
  const data = [...checkins]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((c) => [
      c.at,
      ...trackers.map((t) => {
        const v = c.values[t.id];
        return v === undefined
          ? ''
          : Array.isArray(v)
            ? v.join(' | ')
            : typeof v === 'boolean'
              ? v
                ? 'yes'
                : 'no'
              : String(v);
      }),
      c.note ?? '',
    ]);
  return Papa.unparse({ fields, data }, { escapeFormulae: true, newline: '\r\n' });
}

/** Check-ins and trackers as JSON (format `tend-checkins`, version 1). */
export function toJson(checkins: readonly Checkin[], trackers: readonly Tracker[]): string {
  return JSON.stringify({ format: 'tend-checkins', version: 1, trackers, checkins }, null, 2);
}
