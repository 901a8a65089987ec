/** CSV import and export of check-ins (kept out of `../index.ts` so papaparse loads only here). */
export * from './csv.js';
