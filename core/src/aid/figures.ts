/**
 * Aggregate, anonymous figures of a mutual aid board (docs/AID.md, "Figures"): needs posted and
 * met per category, area or month, and how long met needs waited — with small cells suppressed so
 * that nobody can be picked out, in the JSON and the CSV alike.
 *
 * Rules (minimum cell size k = AID_LIMITS.minCellSize = 5):
 * 1. A count from 1 to k − 1 is suppressed (null: "fewer than 5"). Zero is shown.
 * 2. "Not met" is a count too: when posted − met is from 1 to k − 1, `needsMet` is suppressed
 *    (else a category with 6 needs and 5 met would say one person's need went unmet).
 * 3. The median wait is shown only over at least k met needs, in whole hours.
 * 4. Secondary suppression: a total row (`all`) is published, so if a column has exactly one
 *    suppressed cell, its smallest other non-zero cell is suppressed too — else the total minus the
 *    others would give the hidden one back. If there is no such cell, the column's total is hidden.
 * A suppressed `needsPosted` suppresses its row's `needsMet` and wait as well.
 *
 * What counts (`countNeeds`, docs/AID.md "Figures"): a one-off need counts once, in the period
 * (and month) it was posted; met when it is done; its wait runs from posting to someone helping.
 * Recurring help counts **each occurrence** that began within the period, at or after its posting,
 * by now and before the post left the board, as one need (in the month it began); met when that
 * occurrence is done. Occurrences add no wait: help with a repeating need is arranged ahead, so a
 * wait from posting would measure how far ahead it was posted, not how long anyone waited.
 */
import Papa from 'papaparse';
import { expandSeries } from '../groups/recurrence.js';
import { AID_LIMITS, type When } from './api.js';
import type { AidStatus } from './lifecycle.js';

export interface RawFigure {
  readonly key: string;
  readonly needsPosted: number;
  readonly needsMet: number;
  /** Hours from posted to someone helping, one per met need. */
  readonly waitsHours: readonly number[];
}

export interface Figure {
  readonly key: string;
  readonly needsPosted: number | null;
  readonly needsMet: number | null;
  readonly medianWaitHours: number | null;
}

export const TOTAL_KEY = 'all';

const small = (n: number, k: number) => n > 0 && n < k;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Applies rule 4 to one column, in place. */
function secondary(raw: readonly number[], shown: (number | null)[]): void {
  if (shown.filter((v) => v === null).length !== 1) return;
  let best = -1;
  for (let i = 0; i < shown.length; i++) {
    if (shown[i] !== null && raw[i]! > 0 && (best === -1 || raw[i]! < raw[best]!)) best = i;
  }
  if (best !== -1) shown[best] = null;
}

/**
 * The published figures: one row per key (in the order given), then the total row `all`. Rows are
 * the server's counts for a period; nothing here knows who anyone is.
 */
export function suppressFigures(
  rows: readonly RawFigure[],
  k: number = AID_LIMITS.minCellSize,
): Figure[] {
  const posted: (number | null)[] = rows.map((r) =>
    small(r.needsPosted, k) ? null : r.needsPosted,
  );
  const met: (number | null)[] = rows.map((r, i) =>
    posted[i] === null || small(r.needsMet, k) || small(r.needsPosted - r.needsMet, k)
      ? null
      : r.needsMet,
  );
  secondary(
    rows.map((r) => r.needsPosted),
    posted,
  );
  for (let i = 0; i < rows.length; i++) if (posted[i] === null) met[i] = null;
  secondary(
    rows.map((r) => r.needsMet),
    met,
  );

  const out: Figure[] = rows.map((r, i) => ({
    key: r.key,
    needsPosted: posted[i]!,
    needsMet: met[i]!,
    medianWaitHours:
      met[i] !== null && r.waitsHours.length >= k ? Math.round(median(r.waitsHours)) : null,
  }));
  const total: RawFigure = {
    key: TOTAL_KEY,
    needsPosted: rows.reduce((n, r) => n + r.needsPosted, 0),
    needsMet: rows.reduce((n, r) => n + r.needsMet, 0),
    waitsHours: rows.flatMap((r) => r.waitsHours),
  };
  // A column still left with one hidden cell (no other to hide beside it): hide its total too.
  const oneHidden = (xs: readonly (number | null)[]) => xs.filter((v) => v === null).length === 1;
  const totalPosted = small(total.needsPosted, k) || oneHidden(posted) ? null : total.needsPosted;
  const totalMet =
    totalPosted === null ||
    oneHidden(met) ||
    small(total.needsMet, k) ||
    small(total.needsPosted - total.needsMet, k)
      ? null
      : total.needsMet;
  out.push({
    key: TOTAL_KEY,
    needsPosted: totalPosted,
    needsMet: totalMet,
    medianWaitHours:
      totalMet !== null && total.waitsHours.length >= k
        ? Math.round(median(total.waitsHours))
        : null,
  });
  return out;
}

/** A need as the figures read it (one row of aid_posts). */
export interface NeedForFigures {
  readonly id: string;
  readonly category: string;
  readonly areaId: string | null;
  /** ISO instants. */
  readonly createdAt: string;
  readonly firstHelpingAt: string | null;
  readonly status: AidStatus;
  readonly when: When;
  /** When it left the board (done, withdrawn, expired), or null while it is open or helping. */
  readonly leftAt: string | null;
}

/** An occurrence of recurring help that changed (one row of aid_occurrences). */
export interface OccurrenceForFigures {
  readonly postId: string;
  readonly occurrenceId: string;
  readonly startsAt: string;
  readonly status: AidStatus;
}

export type FigureGrouping = 'category' | 'area' | 'month';

const HOUR_MS = 3_600_000;

/**
 * Needs posted and met in [from, to) per category, zone (`anywhere` for none) or month
 * (`YYYY-MM`, UTC), as the module comment says, sorted by key: the rows `suppressFigures` takes.
 */
export function countNeeds(
  needs: readonly NeedForFigures[],
  occurrences: readonly OccurrenceForFigures[],
  opts: {
    readonly from: string;
    readonly to: string;
    readonly now: number;
    readonly by: FigureGrouping;
  },
): RawFigure[] {
  const from = Date.parse(opts.from);
  const to = Date.parse(opts.to);
  const groups = new Map<string, { posted: number; met: number; waits: number[] }>();
  const add = (need: NeedForFigures, at: string, met: boolean, waitHours: number | null) => {
    const key =
      opts.by === 'category'
        ? need.category
        : opts.by === 'area'
          ? (need.areaId ?? 'anywhere')
          : at.slice(0, 7);
    const g = groups.get(key) ?? { posted: 0, met: 0, waits: [] };
    g.posted++;
    if (met) {
      g.met++;
      if (waitHours !== null) g.waits.push(waitHours);
    }
    groups.set(key, g);
  };
  const changed = new Map<string, OccurrenceForFigures[]>();
  for (const o of occurrences) changed.set(o.postId, [...(changed.get(o.postId) ?? []), o]);

  for (const need of needs) {
    const posted = Date.parse(need.createdAt);
    if (need.when.kind !== 'recurring') {
      if (posted < from || posted >= to) continue;
      const met = need.status === 'done';
      const wait =
        met && need.firstHelpingAt !== null
          ? Math.max(0, Math.round((Date.parse(need.firstHelpingAt) - posted) / HOUR_MS))
          : null;
      add(need, need.createdAt, met, wait);
      continue;
    }
    // Each occurrence that began in the period, after posting, by now, while on the board.
    const start = Math.max(from, posted);
    const end = Math.min(to, opts.now, need.leftAt === null ? Infinity : Date.parse(need.leftAt));
    const starts = new Map<string, string>();
    if (end > start) {
      const expanded = expandSeries(
        {
          id: need.id,
          start: need.when.start,
          timeZone: need.when.timeZone,
          durationMinutes: need.when.durationMinutes,
          rrule: need.when.rrule,
        },
        { from: new Date(start), to: new Date(end), limit: 2000, includeCancelled: false },
      );
      if (expanded.ok)
        for (const o of expanded.value.occurrences) starts.set(o.occurrenceId, o.start);
    }
    const rows = changed.get(need.id) ?? [];
    // An occurrence that changed counts wherever it began in the period (so met ≤ posted).
    for (const o of rows) {
      const at = Date.parse(o.startsAt);
      if (at >= from && at < to && at <= opts.now) starts.set(o.occurrenceId, o.startsAt);
    }
    const done = new Set(rows.filter((o) => o.status === 'done').map((o) => o.occurrenceId));
    for (const [id, at] of starts) add(need, new Date(at).toISOString(), done.has(id), null);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, g]) => ({ key, needsPosted: g.posted, needsMet: g.met, waitsHours: g.waits }));
}

/**
 * The figures as CSV (papaparse; formulae escaped), header first. A suppressed cell reads
 * `suppressed` (it may be under 5, or a larger one hidden beside it), never a made-up number.
 */
export function figuresCsv(figures: readonly Figure[]): string {
  const cell = (v: number | null) => (v === null ? 'suppressed' : String(v));
  return Papa.unparse(
    {
      fields: ['key', 'needs_posted', 'needs_met', 'median_wait_hours'],
      data: figures.map((f) => [
        f.key,
        cell(f.needsPosted),
        cell(f.needsMet),
        f.medianWaitHours === null ? '' : String(f.medianWaitHours),
      ]),
    },
    { escapeFormulae: true, newline: '\r\n' },
  );
}
