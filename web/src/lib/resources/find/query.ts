/**
 * The find page's search as it lives in the URL (so back, forward and reload work) and as it is
 * sent. The person's position (`near`) is never put in the URL: it stays in the page's memory
 * only, rounded on the device (docs/RESOURCES.md, "Distance").
 */
import { COST_KINDS, REACH_WAYS } from '$core/resources/api';
import { CRISIS_FILTER_IDS } from '$core/resources/crisis';
import type { SearchParams } from '../api';

export const WITHIN_KM = [2, 5, 10, 25, 50, 100] as const;

export interface FindFilters {
  q: string;
  kind: string[];
  reach: string[];
  cost: string[];
  /** Language codes as typed: "en, cy". */
  language: string;
  openNow: boolean;
  crisis: string[];
  fresh: boolean;
  withinKm: number;
}

export const emptyFilters = (): FindFilters => ({
  q: '',
  kind: [],
  reach: [],
  cost: [],
  language: '',
  openNow: false,
  crisis: [],
  fresh: false,
  withinKm: 10,
});

const list = (p: URLSearchParams, key: string, allowed?: readonly string[]) =>
  (p.get(key) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && (allowed === undefined || allowed.includes(s)));

/** Language codes from what was typed: lower case, valid ones only, at most 10. */
export function languageCodes(typed: string): string[] {
  return [
    ...new Set(
      typed
        .split(/[\s,]+/)
        .map((s) => s.trim().toLowerCase())
        .filter((s) => /^[a-z]{2,3}(-[a-z0-9]{2,8}){0,3}$/.test(s)),
    ),
  ].slice(0, 10);
}

export function filtersFromQuery(p: URLSearchParams): FindFilters {
  const km = Number(p.get('withinKm'));
  return {
    q: (p.get('q') ?? '').slice(0, 200),
    kind: list(p, 'kind').filter((k) => /^[a-z][a-z0-9-]{1,39}$/.test(k)),
    reach: list(p, 'reach', REACH_WAYS),
    cost: list(p, 'cost', COST_KINDS),
    language: languageCodes(p.get('language') ?? '').join(', '),
    openNow: p.get('openNow') === 'true',
    crisis: list(p, 'crisis', CRISIS_FILTER_IDS),
    fresh: p.get('fresh') === 'true',
    withinKm: (WITHIN_KM as readonly number[]).includes(km) ? km : 10,
  };
}

/** The URL query: only what is set, in a fixed order. */
export function filtersToQuery(f: FindFilters): URLSearchParams {
  const out = new URLSearchParams();
  if (f.q.trim() !== '') out.set('q', f.q.trim());
  if (f.kind.length) out.set('kind', f.kind.join(','));
  if (f.reach.length) out.set('reach', f.reach.join(','));
  if (f.cost.length) out.set('cost', f.cost.join(','));
  const langs = languageCodes(f.language);
  if (langs.length) out.set('language', langs.join(','));
  if (f.openNow) out.set('openNow', 'true');
  if (f.crisis.length) out.set('crisis', f.crisis.join(','));
  if (f.fresh) out.set('fresh', 'true');
  if (f.withinKm !== 10) out.set('withinKm', String(f.withinKm));
  return out;
}

/** What is sent: the filters, the rounded position when the person chose to use it. */
export function toSearch(f: FindFilters, near: string | null, cursor?: string): SearchParams {
  return {
    q: f.q.trim() || undefined,
    kind: f.kind,
    reach: f.reach,
    cost: f.cost,
    language: languageCodes(f.language),
    openNow: f.openNow,
    crisis: f.crisis,
    fresh: f.fresh,
    ...(near === null ? {} : { near, withinKm: f.withinKm }),
    ...(cursor === undefined ? {} : { cursor }),
  };
}
