/**
 * The "find groups" form ↔ the page's URL query, so a search can be bookmarked, shared and
 * gone back to. Unknown or malformed values are dropped (never an error page): a format that is
 * not one of the three, words longer than the server accepts.
 */
import { GROUP_FORMATS, GROUP_LIMITS, type BrowseQuery, type GroupFormat } from '$core/groups/api';

export interface GroupFilters {
  readonly q: string;
  readonly topic: string;
  readonly language: string;
  /** '' for any format. */
  readonly format: GroupFormat | '';
  readonly area: string;
}

export const NO_FILTERS: GroupFilters = { q: '', topic: '', language: '', format: '', area: '' };

const clip = (value: string | null, max: number) => (value ?? '').trim().slice(0, max);
const isFormat = (value: string): value is GroupFormat =>
  (GROUP_FORMATS as readonly string[]).includes(value);
const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

/** Reads the filters from a URL query. */
export function filtersFromQuery(params: URLSearchParams): GroupFilters {
  const format = clip(params.get('format'), 20);
  const language = clip(params.get('language'), 35);
  return {
    q: clip(params.get('q'), GROUP_LIMITS.query),
    topic: clip(params.get('topic'), GROUP_LIMITS.topic),
    language: LANGUAGE.test(language) ? language : '',
    format: isFormat(format) ? format : '',
    area: clip(params.get('area'), GROUP_LIMITS.area),
  };
}

/** The URL query for the filters: only the ones set, in a stable order. */
export function filtersToQuery(filters: GroupFilters): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of ['q', 'topic', 'language', 'format', 'area'] as const) {
    const value = filters[key].trim();
    if (value !== '') out.set(key, value);
  }
  return out;
}

/** Whether any filter is set (no filters = browse everything, newest first). */
export const hasFilters = (filters: GroupFilters): boolean =>
  filtersToQuery(filters).toString() !== '';

/** The server's browse query for the filters (language in lower case, as the server compares). */
export function toBrowseQuery(filters: GroupFilters, cursor?: string): BrowseQuery {
  const query: { -readonly [K in keyof BrowseQuery]: BrowseQuery[K] } = {};
  const f = filtersFromQuery(filtersToQuery(filters));
  if (f.q !== '') query.q = f.q;
  if (f.topic !== '') query.topic = f.topic.toLowerCase().replace(/\s+/g, ' ');
  if (f.language !== '') query.language = f.language.toLowerCase();
  if (f.format !== '') query.format = f.format;
  if (f.area !== '') query.area = f.area;
  if (cursor !== undefined) query.cursor = cursor;
  return query;
}
