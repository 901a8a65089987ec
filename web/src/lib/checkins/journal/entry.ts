/**
 * The journal page's logic, kept out of the component so it can be tested: turning the form
 * (Markdown, an optional content warning, an optional check-in, a date and time that may be in
 * the past) into a `checkin.journal` item, reading an entry back into the form, and naming a
 * check-in by a few of its values.
 */
import {
  LIMITS,
  journalSchema,
  type Checkin,
  type JournalEntry,
  type Tracker,
  type Value,
} from '$core/checkins/index';

export interface JournalForm {
  readonly body: string;
  readonly contentWarning: string;
  /** '' when the entry is not attached to a check-in. */
  readonly checkinId: string;
  /** YYYY-MM-DD and HH:MM in the device's own time. */
  readonly date: string;
  readonly time: string;
}

export type JournalField = 'body' | 'contentWarning' | 'when';
export type JournalFormErrors = Partial<Record<JournalField, string>>;

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment as the date and time inputs show it, in the device's own time. */
export function toInputs(at: string | number | Date): { date: string; time: string } {
  const d = new Date(at);
  return {
    date: `${String(d.getFullYear()).padStart(4, '0')}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  };
}

/** The date and time inputs (device time) as an ISO moment, or undefined if they are not one. */
export function fromInputs(date: string, time: string): string | undefined {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const tm = /^(\d{2}):(\d{2})$/.exec(time);
  if (!dm || !tm) return undefined;
  const [y, mo, d, h, mi] = [dm[1], dm[2], dm[3], tm[1], tm[2]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const when = new Date(y, mo - 1, d, h, mi);
  // Reject dates that roll over (31 February) and times past 23:59.
  if (
    Number.isNaN(when.getTime()) ||
    when.getFullYear() !== y ||
    when.getMonth() !== mo - 1 ||
    when.getDate() !== d ||
    h > 23 ||
    mi > 59
  ) {
    return undefined;
  }
  return when.toISOString();
}

/** An empty form for a new entry written now. */
export function emptyForm(now: string | number | Date, checkinId = ''): JournalForm {
  return { body: '', contentWarning: '', checkinId, ...toInputs(now) };
}

/** An entry read back into the form, to edit it. */
export function formOf(entry: JournalEntry): JournalForm {
  return {
    body: entry.body,
    contentWarning: entry.contentWarning ?? '',
    checkinId: entry.checkinId ?? '',
    ...toInputs(entry.at),
  };
}

/** Whether the form holds anything the person wrote that is not in `saved` (or, new, at all). */
export function hasUnsavedWords(form: JournalForm, saved: JournalForm | null): boolean {
  if (saved === null) return form.body.trim() !== '' || form.contentWarning.trim() !== '';
  return (
    form.body !== saved.body ||
    form.contentWarning !== saved.contentWarning ||
    form.checkinId !== saved.checkinId ||
    form.date !== saved.date ||
    form.time !== saved.time
  );
}

export type BuildResult =
  | { readonly ok: true; readonly entry: JournalEntry }
  | { readonly ok: false; readonly errors: JournalFormErrors };

/**
 * The form as a journal entry (message ids for what does not fit). Editing keeps the entry's id;
 * `updatedAt` is always `now`. A content warning is trimmed and left out when empty.
 */
export function buildEntry(
  form: JournalForm,
  options: { readonly id: string; readonly now: string; readonly checkinIds?: ReadonlySet<string> },
): BuildResult {
  const errors: JournalFormErrors = {};
  if (form.body.trim() === '') errors.body = 'checkins.journal.error.empty';
  else if (form.body.length > LIMITS.body) errors.body = 'checkins.journal.error.tooLong';
  const warning = form.contentWarning.replace(/[\r\n]+/g, ' ').trim();
  if (warning.length > LIMITS.contentWarning) {
    errors.contentWarning = 'checkins.journal.error.warningTooLong';
  }
  const at = fromInputs(form.date, form.time);
  if (at === undefined) errors.when = 'checkins.journal.error.when';
  if (Object.keys(errors).length > 0 || at === undefined) return { ok: false, errors };
  const entry: JournalEntry = {
    v: 1,
    id: options.id,
    at,
    body: form.body,
    updatedAt: options.now,
  };
  const attach =
    form.checkinId && (!options.checkinIds || options.checkinIds.has(form.checkinId))
      ? form.checkinId
      : '';
  if (attach) entry.checkinId = attach;
  if (warning) entry.contentWarning = warning;
  const checked = journalSchema.safeParse(entry);
  if (!checked.success) return { ok: false, errors: { body: 'checkins.journal.error.invalid' } };
  return { ok: true, entry };
}

export interface ValueWords {
  readonly yes: string;
  readonly no: string;
  readonly number: (n: number) => string;
}

/** One value as a short text (tags joined, yes/no in words, numbers by the locale). */
export function valueText(value: Value, words: ValueWords): string {
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (typeof value === 'number') return words.number(value);
  if (Array.isArray(value)) return value.join(', ');
  return value;
}

const SHORT = 40;
const cut = (s: string) => (s.length > SHORT ? `${s.slice(0, SHORT - 1)}…` : s);

/**
 * A few of a check-in's values ("How I am: 4", "a walk: yes"), in the trackers' order, to tell
 * check-ins apart when choosing one; text values are shortened.
 */
export function checkinValues(
  checkin: Checkin,
  trackers: readonly Tracker[],
  words: ValueWords,
  max = 3,
): string[] {
  const out: string[] = [];
  for (const t of trackers) {
    const v = checkin.values[t.id];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out.push(`${t.name}: ${cut(valueText(v, words))}`);
    if (out.length >= max) break;
  }
  return out;
}

/** The check-ins offered to attach an entry to: the newest `count`, plus the one already chosen. */
export function attachChoices(
  checkins: readonly Checkin[],
  chosen: string,
  count = 20,
): readonly Checkin[] {
  const recent = checkins.slice(0, count);
  if (!chosen || recent.some((c) => c.id === chosen)) return recent;
  const extra = checkins.find((c) => c.id === chosen);
  return extra ? [...recent, extra] : recent;
}
