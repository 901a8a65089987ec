// How long from a reach-out to the push and the email arriving, and how does that compare with
// sending the same pushes and emails directly?
//
//   node --import tsx bench/notify.ts
//
// On demand only (not a timed test). This process holds the sinks and the client; the servers
// run in child processes so that the sinks' work (decrypting pushes, parsing mail) never shares
// an event loop with the server under test:
//
// - Tend: `startTend()` from source (everything `npm start` does, without the built web app) on a
//   fresh SQLite database in a temporary DATA_DIR, with SMTP_URL pointing at the SMTP sink of
//   server/test-support/notify.ts (`startSmtpSink`); Tend makes its VAPID keys in DATA_DIR as on
//   any first start. An owner and N supporters (each with an email address) are written to the
//   database with sessions and circle membership (as bench/realtime.ts does: sign-up and
//   invitations are not what is measured); each supporter's push subscription, at the push sink
//   (`startPushSink`, which decrypts every push as a browser would), is registered through the
//   real route (POST /api/v1/notify/push-subscriptions, with CSRF), and GET
//   /api/v1/notify/settings must then say email and one push device for each.
// - baseline: a bare Node process that sends the same pushes with web-push's `sendNotification`
//   (same VAPID keys and subject, same payload bytes, TTL, urgency and aes128gcm) and the same
//   emails with a nodemailer transport made as Tend makes its own (no pool: one SMTP connection
//   per email, as Tend), all at once, to the same sinks.
//
// Each round, Tend then baseline: Tend's round POSTs a real help-now reach-out to the N
// supporters (POST /api/v1/reachouts: validation, transaction, durable outbox, then the worker),
// timed from just before the request to each push decrypted at the push sink and each email
// parsed at the SMTP sink; the baseline's round is timed from just before this process asks the
// baseline process to send. Nothing shortcuts Tend's outbox worker: it runs as in production,
// woken after the reach-out's commit (`notifier.wake()`) and otherwise polling every second; no
// drain() is called. Every arrival is matched to its round by the reach-out id in the link.
//
// Settings (environment): NOTIFY_BENCH_SUPPORTERS (10, at most 50: one reach-out's limit),
// NOTIFY_BENCH_ROUNDS (30, after 3 unmeasured), BENCH_LOG_LEVEL (Tend's LOG_LEVEL, default info,
// the production default; its warnings and errors are printed and counted).
// Clocks: every time is read in this process (performance.timeOrigin + performance.now()).
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { createConnection } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import nodemailer from 'nodemailer';
import webpush from 'web-push';
import { startSession } from '../server/accounts/sessions.js';
import { createDatabase } from '../server/db/database.js';
import { sessionCookie } from '../server/http/session.js';
import { vapidSubject } from '../server/notify/push.js';
import { startTend } from '../server/start.js';
import {
  startPushSink,
  startSmtpSink,
  type ReceivedMail,
  type ReceivedPush,
} from '../server/test-support/notify.js';
import { percentile } from './report.js';

const wallMs = () => performance.timeOrigin + performance.now();
const b64 = (n: number) => randomBytes(n).toString('base64url');
const WARMUP = 3;
/** A round that has not delivered everything after this long is a failure, not a figure. */
const ROUND_TIMEOUT_MS = 30_000;

interface Supporter {
  readonly id: string;
  readonly cookie: string;
  readonly email: string;
}
interface TendReady {
  readonly url: string;
  readonly owner: { readonly id: string; readonly cookie: string };
  readonly supporters: readonly Supporter[];
  readonly notifyFrom: string;
  readonly vapidSubject: string;
}
interface BaselineSetup {
  readonly cmd: 'setup';
  readonly smtpUrl: string;
  readonly from: string;
  readonly emails: readonly string[];
  readonly subscriptions: readonly {
    endpoint: string;
    keys: { p256dh: string; auth: string };
  }[];
  readonly vapid: { publicKey: string; privateKey: string; subject: string };
}
interface BaselineSend {
  readonly cmd: 'send';
  readonly push: string;
  readonly subject: string;
  readonly text: string;
}
type Command = BaselineSetup | BaselineSend | { readonly cmd: 'stop' };

// ─── Tend (child process) ────────────────────────────────────────────────────────────────────

async function serveTend(dir: string, smtpUrl: string, logLevel: string, n: number) {
  const started = await startTend({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    WEB_DIR: dir,
    SMTP_URL: smtpUrl,
    LOG_LEVEL: logLevel,
  });
  if (!started.ok) throw new Error(started.error);
  const tend = started.value;

  // People, sessions and the circle straight into the database (a second connection, closed
  // before anything is measured).
  const handle = createDatabase(tend.config.database);
  const limits = { idleMs: 3_600_000, absoluteMs: 3_600_000 };
  const account = async (handleName: string, email: string | null) => {
    const id = b64(16);
    const at = new Date().toISOString();
    await handle.db
      .insertInto('accounts')
      .values({
        id,
        handle: handleName,
        email,
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
        created_at: at,
        updated_at: at,
      })
      .execute();
    const session = await startSession(handle.db, id, 'bench', new Date(), limits);
    return { id, cookie: `${sessionCookie}=${session.token}` };
  };
  const owner = await account('owner', null);
  const supporters: Supporter[] = [];
  for (let i = 0; i < n; i++) {
    const email = `supporter${i}@example.test`;
    supporters.push({ ...(await account(`supporter${i}`, email)), email });
    await handle.db
      .insertInto('circle_members')
      .values({
        owner_id: owner.id,
        member_id: supporters[i]?.id ?? '',
        created_at: new Date().toISOString(),
      })
      .execute();
  }
  await handle.close();

  process.on('message', (m: Command) => {
    if (m.cmd !== 'stop') return;
    void tend.close().then(() => {
      process.send?.({ stopped: true });
      process.exit(0);
    });
  });
  const ready: TendReady = {
    url: tend.url,
    owner,
    supporters,
    notifyFrom: tend.config.notifyFrom,
    vapidSubject: vapidSubject(tend.config.publicUrl, tend.config.notifyFrom),
  };
  process.send?.(ready);
}

// ─── The baseline (child process) ────────────────────────────────────────────────────────────

function serveBaseline(): void {
  let setup: BaselineSetup | undefined;
  let transport: ReturnType<typeof nodemailer.createTransport> | undefined;
  // web-push's sendNotification always uses https.request; the sink speaks plain HTTP on
  // loopback, so its agent opens plain TCP connections (keep-alive, as Tend's fetch does).
  const agent = new HttpsAgent({ keepAlive: true });
  agent.createConnection = (options) => createConnection(options as { port: number });

  process.on('message', (m: Command) => {
    void (async () => {
      if (m.cmd === 'setup') {
        setup = m;
        // As server/notify/mail.ts makes Tend's transport.
        transport = nodemailer.createTransport({
          url: m.smtpUrl,
          connectionTimeout: 15_000,
          greetingTimeout: 15_000,
          socketTimeout: 30_000,
        });
        process.send?.({ ready: true });
      } else if (m.cmd === 'send') {
        const s = setup;
        const mail = transport;
        if (s === undefined || mail === undefined) throw new Error('send before setup');
        const results = await Promise.allSettled([
          ...s.subscriptions.map((sub) =>
            webpush.sendNotification(sub, m.push, {
              vapidDetails: {
                subject: s.vapid.subject,
                publicKey: s.vapid.publicKey,
                privateKey: s.vapid.privateKey,
              },
              TTL: 24 * 3600,
              urgency: 'high',
              contentEncoding: 'aes128gcm',
              agent,
            }),
          ),
          ...s.emails.map((to) =>
            mail.sendMail({ from: s.from, to, subject: m.subject, text: m.text }),
          ),
        ]);
        const failed = results.filter((r) => r.status === 'rejected').length;
        process.send?.({ sent: true, failed });
      } else {
        transport?.close();
        agent.destroy();
        process.send?.({ stopped: true });
        process.exit(0);
      }
    })();
  });
  process.send?.({ started: true });
}

// ─── The harness (this process) ──────────────────────────────────────────────────────────────

function setting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (it is ${raw ?? ''}).`);
  }
  return v;
}

/** The next IPC message from `child` that `pick` accepts. */
function next<T>(child: ChildProcess, pick: (m: Record<string, unknown>) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a server exited (${String(code)})`));
    const on = (m: Record<string, unknown>) => {
      if (!pick(m)) return;
      child.off('message', on);
      child.off('exit', onExit);
      resolve(m as T);
    };
    child.on('message', on);
    child.once('exit', onExit);
  });
}

function forkSelf(args: string[], stdout: 'pipe' | 'inherit'): ChildProcess {
  return fork(import.meta.filename, args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', stdout, 'inherit', 'ipc'],
  });
}

/** Calls `on` with the time each item is added to a sink's list (the sinks append on arrival). */
function onArrival<T>(list: readonly T[], on: (item: T, at: number) => void): void {
  const arr = list as T[];
  Object.defineProperty(arr, 'push', {
    value: (...items: T[]) => {
      const at = wallMs();
      for (const item of items) on(item, at);
      return Array.prototype.push.apply(arr, items);
    },
  });
}

const markerOf = (s: string) => /\/circle\/reach-outs\/([A-Za-z0-9_-]{22})/.exec(s)?.[1];

interface Round {
  readonly marker: string;
  readonly pushes: number[];
  readonly mails: number[];
  done: () => void;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: percentile(s, 50), p99: percentile(s, 99) };
};
const ms = (v: number) => `${v.toFixed(1)} ms`;
const times = (a: number, b: number) => (b > 0 ? `×${(a / b).toFixed(1)}` : 'n/a');

async function main(): Promise<void> {
  const n = setting('NOTIFY_BENCH_SUPPORTERS', 10, 1, 50);
  const rounds = setting('NOTIFY_BENCH_ROUNDS', 30, 1, 10_000);
  const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
  console.log(
    `Node ${process.version}, ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  const smtp = await startSmtpSink();
  const push = await startPushSink();
  let round: Round | undefined;
  let stray = 0;
  const arrived = (which: 'pushes' | 'mails', text: string, at: number) => {
    const r = round;
    if (r === undefined || markerOf(text) !== r.marker) {
      stray += 1;
      return;
    }
    r[which].push(at);
    if (r.pushes.length >= n && r.mails.length >= n) r.done();
  };
  onArrival<ReceivedPush>(push.received, (p, at) => arrived('pushes', p.text, at));
  onArrival<ReceivedMail>(smtp.messages, (m, at) => arrived('mails', m.text, at));

  const dir = mkdtempSync(join(os.tmpdir(), 'tend-notify-bench-'));
  const tendChild = forkSelf(['--serve', dir, smtp.url, logLevel, String(n)], 'pipe');
  let logWarnings = 0;
  if (tendChild.stdout !== null) {
    createInterface({ input: tendChild.stdout }).on('line', (line) => {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level !== undefined && Number(level) >= 40) {
        logWarnings += 1;
        console.error(`Tend logged: ${line}`);
      }
    });
  }
  const baseChild = forkSelf(['--baseline'], 'inherit');
  try {
    const [tend] = await Promise.all([
      next<TendReady>(tendChild, (m) => 'url' in m),
      next(baseChild, (m) => 'started' in m),
    ]);

    // Each supporter's device subscribes through the real route, as the web app does.
    const csrf = async (cookie: string) => {
      const res = await fetch(`${tend.url}/api/v1/csrf`, { headers: { cookie } });
      const { token } = (await res.json()) as { token: string };
      const set = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
      return { token, cookie: [cookie, ...set].join('; ') };
    };
    for (const s of tend.supporters) {
      const c = await csrf(s.cookie);
      const res = await fetch(`${tend.url}/api/v1/notify/push-subscriptions`, {
        method: 'POST',
        headers: { cookie: c.cookie, 'content-type': 'application/json', 'x-csrf-token': c.token },
        body: JSON.stringify(push.subscribe()),
      });
      if (res.status !== 204) throw new Error(`subscribe: ${res.status} ${await res.text()}`);
      const settings = (await (
        await fetch(`${tend.url}/api/v1/notify/settings`, { headers: { cookie: s.cookie } })
      ).json()) as { hasEmail: boolean; emailServer: boolean; pushDevices: number };
      if (!settings.hasEmail || !settings.emailServer || settings.pushDevices !== 1) {
        throw new Error(`a supporter's notification settings: ${JSON.stringify(settings)}`);
      }
    }

    const vapid = JSON.parse(readFileSync(join(dir, 'vapid.json'), 'utf8')) as {
      publicKey: string;
      privateKey: string;
    };
    baseChild.send({
      cmd: 'setup',
      smtpUrl: smtp.url,
      from: tend.notifyFrom,
      emails: tend.supporters.map((s) => s.email),
      subscriptions: tend.supporters.map(() => push.subscribe()),
      vapid: { ...vapid, subject: tend.vapidSubject },
    } satisfies BaselineSetup);
    await next(baseChild, (m) => 'ready' in m);

    const timed = async (
      marker: string,
      start: () => Promise<void>,
    ): Promise<{ t0: number; answered: number; pushes: number[]; mails: number[] }> => {
      let done: () => void = () => {};
      const all = new Promise<void>((resolve) => (done = resolve));
      const r: Round = { marker, pushes: [], mails: [], done };
      round = r;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `round ${marker}: after ${ROUND_TIMEOUT_MS / 1000} s only ${r.pushes.length} pushes ` +
                  `and ${r.mails.length} emails of ${n} each arrived`,
              ),
            ),
          ROUND_TIMEOUT_MS,
        );
      });
      const t0 = wallMs();
      await start();
      const answered = wallMs();
      try {
        await Promise.race([all, timeout]);
      } finally {
        clearTimeout(timer);
      }
      round = undefined;
      return { t0, answered, pushes: r.pushes, mails: r.mails };
    };

    const recipients = tend.supporters.map((s) => s.id);
    let sample: { push: string; subject: string; text: string; marker: string } | undefined;
    const figures = () => ({
      push: [] as number[],
      mail: [] as number[],
      answered: [] as number[],
      last: [] as number[],
    });
    const fig = { tend: figures(), base: figures() };
    const record = (
      into: (typeof fig)['tend'],
      t: { t0: number; answered: number; pushes: number[]; mails: number[] },
    ) => {
      into.push.push(...t.pushes.map((a) => a - t.t0));
      into.mail.push(...t.mails.map((a) => a - t.t0));
      into.answered.push(t.answered - t.t0);
      into.last.push(Math.max(...t.pushes, ...t.mails) - t.t0);
    };

    for (let i = 0; i < WARMUP + rounds; i++) {
      // Tend: a real help-now reach-out through the route (CSRF token fetched before timing).
      const id = b64(16);
      const c = await csrf(tend.owner.cookie);
      const pushesBefore = push.received.length;
      const mailsBefore = smtp.messages.length;
      const t = await timed(id, async () => {
        const res = await fetch(`${tend.url}/api/v1/reachouts`, {
          method: 'POST',
          headers: {
            cookie: c.cookie,
            'content-type': 'application/json',
            'x-csrf-token': c.token,
          },
          body: JSON.stringify({ id, level: 'help-now', recipients }),
        });
        if (res.status !== 201) throw new Error(`reach-out: ${res.status} ${await res.text()}`);
      });
      if (sample === undefined) {
        const p = push.received[pushesBefore];
        const m = smtp.messages[mailsBefore];
        if (p === undefined || m === undefined) throw new Error('no sample from Tend');
        sample = { push: p.text, subject: m.subject, text: m.text, marker: id };
        console.log(
          `payloads: push ${Buffer.byteLength(p.text)} bytes before encryption; email ` +
            `${Buffer.byteLength(m.raw)} bytes as received (subject and text reused by the baseline)`,
        );
      }
      // Baseline: the same words with this round's id (same length), sent directly.
      const baseId = b64(16);
      const s = sample;
      const b = await timed(baseId, async () => {
        baseChild.send({
          cmd: 'send',
          push: s.push.replaceAll(s.marker, baseId),
          subject: s.subject,
          text: s.text.replaceAll(s.marker, baseId),
        } satisfies BaselineSend);
        const { failed } = await next<{ failed: number }>(baseChild, (m) => 'sent' in m);
        if (failed > 0) throw new Error(`baseline: ${failed} sends failed`);
      });
      if (i >= WARMUP) {
        record(fig.tend, t);
        record(fig.base, b);
      }
    }
    // Anything arriving after its round (a duplicate, a retry) shows up as stray.
    await new Promise((r) => setTimeout(r, 1500));

    const row = (label: string, tendXs: number[], baseXs: number[]) => {
      const a = stats(tendXs);
      const b = stats(baseXs);
      console.log(
        `${label.padEnd(34)} Tend median ${ms(a.median).padStart(9)}, p99 ${ms(a.p99).padStart(9)} | ` +
          `baseline median ${ms(b.median).padStart(9)}, p99 ${ms(b.p99).padStart(9)} | ` +
          `Tend/baseline median ${times(a.median, b.median)}, p99 ${times(a.p99, b.p99)}`,
      );
    };
    console.log(
      `\n${n} supporters, each with email + 1 push subscription; ${rounds} rounds after ${WARMUP} ` +
        `unmeasured; Tend on SQLite, LOG_LEVEL ${logLevel}; ${n * rounds} deliveries per channel`,
    );
    row('push: request → decrypted at sink', fig.tend.push, fig.base.push);
    row('email: request → parsed at sink', fig.tend.mail, fig.base.mail);
    row('whole round: request → last one', fig.tend.last, fig.base.last);
    const answer = stats(fig.tend.answered);
    console.log(
      `Tend answered the POST (201) after median ${ms(answer.median)}, p99 ${ms(answer.p99)}; ` +
        `it delivers after the commit, in the outbox worker (woken by the commit, else polling every 1 s).\n` +
        `Email includes the SMTP sink's fixed 100 ms pause before its greeting on every connection ` +
        `(smtp-server's early-talker check); Tend and the baseline both open one connection per email.\n` +
        `Stray or duplicate arrivals: ${stray}; Tend warnings/errors logged: ${logWarnings}; ` +
        `load average now ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    if (stray > 0 || logWarnings > 0) process.exitCode = 1;
  } finally {
    for (const child of [tendChild, baseChild]) if (child.connected) child.send({ cmd: 'stop' });
    await Promise.all([
      next(tendChild, (m) => 'stopped' in m).catch(() => undefined),
      next(baseChild, (m) => 'stopped' in m).catch(() => undefined),
    ]);
    await smtp.close();
    await push.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const arg = (i: number) => process.argv[process.argv.indexOf('--serve') + i] ?? '';
if (process.argv.includes('--serve')) await serveTend(arg(1), arg(2), arg(3), Number(arg(4)));
else if (process.argv.includes('--baseline')) serveBaseline();
else await main();
