/**
 * Reading a CSV of zones (`id,name,lat,lon,parent`) in the browser, with papaparse, into the body
 * of `POST /api/v1/aid/areas/import` (docs/AID.md, "Areas"), and checking each row first so the
 * admin sees every obviously bad row, by number, before anything is sent. The server checks again
 * and refuses the whole file if anything is wrong (all or nothing).
 *
 * Rows are numbered as the server numbers them: the first row after the header is row 1 (blank
 * lines are skipped and not counted). Zones already here keep their retired state: an import
 * creates and changes, it never retires nor brings back.
 */
import Papa from 'papaparse';
import { AID_LIMITS, areaIdSchema, areaInputSchema, type AreaWire } from '$core/aid/api';
import { roundCentre, type Centre } from '$core/aid/areas';

export const AREA_CSV_COLUMNS = ['id', 'name', 'lat', 'lon', 'parent'] as const;
const REQUIRED = ['id', 'name', 'lat', 'lon'] as const;

/** One zone to import, as the import route takes it. */
export interface AreaImportRow {
  readonly id: string;
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
  readonly parentId: string | null;
  readonly retired: boolean;
}

export type RowProblemCode =
  | 'id'
  | 'name'
  | 'lat'
  | 'lon'
  | 'parent'
  | 'repeated'
  | 'unknown_parent'
  | 'own_parent'
  | 'cycle'
  | 'shape';

/** A bad row: its number (1 = the first row after the header), what is wrong, and the value. */
export interface RowProblem {
  readonly row: number;
  readonly code: RowProblemCode;
  readonly value: string;
  /** For `repeated`: the row that first had this id. */
  readonly other?: number;
}

export type FileProblem =
  | { readonly code: 'empty' }
  | { readonly code: 'missing_columns'; readonly missing: readonly string[] }
  | { readonly code: 'too_many'; readonly rows: number; readonly max: number };

export interface AreasCsv {
  /** Rows after the header (blank lines not counted). */
  readonly total: number;
  /** Every row that could be read (in file order); sent only when there are no problems. */
  readonly rows: readonly AreaImportRow[];
  readonly fileProblem: FileProblem | null;
  readonly problems: readonly RowProblem[];
  /** Columns of the header that are not used (said in the preview, never silently dropped). */
  readonly ignoredColumns: readonly string[];
  /** Zones the file would add, and zones already here it would change. */
  readonly created: number;
  readonly changed: number;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function coordinate(value: string, schema: { safeParse(v: unknown): { success: boolean } }) {
  if (!DECIMAL.test(value)) return null;
  const n = Number(value);
  return Number.isFinite(n) && schema.safeParse(n).success ? n : null;
}

/** A latitude or longitude as typed ("51.5", "-2.60"), or null if it is not one. */
export const coordinateOf = (value: string, which: 'lat' | 'lon'): number | null =>
  coordinate(value.trim(), areaInputSchema.shape[which]);

/**
 * Reads a CSV of zones. `existing` are the zones already here: a parent may be one of them, and
 * they keep their retired state.
 */
export function readAreasCsv(
  text: string,
  existing: readonly Pick<AreaWire, 'id' | 'parentId' | 'retired'>[],
): AreasCsv {
  const none = { total: 0, rows: [], problems: [], ignoredColumns: [], created: 0, changed: 0 };
  const parsed = Papa.parse<Record<string, string | undefined>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const fields = (parsed.meta.fields ?? []).filter((f) => f !== '');
  if (fields.length === 0 && parsed.data.length === 0) {
    return { ...none, fileProblem: { code: 'empty' } };
  }
  const missing = REQUIRED.filter((c) => !fields.includes(c));
  if (missing.length > 0) return { ...none, fileProblem: { code: 'missing_columns', missing } };
  const ignoredColumns = fields.filter((f) => !(AREA_CSV_COLUMNS as readonly string[]).includes(f));
  if (parsed.data.length === 0) return { ...none, ignoredColumns, fileProblem: { code: 'empty' } };
  if (parsed.data.length > AID_LIMITS.areasPerImport) {
    return {
      ...none,
      total: parsed.data.length,
      ignoredColumns,
      fileProblem: {
        code: 'too_many',
        rows: parsed.data.length,
        max: AID_LIMITS.areasPerImport,
      },
    };
  }

  const problems: RowProblem[] = [];
  // A row with more values than the header (often an unquoted comma in a name) or a quote left
  // open cannot be read safely. A row with fewer values is read as it is (parent may be left off).
  const shapeBad = new Set<number>();
  for (const e of parsed.errors) {
    if (e.row === undefined || e.code === 'TooFewFields' || e.type === 'Delimiter') continue;
    if (shapeBad.has(e.row)) continue;
    shapeBad.add(e.row);
    problems.push({ row: e.row + 1, code: 'shape', value: '' });
  }

  const known = new Map(existing.map((a) => [a.id, a]));
  const firstRow = new Map<string, number>();
  const rows: AreaImportRow[] = [];
  const rowOf = new Map<string, number>();
  for (const [i, raw] of parsed.data.entries()) {
    const row = i + 1;
    if (shapeBad.has(i)) continue;
    const cell = (c: string) => (raw[c] ?? '').trim();
    const [id, name, lat, lon, parent] = AREA_CSV_COLUMNS.map(cell) as [
      string,
      string,
      string,
      string,
      string,
    ];
    const before = problems.length;
    if (!areaIdSchema.safeParse(id).success) problems.push({ row, code: 'id', value: id });
    else if (firstRow.has(id)) {
      problems.push({ row, code: 'repeated', value: id, other: firstRow.get(id)! });
    } else firstRow.set(id, row);
    if (!areaInputSchema.shape.name.safeParse(name).success) {
      problems.push({ row, code: 'name', value: name });
    }
    const latN = coordinate(lat, areaInputSchema.shape.lat);
    if (latN === null) problems.push({ row, code: 'lat', value: lat });
    const lonN = coordinate(lon, areaInputSchema.shape.lon);
    if (lonN === null) problems.push({ row, code: 'lon', value: lon });
    if (parent !== '' && !areaIdSchema.safeParse(parent).success) {
      problems.push({ row, code: 'parent', value: parent });
    } else if (parent !== '' && parent === id) {
      problems.push({ row, code: 'own_parent', value: parent });
    }
    if (problems.length > before || latN === null || lonN === null) continue;
    rowOf.set(id, row);
    rows.push({
      id,
      name,
      lat: latN,
      lon: lonN,
      parentId: parent === '' ? null : parent,
      retired: known.get(id)?.retired ?? false,
    });
  }

  // Parents: a zone in this file or already here, and never a zone inside itself.
  const parentOf = new Map<string, string | null>(existing.map((a) => [a.id, a.parentId]));
  for (const r of rows) parentOf.set(r.id, r.parentId);
  for (const r of rows) {
    if (r.parentId === null || r.parentId === r.id) continue;
    const row = rowOf.get(r.id)!;
    if (!parentOf.has(r.parentId) && !firstRow.has(r.parentId)) {
      problems.push({ row, code: 'unknown_parent', value: r.parentId });
      continue;
    }
    const seen = new Set([r.id]);
    for (let p: string | null = r.parentId; p !== null; p = parentOf.get(p) ?? null) {
      if (seen.has(p)) {
        problems.push({ row, code: 'cycle', value: r.parentId });
        break;
      }
      seen.add(p);
    }
  }
  problems.sort((a, b) => a.row - b.row);

  const created = rows.filter((r) => !known.has(r.id)).length;
  return {
    total: parsed.data.length,
    rows,
    fileProblem: null,
    problems,
    ignoredColumns,
    created,
    changed: rows.length - created,
  };
}

/** The import route's body, once a file has no problems. */
export const importBody = (csv: AreasCsv): { areas: AreaImportRow[] } => ({ areas: [...csv.rows] });

/** A centre as it will be kept (0.01°), as text with two decimals: "51.50, -2.60". */
export function centreText(lat: number, lon: number): string {
  const c: Centre = roundCentre(lat, lon);
  return `${c.lat.toFixed(2)}, ${c.lon.toFixed(2)}`;
}
