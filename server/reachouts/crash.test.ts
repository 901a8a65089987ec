import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startSession } from '../accounts/sessions.js';
import { createDatabase, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { sessionCookie } from '../http/session.js';
import { createFakeWebDir } from '../test-support/app.js';
import { createTestDatabase } from '../test-support/engines.js';
import { describeEachEngine } from '../test-support/engines.js';
import { startPushSink, startSmtpSink } from '../test-support/notify.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const b64 = (n: number) => randomBytes(n).toString('base64url');

/** The real server (`server/main.ts`, what `npm start` runs) as a child process. */
async function startTend(
  env: Record<string, string>,
): Promise<{ child: ChildProcessWithoutNullStreams; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server', 'main.ts')], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Tend did not start:\n${output}`)), 20_000);
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString();
      const m = /Tend is running at (http:\/\/\S+)/.exec(output);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('exit', (code) => reject(new Error(`Tend exited (${code}):\n${output}`)));
  });
  return { child, url, output: () => output };
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<NodeJS.Signals | number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(child.signalCode ?? child.exitCode);
      return;
    }
    child.once('exit', (code, signal) => resolve(signal ?? code));
  });

async function account(
  db: DatabaseHandle['db'],
  handle: string,
): Promise<{ id: string; token: string }> {
  const id = b64(16);
  const now = new Date().toISOString();
  await db
    .insertInto('accounts')
    .values({
      id,
      handle,
      email: `${handle}@example.test`,
      role: 'member',
      kdf: '{}',
      salt_seed: b64(32),
      auth_public_key: b64(32),
      recovery_auth_public_key: b64(32),
      master_key_by_passphrase: b64(73),
      master_key_by_recovery: b64(73),
      public_key_bundle: '{}',
      wrapped_identity_x25519: b64(73),
      wrapped_identity_ed25519: b64(73),
      created_at: now,
      updated_at: now,
    })
    .execute();
  const session = await startSession(db, id, 'test', new Date(), {
    idleMs: 3_600_000,
    absoluteMs: 3_600_000,
  });
  return { id, token: session.token };
}

describeEachEngine('a reach-out survives the server being killed', (engine) => {
  it('SIGKILL right after the 201: after a restart each recipient gets exactly one email and one push', async () => {
    const database = await createTestDatabase(engine);
    const dataDir = mkdtempSync(join(tmpdir(), 'tend-crash-'));
    const webDir = createFakeWebDir();
    const smtp = await startSmtpSink();
    const push = await startPushSink();
    const children: ChildProcessWithoutNullStreams[] = [];
    let handle = createDatabase(database.target);
    try {
      const migrated = await migrateToLatest(handle.db);
      expect(migrated.ok).toBe(true);
      const sam = await account(handle.db, 'sam');
      const handles = new Map<string, string>();
      const recipients: string[] = [];
      for (const name of ['ada', 'bo']) {
        const who = await account(handle.db, name);
        recipients.push(who.id);
        const sub = push.subscribe();
        handles.set(sub.endpoint, name);
        await handle.db
          .insertInto('push_subscriptions')
          .values({
            id: randomUUID(),
            account_id: who.id,
            endpoint: sub.endpoint,
            p256dh: sub.keys.p256dh,
            auth: sub.keys.auth,
            created_at: new Date().toISOString(),
          })
          .execute();
        await handle.db
          .insertInto('circle_members')
          .values({ owner_id: sam.id, member_id: who.id, created_at: new Date().toISOString() })
          .execute();
      }
      await handle.close();

      const env = {
        DATABASE_URL: database.url,
        DATA_DIR: dataDir,
        WEB_DIR: webDir,
        SMTP_URL: smtp.url,
        LOG_LEVEL: 'warn',
      };
      // First life: accepts the reach-out but sends nothing (no delivery worker in this process).
      const first = await startTend({ ...env, NOTIFY_WORKER: 'false' });
      children.push(first.child);
      const csrf = await fetch(`${first.url}/api/v1/csrf`);
      const { token } = (await csrf.json()) as { token: string };
      const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]);
      const id = b64(16);
      const res = await fetch(`${first.url}/api/v1/reachouts`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': token,
          cookie: [`${sessionCookie}=${sam.token}`, ...csrfCookie].join('; '),
        },
        body: JSON.stringify({ id, level: 'help-now', recipients }),
      });
      first.child.kill('SIGKILL');
      expect(res.status, await res.text()).toBe(201);
      expect(await exited(first.child)).toBe('SIGKILL');
      expect(smtp.messages).toEqual([]);
      expect(push.received).toEqual([]);

      handle = createDatabase(database.target);
      const queued = await handle.db
        .selectFrom('notify_outbox')
        .select(['channel', 'status'])
        .orderBy('channel')
        .execute();
      expect(queued).toEqual([
        { channel: 'email', status: 'pending' },
        { channel: 'email', status: 'pending' },
        { channel: 'push', status: 'pending' },
        { channel: 'push', status: 'pending' },
      ]);
      await handle.close();

      // Second life, with delivery: everything queued goes out, once.
      const second = await startTend(env);
      children.push(second.child);
      await smtp.waitFor(2, 15_000);
      await push.waitFor(2, 15_000);
      await new Promise((r) => setTimeout(r, 2_500)); // more than two polls of the worker
      second.child.kill('SIGTERM');
      expect(await exited(second.child)).toBe(0);

      expect(smtp.messages.map((m) => m.to.join(',')).sort()).toEqual([
        'ada@example.test',
        'bo@example.test',
      ]);
      expect(push.received.map((p) => handles.get(p.endpoint)).sort()).toEqual(['ada', 'bo']);
      for (const p of push.received) {
        expect(p.payload).toEqual({
          title: 'Tend',
          body: 'Someone in your circle is reaching out — open Tend',
          path: `/circle/reach-outs/${id}`,
        });
      }
      handle = createDatabase(database.target);
      const after = await handle.db.selectFrom('notify_outbox').select('status').execute();
      expect(after.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await handle.close();
      await smtp.close();
      await push.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(webDir, { recursive: true, force: true });
    }
  }, 90_000);
});
