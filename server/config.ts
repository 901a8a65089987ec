import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { err, ok, type Result } from '../core/src/result.js';

/** Where the data lives: the embedded SQLite file, or a PostgreSQL server. */
export type DatabaseTarget =
  | { readonly engine: 'sqlite'; readonly file: string }
  | { readonly engine: 'postgres'; readonly url: string };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: DatabaseTarget;
  readonly publicUrl: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly quickExitUrl: string;
  readonly webDir: string;
  readonly trustProxy: boolean;
  readonly bodyLimit: number;
  readonly sessionIdleHours: number;
  readonly sessionMaxHours: number;
  readonly vaultItemMaxBytes: number;
  readonly vaultQuotaBytes: number;
  readonly authRateLimitPerMinute: number;
  /** SMTP server for notification emails (smtp:// or smtps://); unset: no email is sent. */
  readonly smtpUrl: string | undefined;
  /** The From of notification emails, e.g. `Tend <tend@example.org>`. */
  readonly notifyFrom: string;
  /** Whether this process runs the notification delivery worker. */
  readonly notifyWorker: boolean;
}

export const defaultQuickExitUrl = 'https://www.bbc.com/weather';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const httpUrl = (name: string, example: string) =>
  z
    .string()
    .refine((v) => URL.canParse(v), {
      message: `${name} is not a valid URL. Use a full address such as ${example}.`,
    })
    .refine((v) => !URL.canParse(v) || ['http:', 'https:'].includes(new URL(v).protocol), {
      message: `${name} must start with http:// or https://, for example ${example}.`,
    });

const wholeNumber = (name: string, min: number, max: number, fallback: number, unit: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d+$/, {
        message: `${name} must be a whole number of ${unit}, for example ${fallback}.`,
      })
      .transform(Number)
      .refine((n) => n >= min && n <= max, {
        message: `${name} must be between ${min} and ${max} ${unit}.`,
      })
      .default(fallback),
  );

const envSchema = z.object({
  PORT: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d{1,5}$/, {
        message: 'PORT must be a whole number from 0 to 65535, for example 3000.',
      })
      .transform(Number)
      .refine((n) => n <= 65535, {
        message: 'PORT must be a whole number from 0 to 65535, for example 3000.',
      })
      .default(3000),
  ),
  HOST: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9.:[\]-]+$/, {
        message:
          'HOST must be a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0.',
      })
      .default('127.0.0.1'),
  ),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
  DATABASE_URL: z.preprocess(blankToUndefined, z.string().optional()),
  PUBLIC_URL: z.preprocess(
    blankToUndefined,
    httpUrl('PUBLIC_URL', 'https://tend.example.org').optional(),
  ),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace or silent.',
      })
      .default('info'),
  ),
  QUICK_EXIT_URL: z.preprocess(
    blankToUndefined,
    httpUrl('QUICK_EXIT_URL', defaultQuickExitUrl).default(defaultQuickExitUrl),
  ),
  WEB_DIR: z.preprocess(blankToUndefined, z.string().optional()),
  TRUST_PROXY: z.preprocess(
    blankToUndefined,
    z
      .enum(['true', 'false', '1', '0'], { message: 'TRUST_PROXY must be true or false.' })
      .transform((v) => v === 'true' || v === '1')
      .default(false),
  ),
  BODY_LIMIT: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d+$/, { message: 'BODY_LIMIT must be a number of bytes, for example 1048576.' })
      .transform(Number)
      .refine((n) => n >= 1024 && n <= 64 * 1024 * 1024, {
        message: 'BODY_LIMIT must be between 1024 and 67108864 bytes.',
      })
      .default(2 * 1024 * 1024),
  ),
  SESSION_IDLE_HOURS: wholeNumber('SESSION_IDLE_HOURS', 1, 24 * 90, 24 * 7, 'hours'),
  SESSION_MAX_HOURS: wholeNumber('SESSION_MAX_HOURS', 1, 24 * 365, 24 * 30, 'hours'),
  VAULT_ITEM_MAX_BYTES: wholeNumber(
    'VAULT_ITEM_MAX_BYTES',
    1024,
    1024 * 1024,
    1024 * 1024,
    'bytes',
  ),
  AUTH_RATE_LIMIT_PER_MINUTE: wholeNumber('AUTH_RATE_LIMIT_PER_MINUTE', 1, 10_000, 30, 'requests'),
  SMTP_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((v) => URL.canParse(v) && ['smtp:', 'smtps:'].includes(new URL(v).protocol), {
        message:
          'SMTP_URL must be an smtp:// or smtps:// address, for example smtps://user:password@mail.example.org:465.',
      })
      .optional(),
  ),
  NOTIFY_FROM: z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(200)
      .regex(/^([^<>@\s][^<>@]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, {
        message:
          'NOTIFY_FROM must be an email address, for example tend@example.org or Tend <tend@example.org>.',
      })
      .optional(),
  ),
  NOTIFY_WORKER: z.preprocess(
    blankToUndefined,
    z
      .enum(['true', 'false', '1', '0'], { message: 'NOTIFY_WORKER must be true or false.' })
      .transform((v) => v === 'true' || v === '1')
      .default(true),
  ),
  VAULT_QUOTA_BYTES: wholeNumber(
    'VAULT_QUOTA_BYTES',
    1024 * 1024,
    1024 ** 4,
    100 * 1024 * 1024,
    'bytes',
  ),
});

/** Turns DATABASE_URL into a target, or a sentence saying what is wrong and how to fix it. */
export function parseDatabaseUrl(
  raw: string | undefined,
  dataDir: string,
): Result<DatabaseTarget, string> {
  if (raw === undefined) return ok({ engine: 'sqlite', file: resolve(dataDir, 'tend.db') });
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    return err(
      'DATABASE_URL is not a valid URL. Use postgres://user:password@host:5432/database for PostgreSQL, ' +
        'sqlite:./data/tend.db for a SQLite file, or leave it unset for the embedded database in DATA_DIR.',
    );
  }
  if (scheme === 'sqlite') {
    const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '' || path === '//') {
      return err('DATABASE_URL sqlite: needs a file path, for example sqlite:./data/tend.db.');
    }
    return ok({ engine: 'sqlite', file: isAbsolute(path) ? path : resolve(path) });
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    if (!URL.canParse(raw)) {
      return err(
        'DATABASE_URL is not a valid PostgreSQL URL. Use postgres://user:password@host:5432/database ' +
          '(percent-encode special characters in the password).',
      );
    }
    const url = new URL(raw);
    if (url.hostname === '' || url.pathname.replace(/^\//, '') === '') {
      return err(
        'DATABASE_URL must name a host and a database, for example postgres://tend@127.0.0.1:5432/tend.',
      );
    }
    return ok({ engine: 'postgres', url: raw });
  }
  return err(
    `DATABASE_URL uses the scheme "${scheme}:", which Tend does not support. Use postgres://… for PostgreSQL, ` +
      'or leave it unset for the embedded SQLite database in DATA_DIR.',
  );
}

/**
 * Reads and validates the configuration from environment variables. Every problem comes back as
 * a plain sentence naming the variable and how to fix it; nothing here throws.
 */
export function loadConfig(env: NodeJS.ProcessEnv, repoRoot: string): Result<Config, string[]> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    return err(parsed.error.issues.map((issue) => issue.message));
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const database = parseDatabaseUrl(e.DATABASE_URL, dataDir);
  if (!database.ok) return err([database.error]);
  return ok({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: database.value,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    quickExitUrl: e.QUICK_EXIT_URL,
    webDir: e.WEB_DIR === undefined ? resolve(repoRoot, 'web', 'build') : resolve(e.WEB_DIR),
    trustProxy: e.TRUST_PROXY,
    bodyLimit: e.BODY_LIMIT,
    sessionIdleHours: e.SESSION_IDLE_HOURS,
    sessionMaxHours: Math.max(e.SESSION_MAX_HOURS, e.SESSION_IDLE_HOURS),
    vaultItemMaxBytes: e.VAULT_ITEM_MAX_BYTES,
    vaultQuotaBytes: e.VAULT_QUOTA_BYTES,
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    smtpUrl: e.SMTP_URL,
    notifyFrom:
      e.NOTIFY_FROM ??
      `Tend <tend@${e.PUBLIC_URL === undefined ? 'localhost' : new URL(e.PUBLIC_URL).hostname}>`,
    notifyWorker: e.NOTIFY_WORKER,
  });
}

/** A database URL safe to print: the password is replaced. */
export function describeDatabase(target: DatabaseTarget): string {
  if (target.engine === 'sqlite') return `SQLite at ${target.file}`;
  const url = new URL(target.url);
  if (url.password !== '') url.password = '***';
  return `PostgreSQL at ${url.host}${url.pathname}`;
}
