import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * Real delivery sinks for tests: an SMTP server (smtp-server, mail parsed with mailparser) and a
 * web-push endpoint that decrypts what it receives (RFC 8291 aes128gcm, with http_ece) using keys
 * the test generated, exactly as a browser's push service and user agent would.
 */

/** Waits until `ready()` is true, checking every 20 ms; rejects after `timeoutMs`. */
async function until(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ─── SMTP ───────────────────────────────────────────────────────────────────────────────────────

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO). */
  readonly to: readonly string[];
  /** Envelope sender (MAIL FROM). */
  readonly from: string;
  /** The From header as written. */
  readonly fromHeader: string;
  readonly subject: string;
  readonly text: string;
  /** The HTML part, if any (false when there was none). */
  readonly html: string | false;
  /** The whole message as received, headers included. */
  readonly raw: string;
}

export interface SmtpSink {
  /** Put this in SMTP_URL, e.g. smtp://127.0.0.1:40123. */
  readonly url: string;
  /** Every message accepted so far, in order. */
  readonly messages: readonly ReceivedMail[];
  /** Refuse the next `count` messages with a temporary error (451), to test retries. */
  failNext(count: number): void;
  /** Holds every message (its DATA unanswered) until the returned function is called. */
  hold(): () => void;
  /** Resolves with the messages once at least `count` arrived (default 5 s). */
  waitFor(count: number, timeoutMs?: number): Promise<readonly ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  let failures = 0;
  let held: Promise<void> = Promise.resolve();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => void held.then(() => answer()));
      const answer = () => {
        if (failures > 0) {
          failures -= 1;
          const e = new Error('try again later') as Error & { responseCode: number };
          e.responseCode = 451;
          callback(e);
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (mail) => {
            const from = session.envelope.mailFrom;
            messages.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              from: from === false ? '' : from.address,
              fromHeader: mail.from?.text ?? '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: mail.html ?? false,
              raw: raw.toString('utf8'),
            });
            callback();
          },
          (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))),
        );
      };
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    failNext(count) {
      failures = count;
    },
    hold() {
      let release: () => void = () => undefined;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => release();
    },
    async waitFor(count, timeoutMs = 5000) {
      await until(() => messages.length >= count, timeoutMs, `${count} email(s)`);
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ─── Web push ───────────────────────────────────────────────────────────────────────────────────

/** A browser's push subscription as Tend's API takes it (pushSubscriptionSchema). */
export interface TestPushSubscription {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

export interface ReceivedPush {
  readonly endpoint: string;
  /** The decrypted payload, parsed as JSON (Tend sends `{ title, body, path }`). */
  readonly payload: unknown;
  /** The decrypted payload as text. */
  readonly text: string;
  readonly headers: IncomingHttpHeaders;
}

export interface PushSink {
  /** A new subscription at this endpoint, with a P-256 key pair and auth secret made here. */
  subscribe(): TestPushSubscription;
  /** Every push decrypted so far, in order. */
  readonly received: readonly ReceivedPush[];
  /** Answer the next requests to `endpoint` with these statuses (e.g. [500, 500]), then 201. */
  respondWith(endpoint: string, statuses: readonly number[]): void;
  /** From now on, answer `endpoint` with 410 Gone (the browser unsubscribed). */
  gone(endpoint: string): void;
  /** How many requests reached `endpoint`, whatever the answer. */
  attempts(endpoint: string): number;
  /** Resolves once at least `count` pushes were delivered (default 5 s). */
  waitFor(count: number, timeoutMs?: number): Promise<readonly ReceivedPush[]>;
  close(): Promise<void>;
}

export async function startPushSink(): Promise<PushSink> {
  const keys = new Map<string, { ecdh: ReturnType<typeof createECDH>; auth: string }>();
  const scripted = new Map<string, number[]>();
  const goneSet = new Set<string>();
  const counts = new Map<string, number>();
  const received: ReceivedPush[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const endpoint = `${base}${req.url ?? ''}`;
      counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
      const k = keys.get(endpoint);
      if (req.method !== 'POST' || k === undefined || goneSet.has(endpoint)) {
        res.writeHead(k === undefined ? 404 : 410).end();
        return;
      }
      const next = scripted.get(endpoint)?.shift();
      if (next !== undefined) {
        res.writeHead(next).end();
        return;
      }
      try {
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
        const text = decrypt(Buffer.concat(chunks), {
          version: 'aes128gcm',
          privateKey: k.ecdh,
          authSecret: k.auth,
        }).toString('utf8');
        received.push({
          endpoint,
          payload: JSON.parse(text) as unknown,
          text,
          headers: req.headers,
        });
        res.writeHead(201).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    subscribe() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      const endpoint = `${base}/push/${randomUUID()}`;
      keys.set(endpoint, { ecdh, auth });
      return { endpoint, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth } };
    },
    received,
    respondWith(endpoint, statuses) {
      scripted.set(endpoint, [...statuses]);
    },
    gone(endpoint) {
      goneSet.add(endpoint);
    },
    attempts: (endpoint) => counts.get(endpoint) ?? 0,
    async waitFor(count, timeoutMs = 5000) {
      await until(() => received.length >= count, timeoutMs, `${count} push message(s)`);
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
