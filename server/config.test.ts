import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultQuickExitUrl, describeDatabase, loadConfig, parseDatabaseUrl } from './config.js';

const root = '/srv/tend';
const load = (env: NodeJS.ProcessEnv) => loadConfig(env, root);
const problems = (env: NodeJS.ProcessEnv) => {
  const r = load(env);
  if (r.ok) throw new Error('expected a configuration problem');
  return r.error;
};

describe('loadConfig', () => {
  it('has safe defaults: loopback, port 3000, SQLite in ./data', () => {
    const r = load({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: resolve('./data'),
      database: { engine: 'sqlite', file: resolve('./data/tend.db') },
      logLevel: 'info',
      quickExitUrl: defaultQuickExitUrl,
      webDir: '/srv/tend/web/build',
      trustProxy: false,
      bodyLimit: 2097152,
      publicUrl: undefined,
    });
  });

  it('reads every variable', () => {
    const r = load({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/tend',
      DATABASE_URL: 'postgres://tend:pw@db:5432/tend',
      PUBLIC_URL: 'https://tend.example.org/',
      LOG_LEVEL: 'warn',
      QUICK_EXIT_URL: 'https://example.org/news',
      WEB_DIR: '/opt/web',
      TRUST_PROXY: 'true',
      BODY_LIMIT: '2048',
    });
    expect(r.ok && r.value).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/tend',
      database: { engine: 'postgres', url: 'postgres://tend:pw@db:5432/tend' },
      publicUrl: 'https://tend.example.org',
      logLevel: 'warn',
      quickExitUrl: 'https://example.org/news',
      webDir: '/opt/web',
      trustProxy: true,
      bodyLimit: 2048,
    });
  });

  it('treats blank variables as unset', () => {
    const r = load({ PORT: '', DATABASE_URL: ' ', LOG_LEVEL: '' });
    expect(r.ok && r.value.port).toBe(3000);
    expect(r.ok && r.value.database.engine).toBe('sqlite');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number from 0 to 65535/],
    [{ PORT: '70000' }, /PORT must be a whole number from 0 to 65535/],
    [{ PORT: '-1' }, /PORT must be a whole number/],
    [{ HOST: 'bad host!' }, /HOST must be a host name or IP address/],
    [
      { LOG_LEVEL: 'loud' },
      /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace or silent/,
    ],
    [{ PUBLIC_URL: 'tend.example.org' }, /PUBLIC_URL is not a valid URL/],
    [
      { PUBLIC_URL: 'ftp://tend.example.org' },
      /PUBLIC_URL must start with http:\/\/ or https:\/\//,
    ],
    [
      { QUICK_EXIT_URL: 'javascript:alert(1)' },
      /QUICK_EXIT_URL must start with http:\/\/ or https:\/\//,
    ],
    [{ TRUST_PROXY: 'maybe' }, /TRUST_PROXY must be true or false/],
    [{ BODY_LIMIT: 'lots' }, /BODY_LIMIT must be a number of bytes/],
    [{ BODY_LIMIT: '10' }, /BODY_LIMIT must be between 1024 and 67108864 bytes/],
    [
      { DATABASE_URL: 'mysql://root@localhost/tend' },
      /scheme "mysql:", which Tend does not support/,
    ],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL is not a valid URL/],
    [{ DATABASE_URL: 'postgres://user:p@ss@[::1' }, /not a valid PostgreSQL URL/],
    [{ DATABASE_URL: 'postgres://127.0.0.1:5432' }, /must name a host and a database/],
    [{ DATABASE_URL: 'sqlite:' }, /sqlite: needs a file path/],
    [{ SMTP_URL: 'mail.example.org' }, /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ address/],
    [{ SMTP_URL: 'https://mail.example.org' }, /SMTP_URL must be an smtp:\/\/ or smtps:\/\//],
    [{ NOTIFY_FROM: 'not an address' }, /NOTIFY_FROM must be an email address/],
    [{ NOTIFY_WORKER: 'sometimes' }, /NOTIFY_WORKER must be true or false/],
  ])('explains %o', (env, message) => {
    const list = problems(env);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(message);
  });

  it('reads the notification settings: email off without SMTP_URL, the worker on by default', () => {
    const none = load({});
    expect(none.ok && none.value).toMatchObject({
      smtpUrl: undefined,
      notifyFrom: 'Tend <tend@localhost>',
      notifyWorker: true,
    });
    const set = load({
      SMTP_URL: 'smtps://tend:pw@mail.example.org:465',
      PUBLIC_URL: 'https://tend.example.org',
      NOTIFY_WORKER: 'false',
    });
    expect(set.ok && set.value).toMatchObject({
      smtpUrl: 'smtps://tend:pw@mail.example.org:465',
      notifyFrom: 'Tend <tend@tend.example.org>',
      notifyWorker: false,
    });
    const from = load({ NOTIFY_FROM: 'Care team <care@example.org>' });
    expect(from.ok && from.value.notifyFrom).toBe('Care team <care@example.org>');
  });

  it('reports every problem at once', () => {
    expect(problems({ PORT: 'x', LOG_LEVEL: 'y' })).toHaveLength(2);
  });
});

describe('parseDatabaseUrl', () => {
  it('accepts sqlite paths, relative and absolute', () => {
    expect(parseDatabaseUrl('sqlite:./x/t.db', '/d')).toEqual({
      ok: true,
      value: { engine: 'sqlite', file: resolve('./x/t.db') },
    });
    expect(parseDatabaseUrl('sqlite:///var/t.db', '/d')).toEqual({
      ok: true,
      value: { engine: 'sqlite', file: '/var/t.db' },
    });
    expect(parseDatabaseUrl(undefined, '/d')).toEqual({
      ok: true,
      value: { engine: 'sqlite', file: '/d/tend.db' },
    });
  });

  it('accepts both PostgreSQL schemes', () => {
    expect(parseDatabaseUrl('postgresql://u@h/db', '/d').ok).toBe(true);
    expect(parseDatabaseUrl('POSTGRES://u@h/db', '/d').ok).toBe(true);
  });
});

describe('describeDatabase', () => {
  it('never prints a password', () => {
    const text = describeDatabase({
      engine: 'postgres',
      url: 'postgres://tend:s3cret-pw@db.internal:5432/tend',
    });
    expect(text).toBe('PostgreSQL at db.internal:5432/tend');
    expect(text).not.toContain('s3cret');
  });
});
