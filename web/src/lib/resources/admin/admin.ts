/**
 * Pieces of the directory admin page (docs/RESOURCES.md, "HSDS import and export"): error words,
 * reading the chosen import files in the browser, and an import call that keeps the server's
 * `issues` of a refusal (`422 hsds_invalid`), which the app's API client does not pass on.
 */
import type { ApiFailure } from '../../api/client';
import { resourcesApi, type ImportFormat, type ImportResult } from '../api';

export { errorKey } from './errors';

/** One problem of a refused import: where (file and line, or service) and what. */
export interface ImportProblem {
  readonly path: string;
  readonly message: string;
}

/** What the chosen files became: the import's body, or why they could not be read. */
export type ChosenFiles =
  | {
      readonly ok: true;
      readonly format: ImportFormat;
      readonly data: unknown;
      readonly count: number;
    }
  | {
      readonly ok: false;
      readonly problem: 'none' | 'mixed' | 'unreadable';
      readonly file?: string;
      readonly kind?: 'json' | 'csv';
    };

/** What a file hands over (a `File`, or anything with a name and text in tests). */
export interface NamedText {
  readonly name: string;
  text(): Promise<string>;
}

const isCsv = (f: NamedText) => f.name.toLowerCase().endsWith('.csv');
const isJson = (f: NamedText) => f.name.toLowerCase().endsWith('.json');

/** How many services the data holds, for progress words (a page, an array or one service). */
function servicesIn(format: ImportFormat, data: unknown): number {
  if (format === 'hsds-tabular') {
    const rows = (data as Record<string, unknown>)['services.csv'];
    return Array.isArray(rows) ? rows.length : 0;
  }
  if (Array.isArray(data)) return data.length;
  if (typeof data === 'object' && data !== null) {
    const contents = (data as { contents?: unknown }).contents;
    return Array.isArray(contents) ? contents.length : 1;
  }
  return 0;
}

/**
 * Reads the chosen files: one `.json` (an HSDS page, array or service) or several `.csv` files,
 * each read with papaparse (loaded on demand), header on, into rows per file name — numbered as
 * the server numbers them (`services.csv line 2` is the first row after the header).
 */
export async function readChosenFiles(files: readonly NamedText[]): Promise<ChosenFiles> {
  if (files.length === 0) return { ok: false, problem: 'none' };
  const csv = files.filter(isCsv);
  const json = files.filter(isJson);
  if (json.length > 0 && (csv.length > 0 || json.length > 1))
    return { ok: false, problem: 'mixed' };
  if (json.length === 1) {
    const file = json[0]!;
    try {
      const data = JSON.parse((await file.text()).replace(/^\uFEFF/, '')) as unknown;
      return { ok: true, format: 'hsds-json', data, count: servicesIn('hsds-json', data) };
    } catch {
      return { ok: false, problem: 'unreadable', file: file.name, kind: 'json' };
    }
  }
  if (csv.length !== files.length) {
    const other = files.find((f) => !isCsv(f))!;
    return { ok: false, problem: 'unreadable', file: other.name, kind: 'csv' };
  }
  const { default: Papa } = await import('papaparse');
  const data: Record<string, Record<string, string>[]> = {};
  for (const file of csv) {
    const text = (await file.text()).replace(/^\uFEFF/, '');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    if (parsed.errors.some((e) => e.type === 'Delimiter' || e.type === 'Quotes')) {
      return { ok: false, problem: 'unreadable', file: file.name, kind: 'csv' };
    }
    data[baseName(file.name)] = parsed.data;
  }
  return { ok: true, format: 'hsds-tabular', data, count: servicesIn('hsds-tabular', data) };
}

/** `some/folder/Services.CSV` → `services.csv` (HSDS's file names are lower case). */
const baseName = (name: string) => (name.split(/[\\/]/).at(-1) ?? name).toLowerCase();

export type ImportAnswer =
  | { readonly ok: true; readonly value: ImportResult }
  | (ApiFailure & { readonly issues: readonly ImportProblem[] });

const isProblem = (i: unknown): i is ImportProblem =>
  typeof i === 'object' &&
  i !== null &&
  typeof (i as ImportProblem).path === 'string' &&
  typeof (i as ImportProblem).message === 'string';

/** `POST /api/v1/resources/import`, with the refusal's issues when there are some. */
export async function importDirectory(body: {
  format: ImportFormat;
  data: unknown;
  options: { defaultKind: string | null; defaultTimeZone: string | null };
  dryRun: boolean;
}): Promise<ImportAnswer> {
  const r = await resourcesApi().import(body);
  if (r.ok) return { ok: true, value: r.value };
  return { ...r, issues: r.code === 'hsds_invalid' ? (r.issues ?? []).filter(isProblem) : [] };
}
