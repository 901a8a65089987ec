/**
 * Pure helpers of recurring help, one occurrence at a time (ui/Occurrences.svelte, /aid/mine):
 * an occurrence's date and time in the viewer's zone (and the post's, when that reads
 * differently), what the viewer may do with that one (respond, the lifecycle's changes, thanks),
 * responses grouped by occurrence, and how many dates to show before "show later dates".
 */
import type { AidStatus } from '$core/aid/lifecycle';
import type { PostPageWire, ResponseWire } from './api';
import { statusActions, type Roles, type StatusAction } from './view';

export type OccurrenceWire = PostPageWire['occurrences'][number];
type Post = Pick<PostPageWire, 'kind' | 'status' | 'mine' | 'when'>;

/** Dates shown at first, and added by each "show later dates". */
export const OCCURRENCES_PAGE = 8;

/** How many of `total` dates to show after `more` presses of "show later dates". */
export const shownCount = (total: number, more: number): number =>
  Math.min(total, OCCURRENCES_PAGE * (more + 1));

function format(iso: string, locale: string, timeZone: string | undefined, zoneName: boolean) {
  try {
    return new Intl.DateTimeFormat(locale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: 'numeric',
      minute: '2-digit',
      ...(timeZone === undefined ? {} : { timeZone }),
      ...(zoneName ? { timeZoneName: 'short' } : {}),
    }).format(new Date(iso));
  } catch {
    // A zone this browser doesn't know: the viewer's own time only.
    return null;
  }
}

/**
 * An occurrence's start in the viewer's words (`mine`, in their zone), and in the post's zone
 * (`theirs`, with the zone's name) only when it reads differently there; null when the same.
 */
export function occurrenceTimes(
  startIso: string,
  postZone: string | null,
  locale: string,
  viewerZone?: string,
): { mine: string; theirs: string | null } {
  const mine = format(startIso, locale, viewerZone, false) ?? startIso;
  if (postZone === null) return { mine, theirs: null };
  const there = format(startIso, locale, postZone, false);
  if (there === null || there === mine) return { mine, theirs: null };
  return { mine, theirs: format(startIso, locale, postZone, true) };
}

/** The time zone a recurring post's dates are kept in, or null for any other post. */
export const postZone = (p: Pick<PostPageWire, 'when'>): string | null =>
  p.when.kind === 'recurring' ? p.when.timeZone : null;

/** May I respond ("I can help with this one" / "I'd like this one") to this occurrence? */
export const mayRespondTo = (p: Post, o: OccurrenceWire): boolean =>
  !p.mine && p.status === 'open' && o.status === 'open' && !o.past && o.myResponse === null;

/** The one who asked (a need's author, an offer's receiver) thanks once this one is done. */
export const mayThankFor = (p: Post, o: OccurrenceWire): boolean =>
  o.status === 'done' && !o.thanksSent && (p.kind === 'need' ? p.mine : o.partnerIsMe);

/** The author chooses among live responses to this occurrence while it is open. */
export const mayChooseFor = (p: Post, o: OccurrenceWire): boolean =>
  p.mine && p.status === 'open' && o.status === 'open' && !o.past;

const OCCURRENCE_WORDS: Partial<Record<string, string>> = {
  'aid.status.action.withdraw': 'aid.occurrences.notThisTime',
  'aid.status.action.metElsewhere': 'aid.occurrences.metElsewhere',
  'aid.status.action.stillNeeded': 'aid.occurrences.openAgain',
  'aid.status.action.reopen': 'aid.occurrences.openAgain',
};

/**
 * The lifecycle's changes I may make to one occurrence (the same machine as a whole post's:
 * `statusActions`), worded for one date — "not needed this time" rather than withdrawing the
 * post. None while the post itself is closed (its dates cannot change then).
 */
export function occurrenceActions(p: Post, o: OccurrenceWire, roles: Roles): StatusAction[] {
  if (p.status !== 'open' && p.status !== 'helping') return [];
  const status: AidStatus = o.status;
  return statusActions(
    { kind: p.kind, status, mine: p.mine, partnerIsMe: o.partnerIsMe },
    roles,
  ).map((a) => {
    const words =
      a.to === 'withdrawn' && p.kind === 'offer'
        ? 'aid.occurrences.notOfferedThisTime'
        : (OCCURRENCE_WORDS[a.words] ?? a.words);
    return { ...a, words };
  });
}

/** Responses to each occurrence (the whole post's are under null), in the order given. */
export function responsesByOccurrence(
  responses: readonly ResponseWire[],
): Map<string | null, ResponseWire[]> {
  const out = new Map<string | null, ResponseWire[]>();
  for (const r of responses) {
    const list = out.get(r.occurrenceId) ?? [];
    list.push(r);
    out.set(r.occurrenceId, list);
  }
  return out;
}

/** The start an occurrence id names (`<post id>.<YYYYMMDDTHHMMSSZ>`, UTC), as ISO; else null. */
export function occurrenceStart(occurrenceId: string | null): string | null {
  if (occurrenceId === null) return null;
  const m = /\.(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(occurrenceId);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
  return Number.isNaN(Date.parse(iso)) ? null : new Date(iso).toISOString();
}
