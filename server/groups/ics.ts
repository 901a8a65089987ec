/**
 * A group's calendar feed as iCalendar (RFC 5545), rendered with ical-generator. Pure: the caller
 * expands the group's meeting series (core/src/groups/recurrence.ts) over a window and passes the
 * occurrences with their words.
 *
 * - One VEVENT per occurrence, with UTC DTSTART/DTEND (no RRULE, no VTIMEZONE): every calendar
 *   app shows exactly the instants Tend computed, whatever its own recurrence or time-zone rules.
 * - UID `<occurrenceId>@<instance host>`: stable, and unchanged when an occurrence is moved, so a
 *   calendar updates the entry instead of adding another.
 * - Cancelled occurrences stay in the feed with STATUS:CANCELLED and "Cancelled: " before their
 *   title (a calendar then marks or removes them, rather than a meeting silently vanishing, and
 *   one that ignores STATUS still says it); SEQUENCE is the occurrence's
 *   (0, or its override's revision), so a moved or cancelled meeting replaces the old entry.
 * - X-WR-CALNAME names the calendar; REFRESH-INTERVAL and X-PUBLISHED-TTL ask apps to check
 *   again (hourly by default).
 *
 * The feed is per person: an online meeting's link is included only for members who RSVPed to
 * that meeting (the caller decides, per occurrence, what goes in `description`, `location` and
 * `url`). So a feed URL is a private, revocable token for one member, never one shared URL per
 * group.
 */
import ical, { ICalEventStatus } from 'ical-generator';
import type { Occurrence } from '../../core/src/groups/recurrence.js';

export interface FeedEvent {
  readonly occurrence: Occurrence;
  /** The meeting's title. */
  readonly summary: string;
  readonly description?: string;
  /** A place (or a link, when the caller has decided this person may see it). */
  readonly location?: string;
  readonly url?: string;
}

export interface GroupFeed {
  /** The calendar's name, e.g. the group's name. */
  readonly name: string;
  /** The instance's host name (from PUBLIC_URL), the right-hand side of every UID. */
  readonly host: string;
  readonly events: readonly FeedEvent[];
  /** DTSTAMP of every event: when the feed was made. */
  readonly generatedAt: Date;
  /** How often calendar apps should refresh, in minutes (default 60, at least 15). */
  readonly refreshMinutes?: number;
  /** The words the feed adds (the person's language; English by default). */
  readonly words?: FeedWords;
}

export const feedWordsEn = {
  /**
   * A cancelled meeting's title. Some calendar apps ignore STATUS:CANCELLED in a subscribed
   * feed, so the title says it too: nobody should travel to a meeting that is not happening.
   */
  cancelled: (summary: string) => `Cancelled: ${summary}`,
};

export type FeedWords = typeof feedWordsEn;

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/;

/**
 * The host part of a URL's authority (`tend.example.org`, `localhost:5173`, `[::1]:3000`)
 * without its port, lower-cased; null when it is not one.
 */
export function uidHost(authority: string): string | null {
  const host = authority.replace(/:\d{1,5}$/, '');
  return HOST_NAME.test(host) || IPV6.test(host) ? host.toLowerCase() : null;
}

/**
 * The feed as text/calendar. Throws on a host that is not a host name: pass PUBLIC_URL's host
 * (`uidHost` checks one), never an unchecked Host header.
 */
export function renderGroupFeed(feed: GroupFeed): string {
  const host = uidHost(feed.host);
  if (host === null) throw new TypeError('host is not a host name');
  const refreshMinutes = Math.max(15, Math.round(feed.refreshMinutes ?? 60));
  const calendar = ical({
    name: feed.name,
    prodId: { company: 'Tend', product: 'Tend groups', language: 'EN' },
    ttl: refreshMinutes * 60,
  });
  const words = feed.words ?? feedWordsEn;
  for (const { occurrence: o, summary, description, location, url } of feed.events) {
    const note = o.note ? o.note : null;
    const text = [description, note].filter((t): t is string => !!t).join('\n\n');
    calendar.createEvent({
      id: `${o.occurrenceId}@${host}`,
      start: new Date(o.start),
      end: new Date(o.end),
      stamp: feed.generatedAt,
      summary: o.cancelled ? words.cancelled(summary) : summary,
      sequence: o.sequence,
      status: o.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      ...(text ? { description: text } : {}),
      ...((o.location ?? location) ? { location: o.location ?? location } : {}),
      ...(url ? { url } : {}),
    });
  }
  // RFC 5545 ends every content line, the last one too, with CRLF; ical-generator leaves it off.
  const out = calendar.toString();
  return out.endsWith('\r\n') ? out : `${out}\r\n`;
}
