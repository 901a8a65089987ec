/**
 * When a meeting is, in words for the person looking: its date, time and time zone in the
 * viewer's own zone, and — when the group's clock shows a different date or time — the same in
 * the group's zone too ("also shown in the group's zone"). Uses Intl.DateTimeFormat only, so the
 * web app needs no Temporal for it.
 *
 * Words live in one messages object (`whenWordsEn`) so they can move to i18n; dates and times
 * follow the viewer's locale.
 */

export interface WhenInput {
  /** UTC ISO instants (an Occurrence's `start` and `end`). */
  readonly start: string;
  readonly end: string;
  /** The group's (the series') IANA time zone. */
  readonly groupTimeZone: string;
  readonly cancelled?: boolean;
  readonly moved?: boolean;
  /** Where a moved meeting was first set (an Occurrence's `originalStart`). */
  readonly originalStart?: string;
}

export interface Viewer {
  /** The viewer's IANA time zone (e.g. from Intl.DateTimeFormat().resolvedOptions().timeZone). */
  readonly timeZone: string;
  /** BCP 47 locale for dates and times; the runtime's when absent. */
  readonly locale?: string;
}

export interface WhenParts {
  /** "Tuesday 31 March 2026" (in the locale's way). */
  readonly date: string;
  /** "19:00–20:30", or "7:00 – 8:30 PM"; with weekdays when it runs past midnight. */
  readonly time: string;
  /** The zone's name at that time: "British Summer Time". */
  readonly zone: string;
  /** The zone's IANA id, as used. */
  readonly timeZone: string;
  /** All three in one line. */
  readonly text: string;
}

export interface When extends WhenParts {
  /** The same meeting by the group's clock, when that shows another date or time; else null. */
  readonly inGroupZone: WhenParts | null;
  /** "Cancelled", "Moved from …", or null. */
  readonly status: string | null;
}

export const whenWordsEn = {
  line: (date: string, time: string, zone: string) => `${date}, ${time} (${zone})`,
  inGroupZone: (text: string) => `In the group's time zone: ${text}`,
  cancelled: 'Cancelled',
  movedFrom: (text: string) => `Moved from ${text}`,
};

export type WhenWords = typeof whenWordsEn;

function usableZone(...zones: string[]): string {
  for (const zone of zones) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return zone;
    } catch {
      // try the next
    }
  }
  return 'UTC';
}

function dateText(at: Date, timeZone: string, locale: string | undefined): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(at);
}

function zoneName(at: Date, timeZone: string, locale: string | undefined): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'long' }).formatToParts(
    at,
  );
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

function partsIn(
  start: Date,
  end: Date,
  timeZone: string,
  locale: string | undefined,
  words: WhenWords,
): WhenParts {
  const date = dateText(start, timeZone, locale);
  const sameDay = dateText(end, timeZone, locale) === date;
  const time = new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: 'numeric',
    minute: '2-digit',
    ...(sameDay ? {} : { weekday: 'short' }),
  }).formatRange(start, end);
  const zone = zoneName(start, timeZone, locale);
  return { date, time, zone, timeZone, text: words.line(date, time, zone) };
}

/** The meeting's time for this viewer (see the module's comment). */
export function formatWhen(input: WhenInput, viewer: Viewer, words: WhenWords = whenWordsEn): When {
  const start = new Date(input.start);
  const end = new Date(input.end);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end < start) {
    throw new RangeError('start and end must be instants, in order');
  }
  const groupZone = usableZone(input.groupTimeZone);
  const viewerZone = usableZone(viewer.timeZone, groupZone);
  const mine = partsIn(start, end, viewerZone, viewer.locale, words);
  const theirs = partsIn(start, end, groupZone, viewer.locale, words);
  const differs = mine.date !== theirs.date || mine.time !== theirs.time;
  let status: string | null = null;
  if (input.cancelled) status = words.cancelled;
  else if (input.moved && input.originalStart) {
    const was = new Date(input.originalStart);
    if (!Number.isNaN(was.getTime())) {
      const length = end.getTime() - start.getTime();
      status = words.movedFrom(
        partsIn(was, new Date(was.getTime() + length), viewerZone, viewer.locale, words).text,
      );
    }
  }
  return {
    ...mine,
    inGroupZone: differs ? { ...theirs, text: words.inGroupZone(theirs.text) } : null,
    status,
  };
}
