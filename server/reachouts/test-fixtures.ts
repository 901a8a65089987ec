import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { reachoutSchema, type ReachoutWire } from '../../core/src/circles/api.js';
import { signedInClient } from '../test-support/accounts.js';
import type { TestApp } from '../test-support/app.js';
import type { TestClient } from '../test-support/client.js';

export interface Someone {
  readonly client: TestClient;
  readonly accountId: string;
  readonly handle: string;
}

/** A fresh reach-out id (client-chosen, like the web app's). */
export const newId = () => randomBytes(16).toString('base64url');

/** A push subscription as a browser would give it (pushSubscriptionSchema). */
export interface PushKeys {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

/**
 * Someone signed in, with an email address and a push subscription (by default a made-up one at
 * an endpoint nobody answers; pass `push` from a test push sink to receive it), so the outbox
 * queues both channels for them. `channels: false`: neither.
 */
export async function someone(
  t: TestApp,
  handle: string,
  opts: { channels?: boolean; push?: PushKeys } = {},
): Promise<Someone> {
  const who = await signedInClient(t, handle);
  if (opts.channels !== false) {
    await t.handle.db
      .updateTable('accounts')
      .set({ email: `${handle}@example.test` })
      .where('id', '=', who.accountId)
      .execute();
    const push = opts.push ?? {
      endpoint: `https://push.example.test/${handle}/${randomUUID()}`,
      keys: {
        p256dh: randomBytes(65).toString('base64url'),
        auth: randomBytes(16).toString('base64url'),
      },
    };
    await t.handle.db
      .insertInto('push_subscriptions')
      .values({
        id: randomUUID(),
        account_id: who.accountId,
        endpoint: push.endpoint,
        p256dh: push.keys.p256dh,
        auth: push.keys.auth,
        created_at: new Date().toISOString(),
      })
      .execute();
  }
  return { ...who, handle };
}

/** `member` joins `owner`'s circle (what accepting an invitation makes). */
export async function join(t: TestApp, owner: Someone, member: Someone): Promise<void> {
  await t.handle.db
    .insertInto('circle_members')
    .values({
      owner_id: owner.accountId,
      member_id: member.accountId,
      created_at: new Date().toISOString(),
    })
    .execute();
}

/** Posts a reach-out and expects it accepted (201). */
export async function reachOut(
  owner: Someone,
  body: {
    id?: string;
    level?: 'check-in' | 'struggling' | 'help-now';
    recipients: readonly Someone[];
    escalation?: { afterMinutes: number; recipients: readonly Someone[] };
  },
): Promise<ReachoutWire> {
  const res = await owner.client.post('/api/v1/reachouts', {
    id: body.id ?? newId(),
    level: body.level ?? 'help-now',
    recipients: body.recipients.map((r) => r.accountId),
    ...(body.escalation === undefined
      ? {}
      : {
          escalation: {
            afterMinutes: body.escalation.afterMinutes,
            recipients: body.escalation.recipients.map((r) => r.accountId),
          },
        }),
  });
  expect(res.statusCode, res.body).toBe(201);
  return reachoutSchema.parse(res.json());
}

/** Outbox rows for one person, as (channel, kind, payload) — what will be delivered to them. */
export async function outboxFor(t: TestApp, who: Someone) {
  const rows = await t.handle.db
    .selectFrom('notify_outbox')
    .select(['channel', 'kind', 'dedupe_key', 'payload'])
    .where('account_id', '=', who.accountId)
    .orderBy('dedupe_key')
    .execute();
  return rows.map((r) => ({
    channel: r.channel,
    kind: r.kind,
    dedupeKey: r.dedupe_key,
    payload: JSON.parse(r.payload) as unknown,
  }));
}

/** Stored realtime events for one person, in sequence order, as `type:reachoutId`. */
export async function eventsFor(t: TestApp, who: Someone) {
  const rows = await t.handle.db
    .selectFrom('events')
    .select(['seq', 'type', 'data'])
    .where('account_id', '=', who.accountId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => `${r.type}:${(JSON.parse(r.data) as { reachoutId?: string }).reachoutId}`);
}

/** Row counts of everything a reach-out writes: nothing may change on a refused request. */
export async function reachoutFootprint(t: TestApp) {
  const count = async (table: 'reachouts' | 'reachout_recipients' | 'events' | 'notify_outbox') => {
    const row = await t.handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return {
    reachouts: await count('reachouts'),
    recipients: await count('reachout_recipients'),
    events: await count('events'),
    outbox: await count('notify_outbox'),
  };
}
