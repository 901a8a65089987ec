import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { deleteSession, findSession, insertSession, touchSession } from './sessions-repository.js';

export interface SessionLimits {
  /** A session unused for this long ends. */
  readonly idleMs: number;
  /** A session ends this long after sign-in, however much it is used. */
  readonly absoluteMs: number;
}

export interface Auth {
  readonly accountId: string;
  readonly sessionId: string;
  readonly role: 'admin' | 'member';
}

/** The session id stored in the database: a hash, so a database dump holds no usable token. */
export const sessionIdOf = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('base64url');

/** Starts a session and returns its token (for the cookie) and id. */
export async function startSession(
  db: Kysely<Database>,
  accountId: string,
  label: string,
  now: Date,
  limits: SessionLimits,
): Promise<{ token: string; id: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const id = sessionIdOf(token);
  const expiresAt = new Date(now.getTime() + limits.absoluteMs);
  await insertSession(db, {
    id,
    account_id: accountId,
    label: label.slice(0, 120),
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
  });
  return { token, id, expiresAt };
}

/** Resolves a session token to who is signed in; ends sessions past their idle or absolute limit. */
export async function resolveSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
  limits: SessionLimits,
): Promise<Auth | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const id = sessionIdOf(token);
  const row = await findSession(db, id);
  if (row === undefined) return null;
  const idleEnd = new Date(row.last_seen_at).getTime() + limits.idleMs;
  if (now.getTime() >= new Date(row.expires_at).getTime() || now.getTime() >= idleEnd) {
    await deleteSession(db, id);
    return null;
  }
  // Record use at most once a minute, to keep reads cheap.
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    await touchSession(db, id, now.toISOString());
  }
  return { accountId: row.account_id, sessionId: id, role: row.role };
}

/** A short, non-identifying description of a browser for the list of sessions. */
export function describeUserAgent(ua: string | undefined): string {
  if (ua === undefined || ua === '') return 'Unknown browser';
  const browser = /(Firefox|Edg|OPR|Chrome|Chromium|Safari)\/[\d.]+/.exec(ua)?.[1] ?? 'Browser';
  const os = /(Android|iPhone|iPad|Windows|Mac OS X|Linux|CrOS)/.exec(ua)?.[1] ?? '';
  const name = browser === 'Edg' ? 'Edge' : browser === 'OPR' ? 'Opera' : browser;
  return os === '' ? name : `${name} on ${os === 'Mac OS X' ? 'macOS' : os}`;
}
