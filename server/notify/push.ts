import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpush from 'web-push';
import { z } from 'zod';
import type { NotificationText } from './outbox.js';

export interface VapidKeys {
  readonly publicKey: string;
  readonly privateKey: string;
}

const vapidFileSchema = z.object({ publicKey: z.string().min(1), privateKey: z.string().min(1) });

/**
 * The instance's VAPID keys, made on first start and kept in `DATA_DIR/vapid.json` (mode 0600).
 * Several processes starting together on one data folder agree: the file is published with
 * link(2), which fails if another process got there first, and then that one is read.
 */
export function loadOrCreateVapidKeys(dataDir: string): VapidKeys {
  const file = join(dataDir, 'vapid.json');
  try {
    return vapidFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(
        `${file} is not a valid VAPID key file; move it away to make new keys (browsers will subscribe again).`,
        { cause: e },
      );
    }
  }
  const keys = webpush.generateVAPIDKeys();
  mkdirSync(dataDir, { recursive: true });
  const tmp = join(dataDir, `.vapid-${randomUUID()}.json`);
  writeFileSync(tmp, JSON.stringify(keys), { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return vapidFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } finally {
    rmSync(tmp, { force: true });
  }
  return { publicKey: keys.publicKey, privateKey: keys.privateKey };
}

/** The VAPID subject: PUBLIC_URL when it is https, otherwise a mailto: of NOTIFY_FROM. */
export function vapidSubject(publicUrl: string | undefined, notifyFrom: string): string {
  if (publicUrl?.startsWith('https://') === true) return publicUrl;
  const address = /<([^<>]+)>/.exec(notifyFrom)?.[1] ?? notifyFrom;
  return `mailto:${address.trim()}`;
}

export interface PushTarget {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

/** `sent`; `gone` (404/410: the browser dropped it, delete it); or `failed` (try again later). */
export type PushOutcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'gone' }
  | { readonly kind: 'failed'; readonly reason: string };

export interface PushSender {
  readonly publicKey: string;
  send(target: PushTarget, text: NotificationText, opts: { urgent: boolean }): Promise<PushOutcome>;
}

/**
 * Web push (RFC 8030/8291/8292) with `web-push`: it encrypts the payload for the subscription's
 * keys (aes128gcm) and signs the VAPID header; the request itself goes out with fetch, which
 * also reaches http endpoints (web-push's own sender speaks https only).
 */
export function createPushSender(keys: VapidKeys, subject: string): PushSender {
  return {
    publicKey: keys.publicKey,
    async send(target, text, opts) {
      const payload = JSON.stringify({ title: text.title, body: text.body, path: text.path });
      let details: webpush.RequestDetails;
      try {
        details = webpush.generateRequestDetails(
          { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
          payload,
          {
            vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
            TTL: 24 * 3600,
            urgency: opts.urgent ? 'high' : 'normal',
            contentEncoding: 'aes128gcm',
          },
        );
      } catch (e) {
        // Keys the push service would never accept: the subscription is unusable.
        void e;
        return { kind: 'gone' };
      }
      let status: number;
      try {
        const res = await fetch(details.endpoint, {
          method: details.method,
          headers: details.headers as Record<string, string>,
          body: details.body === null ? null : new Uint8Array(details.body),
          redirect: 'error',
          signal: AbortSignal.timeout(15_000),
        });
        status = res.status;
        await res.body?.cancel();
      } catch (e) {
        return { kind: 'failed', reason: e instanceof Error ? e.name : 'network error' };
      }
      if (status >= 200 && status < 300) return { kind: 'sent' };
      if (status === 404 || status === 410) return { kind: 'gone' };
      return { kind: 'failed', reason: `push service answered ${status}` };
    },
  };
}
