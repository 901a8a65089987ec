/**
 * An import error from core (core/src/checkins/import/csv.ts) as a message id and its values,
 * in plain words that name the line. Typed here, not imported, so this stays out of papaparse.
 */
export type ImportErrorLike =
  | { readonly code: 'too_large'; readonly bytes: number }
  | { readonly code: 'empty' }
  | { readonly code: 'not_csv'; readonly line: number; readonly message: string }
  | { readonly code: 'missing_columns'; readonly line: 1; readonly missing: readonly string[] }
  | { readonly code: 'bad_date'; readonly line: number; readonly value: string }
  | { readonly code: 'bad_value'; readonly line: number; readonly column: string };

export interface Message {
  readonly id: string;
  readonly values?: Record<string, string | number>;
}

export function importErrorMessage(
  error: ImportErrorLike,
  number: (n: number) => string = String,
): Message {
  switch (error.code) {
    case 'too_large':
      return {
        id: 'checkins.exchange.error.tooLarge',
        values: { size: number(Math.ceil(error.bytes / (1024 * 1024))) },
      };
    case 'empty':
      return { id: 'checkins.exchange.error.empty' };
    case 'not_csv':
      return { id: 'checkins.exchange.error.notCsv', values: { line: error.line } };
    case 'missing_columns':
      return {
        id: 'checkins.exchange.error.missingColumns',
        values: { line: error.line, columns: error.missing.join(', ') },
      };
    case 'bad_date':
      return {
        id: 'checkins.exchange.error.badDate',
        values: { line: error.line, value: error.value },
      };
    case 'bad_value':
      return {
        id: 'checkins.exchange.error.badValue',
        values: { line: error.line, column: error.column },
      };
  }
}

/** A file name for an export made on `date` (YYYY-MM-DD). */
export const exportName = (date: string, ext: 'csv' | 'json') => `tend-checkins-${date}.${ext}`;
