/**
 * Pure helpers for the meetings pages: when and where a meeting is, for this viewer (times by
 * core/src/groups/when.ts in the viewer's own zone), and merging the answer to an RSVP into what
 * is shown.
 */
import { formatWhen, type Viewer, type When, type WhenWords } from '$core/groups/when';
import type { OccurrenceWire } from '$core/groups/meetings-api';

export type Where =
  | { readonly kind: 'place'; readonly place: string }
  | { readonly kind: 'link'; readonly link: string }
  /** Online, and the link appears once I say I'm going. */
  | { readonly kind: 'online-hidden' }
  /** A visitor sees the format only. */
  | { readonly kind: 'visitor-in-person' };

export function whereOf(o: OccurrenceWire): Where {
  if (o.format === 'online') {
    return o.onlineLink === null ? { kind: 'online-hidden' } : { kind: 'link', link: o.onlineLink };
  }
  return o.place === null ? { kind: 'visitor-in-person' } : { kind: 'place', place: o.place };
}

export function whenOf(o: OccurrenceWire, viewer: Viewer, words?: WhenWords): When {
  return formatWhen(
    { start: o.start, end: o.end, groupTimeZone: o.timeZone, cancelled: o.cancelled },
    viewer,
    words,
  );
}

/** The shown occurrences with any answered ones replaced (an RSVP answers with the series). */
export function mergeOccurrences(
  shown: readonly OccurrenceWire[],
  updated: readonly OccurrenceWire[],
): OccurrenceWire[] {
  const byId = new Map(updated.map((o) => [o.occurrenceId, o]));
  return shown.map((o) => byId.get(o.occurrenceId) ?? o);
}

/** Whether a link is safe to put in an href: https only (the server allows nothing else). */
export function isMeetingLink(link: string): boolean {
  try {
    return new URL(link).protocol === 'https:';
  } catch {
    return false;
  }
}

/** A local date-time (YYYY-MM-DDTHH:MM) of an instant in a zone, for the "move" form. */
export function localInput(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}
