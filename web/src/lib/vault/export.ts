/**
 * "Download all my data": everything this device's vault holds, decrypted in the browser, as one
 * JSON file. Nothing is sent anywhere; the file is made from memory and handed to the browser's
 * download. Items that do not open are listed as failures, not dropped.
 */
import { toBase64url } from '../../../../core/src/crypto/index.js';
import { describedTypes, parseJson } from './describe';
import type { Vault } from './sync';

export interface ExportAccount {
  readonly handle: string;
  readonly email: string | null;
  readonly createdAt: string;
  readonly fingerprint: string;
}

export type ExportContent = unknown;

export interface ExportItem {
  readonly collection: string;
  readonly type: string;
  readonly itemId: string;
  readonly revision: number;
  /** Not yet synced: only this device has this version. */
  readonly pending: boolean;
  readonly content: ExportContent;
}

export interface ExportConflict {
  readonly collection: string;
  readonly type: string | null;
  readonly itemId: string;
  readonly createdAt: string;
  /** This device's version (null: deleted here). */
  readonly mine: { readonly content: ExportContent } | { readonly error: string };
  /** The other version (the server's; null content: deleted there). */
  readonly theirs:
    | { readonly revision: number; readonly content: ExportContent }
    | { readonly revision: number; readonly error: string };
}

export interface ExportFailure {
  readonly collection: string;
  readonly itemId: string;
  readonly type: string | null;
  readonly error: string;
}

export interface TendExport {
  readonly format: 'tend-export';
  readonly version: 1;
  readonly exportedAt: string;
  readonly account: ExportAccount;
  readonly items: readonly ExportItem[];
  readonly conflicts: readonly ExportConflict[];
  readonly failures: readonly ExportFailure[];
}

/** Parsed JSON when the plaintext is UTF-8 JSON, else its bytes as `{ base64url }`. */
export function exportContent(plaintext: Uint8Array | null): ExportContent {
  if (plaintext === null) return null;
  const json = parseJson(plaintext);
  return json === undefined ? { base64url: toBase64url(plaintext) } : json.value;
}

export async function buildExport(
  vault: Pick<Vault, 'all' | 'conflicts'>,
  account: ExportAccount,
  onProgress?: (done: number, total: number) => void,
  now: () => Date = () => new Date(),
): Promise<TendExport> {
  const everything = await vault.all(describedTypes(), onProgress);
  const conflicts = await vault.conflicts();
  return {
    format: 'tend-export',
    version: 1,
    exportedAt: now().toISOString(),
    account,
    items: everything.items.map((i) => ({
      collection: i.collection,
      type: i.type,
      itemId: i.itemId,
      revision: i.revision,
      pending: i.pending,
      content: exportContent(i.plaintext),
    })),
    conflicts: conflicts.map((c) => ({
      collection: c.collection,
      type: c.type,
      itemId: c.itemId,
      createdAt: c.createdAt,
      mine: c.mine.ok ? { content: exportContent(c.mine.value) } : { error: c.mine.error },
      theirs: c.theirs.ok
        ? { revision: c.theirRevision, content: exportContent(c.theirs.value) }
        : { revision: c.theirRevision, error: c.theirs.error },
    })),
    failures: everything.failures.map((f) => ({ ...f })),
  };
}

/** A file name like `tend-export-ada-2026-11-24.json`. */
export function exportFileName(handle: string, at: Date): string {
  const safe = handle.replace(/[^a-zA-Z0-9_-]/g, '_');
  return `tend-export-${safe}-${at.toISOString().slice(0, 10)}.json`;
}

/** Hands the export to the browser as a download (a Blob URL, revoked afterwards). */
export function downloadExport(data: TendExport, handle: string): void {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = exportFileName(handle, new Date(data.exportedAt));
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
