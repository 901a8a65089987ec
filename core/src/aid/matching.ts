/**
 * Matching on the mutual aid board (docs/AID.md, "Matching"), pure: given a post (a need or an
 * offer) and candidate posts of the other kind, which of them match, best first; and may someone
 * be told about new matches now, given the rate they chose.
 *
 * A need and an offer match when all of these hold:
 * - same community and same category;
 * - both still on the board (open; an offer that is `helping` someone may still have room, and
 *   recurring help has other occurrences, so `helping` counts for offers too);
 * - different people (never one's own post), and no block between them;
 * - their times overlap: some interval of one overlaps some interval of the other (half-open
 *   [start, end), so a ride ending at 10:00 does not meet one starting at 10:00);
 * - their areas are within reach: either is "anywhere" (no zone), or the distance between the two
 *   zone centres is at most the larger of the two reaches (one of them can travel that far).
 *
 * The server pre-filters with SQL and runs `findMatches` on what is left (docs/AID.md): the same
 * community, kind, category and status; `area_id IS NULL OR area_id IN (zones within
 * AID_LIMITS.maxReachKm of this post's zone)`; `starts_at < this.end AND ends_at > this.start`.
 * Each of those is implied by `isMatch`, so the pre-filter never drops a match; `findMatches`
 * decides the rest exactly.
 */
import { AID_LIMITS, type MatchNotifyRate, type PostKind } from './api.js';
import { distanceKm, type Centre } from './areas.js';
import type { AidStatus } from './lifecycle.js';
import type { Interval } from './when.js';

export interface MatchablePost {
  readonly id: string;
  readonly authorId: string;
  readonly community: string;
  readonly kind: PostKind;
  readonly category: string;
  readonly status: AidStatus;
  /** The zone's centre, or null: anywhere (online, by phone). */
  readonly centre: Centre | null;
  /** km from the zone centre the poster can travel or be reached, 0 … AID_LIMITS.maxReachKm. */
  readonly reachKm: number;
  /** The times it covers (when.ts intervalsOf), in any order. */
  readonly intervals: readonly Interval[];
  readonly urgent: boolean;
  /** Epoch ms. */
  readonly createdAt: number;
}

export interface Match {
  readonly post: MatchablePost;
  /** Between zone centres, km; null when either is "anywhere". */
  readonly distanceKm: number | null;
}

export interface MatchOptions {
  /** Accounts the poster has blocked or been blocked by (circle_blocks). */
  readonly blocked?: ReadonlySet<string>;
  /** At most this many matches, best first (default: all). */
  readonly limit?: number;
}

/** Whether the post is on the board for matching. */
export function isMatchable(p: MatchablePost): boolean {
  return p.status === 'open' || (p.kind === 'offer' && p.status === 'helping');
}

/** Whether some interval of `a` overlaps some interval of `b` (half-open). O(n log n + m log m). */
export function timesOverlap(a: readonly Interval[], b: readonly Interval[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const xs = [...a].filter((i) => i.end > i.start).sort((p, q) => p.start - q.start);
  const ys = [...b].filter((i) => i.end > i.start).sort((p, q) => p.start - q.start);
  let i = 0;
  let j = 0;
  // Sweep: intervals within one list may overlap each other, so keep the furthest end seen.
  let xEnd = -Infinity;
  let yEnd = -Infinity;
  while (i < xs.length || j < ys.length) {
    const x = xs[i];
    const y = ys[j];
    if (x && (!y || x.start <= y.start)) {
      if (x.start < yEnd) return true;
      xEnd = Math.max(xEnd, x.end);
      i++;
    } else if (y) {
      if (y.start < xEnd) return true;
      yEnd = Math.max(yEnd, y.end);
      j++;
    }
  }
  return false;
}

/**
 * Whether two posts' areas are within reach (either is anywhere, or the zone centres are at most
 * the larger reach apart), and the distance between the centres (null when either is anywhere).
 */
export function areaReach(
  a: Pick<MatchablePost, 'centre' | 'reachKm'>,
  b: Pick<MatchablePost, 'centre' | 'reachKm'>,
): { inReach: boolean; distanceKm: number | null } {
  if (a.centre === null || b.centre === null) return { inReach: true, distanceKm: null };
  const d = distanceKm(a.centre, b.centre);
  const reach = Math.min(AID_LIMITS.maxReachKm, Math.max(a.reachKm, b.reachKm));
  return { inReach: d <= reach, distanceKm: d };
}

/** Whether `candidate` matches `post` (see the module comment); `blocked` as in MatchOptions. */
export function isMatch(
  post: MatchablePost,
  candidate: MatchablePost,
  blocked: ReadonlySet<string> = new Set(),
): boolean {
  return (
    candidate.kind !== post.kind &&
    candidate.community === post.community &&
    candidate.category === post.category &&
    candidate.authorId !== post.authorId &&
    !blocked.has(candidate.authorId) &&
    isMatchable(post) &&
    isMatchable(candidate) &&
    timesOverlap(post.intervals, candidate.intervals) &&
    areaReach(post, candidate).inReach
  );
}

/**
 * The candidates that match `post`, best first: urgent needs first, then the nearest (anywhere
 * counts as 0 km), then the longest waiting, then by id (so the order is stable).
 */
export function findMatches(
  post: MatchablePost,
  candidates: Iterable<MatchablePost>,
  options: MatchOptions = {},
): Match[] {
  const blocked = options.blocked ?? new Set<string>();
  const found: Match[] = [];
  for (const c of candidates) {
    if (!isMatch(post, c, blocked)) continue;
    found.push({ post: c, distanceKm: areaReach(post, c).distanceKm });
  }
  found.sort(
    (a, b) =>
      Number(b.post.urgent) - Number(a.post.urgent) ||
      (a.distanceKm ?? 0) - (b.distanceKm ?? 0) ||
      a.post.createdAt - b.post.createdAt ||
      (a.post.id < b.post.id ? -1 : a.post.id > b.post.id ? 1 : 0),
  );
  return options.limit === undefined ? found : found.slice(0, Math.max(0, options.limit));
}

// ─── How often someone is told ──────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;

/** The least time between two notifications at each rate; null: never. */
export const RATE_PERIOD_MS: Readonly<Record<MatchNotifyRate, number | null>> = {
  never: null,
  weekly: 7 * DAY_MS,
  daily: DAY_MS,
};

/**
 * The earliest time someone may next be told of new matches: `lastToldAt` plus their rate's
 * period, now if never told, or null if they chose never.
 */
export function nextNoticeAt(rate: MatchNotifyRate, lastToldAt: number | null): number | null {
  const period = RATE_PERIOD_MS[rate];
  if (period === null) return null;
  return lastToldAt === null ? -Infinity : lastToldAt + period;
}

/**
 * May we tell this person about new matches now? Never above the rate they chose: at most one
 * notice in any period of that length. A clock that went backwards (now before the last notice)
 * is a no. Quiet hours and a pause (server/notify) apply on top of this.
 */
export function mayNotify(rate: MatchNotifyRate, lastToldAt: number | null, now: number): boolean {
  const next = nextNoticeAt(rate, lastToldAt);
  if (next === null) return false;
  if (lastToldAt !== null && now < lastToldAt) return false;
  return now >= next;
}
