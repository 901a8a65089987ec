import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { generateId } from '../../core/src/crypto/ids.js';
import { groupPageSchema, type GroupPageWire } from '../../core/src/groups/api.js';
import { signedInPerson } from '../test-support/accounts.js';
import type { TestApp } from '../test-support/app.js';
import type { TestClient } from '../test-support/client.js';
import { hashToken } from '../circles/use-cases.js';

export interface Someone {
  readonly client: TestClient;
  readonly accountId: string;
  readonly handle: string;
}

export async function someone(t: TestApp, handle: string): Promise<Someone> {
  const p = await signedInPerson(t, handle);
  return { client: p.client, accountId: p.accountId, handle };
}

/** A valid body for POST /api/v1/groups, with `over` on top. */
export function groupBody(over: Record<string, unknown> = {}) {
  const id = generateId();
  return {
    id,
    slug: `group-${id
      .slice(0, 8)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, 'x')}`,
    name: 'Hearing Voices, Thursday evenings',
    description: 'A peer-run space to talk about voices and visions, without judgement.',
    topics: ['hearing voices'],
    languages: ['en'],
    format: 'online',
    area: null,
    visibility: 'public',
    joinQuestions: [],
    agreement: 'What is said here stays here. No advice unless asked. No risk assessment.',
    ...over,
  };
}

/** Creates a group as `by`; returns its page. */
export async function createGroup(
  by: Someone,
  over: Record<string, unknown> = {},
): Promise<GroupPageWire> {
  const res = await by.client.post('/api/v1/groups', groupBody(over));
  expect(res.statusCode, res.body).toBe(201);
  return groupPageSchema.parse(res.json());
}

/** `who` joins a public group with its current agreement. */
export async function join(who: Someone, group: { id: string }, version = 1) {
  const res = await who.client.post(`/api/v1/groups/${group.id}/join`, {
    agreementVersion: version,
  });
  expect(res.statusCode, res.body).toBe(200);
  return groupPageSchema.parse(res.json());
}

/** `by` (a facilitator) invites `who` by handle and `who` accepts. */
export async function inviteAndAccept(by: Someone, who: Someone, group: { id: string }) {
  const id = generateId();
  const sent = await by.client.post(`/api/v1/groups/${group.id}/invitations`, {
    id,
    handle: who.handle,
  });
  expect(sent.statusCode, sent.body).toBe(201);
  const page = await who.client.get(`/api/v1/groups/${group.id}`);
  const version = groupPageSchema.parse(page.json()).agreement.version;
  const res = await who.client.post(`/api/v1/groups/invitations/${id}/answer`, {
    accept: true,
    agreementVersion: version,
  });
  expect(res.statusCode, res.body).toBe(200);
}

export async function setRole(by: Someone, group: { id: string }, who: Someone, role: string) {
  const res = await by.client.put(`/api/v1/groups/${group.id}/members/${who.accountId}/role`, {
    role,
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** A link token and the body that makes an invitation link with it. */
export function linkBody() {
  const token = randomBytes(32).toString('base64url');
  return { token, body: { id: generateId(), linkTokenHash: hashToken(token) } };
}

/** Row counts of every table the group routes write: a refused request changes none. */
export async function footprint(t: TestApp) {
  const tables = [
    'groups',
    'group_tags',
    'group_agreements',
    'group_members',
    'group_join_requests',
    'group_invitations',
    'events',
  ] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await t.handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** Stored realtime events of one account (type and data), in order. */
export async function eventsOf(t: TestApp, who: { accountId: string }) {
  const rows = await t.handle.db
    .selectFrom('events')
    .select(['type', 'data'])
    .where('account_id', '=', who.accountId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ type: r.type, data: JSON.parse(r.data) as Record<string, string> }));
}

/**
 * Writes a group straight into the database (for the authorization matrix, which needs hundreds
 * of fresh groups without tripping the routes' own rate limits): the facilitator, moderator and
 * member given (and any more `members`), agreement v1, one join question, a pending join request
 * from `requester`, a pending invitation by handle to `invitee`, bans of `banned`, and an
 * invitation link whose token is returned.
 */
export async function seedGroup(
  t: TestApp,
  opts: {
    visibility: 'public' | 'request' | 'invite';
    facilitator: string;
    moderator?: string;
    member?: string;
    requester?: string;
    invitee?: string;
    /** More members (role `member`). */
    members?: readonly string[];
    /** Accounts banned from the group (by the facilitator). */
    banned?: readonly string[];
    now: Date;
  },
) {
  const id = generateId();
  const slug = `seed-${randomBytes(6).toString('hex')}`;
  const at = opts.now.toISOString();
  const later = new Date(opts.now.getTime() + 24 * 3_600_000).toISOString();
  const db = t.handle.db;
  await db
    .insertInto('groups')
    .values({
      id,
      slug,
      name: `Seeded ${opts.visibility} group`,
      description: 'A group for the authorization matrix.',
      topics: '["matrix"]',
      languages: '["en"]',
      format: 'online',
      area: null,
      visibility: opts.visibility,
      join_questions: '["Why?"]',
      agreement_version: 1,
      // Not counted against the facilitator's daily allowance of new groups.
      created_by: null,
      created_at: at,
      updated_at: at,
      archived_at: null,
    })
    .execute();
  await db
    .insertInto('group_agreements')
    .values({
      group_id: id,
      version: 1,
      text: 'Be kind.',
      written_by: opts.facilitator,
      created_at: at,
    })
    .execute();
  const members: [string | undefined, 'facilitator' | 'moderator' | 'member'][] = [
    [opts.facilitator, 'facilitator'],
    [opts.moderator, 'moderator'],
    [opts.member, 'member'],
    ...(opts.members ?? []).map((m): [string, 'member'] => [m, 'member']),
  ];
  await db
    .insertInto('group_members')
    .values(
      members.flatMap(([account, role]) =>
        account === undefined
          ? []
          : [
              {
                group_id: id,
                account_id: account,
                role,
                agreement_version: 1,
                pseudonym: null,
                pseudonym_key: null,
                joined_at: at,
              },
            ],
      ),
    )
    .execute();
  if (opts.banned !== undefined && opts.banned.length > 0) {
    await db
      .insertInto('group_bans')
      .values(
        opts.banned.map((account) => ({
          group_id: id,
          account_id: account,
          banned_by: opts.facilitator,
          created_at: at,
        })),
      )
      .execute();
  }
  const requestId = generateId();
  if (opts.requester !== undefined) {
    await db
      .insertInto('group_join_requests')
      .values({
        id: requestId,
        group_id: id,
        account_id: opts.requester,
        answers: '["Because."]',
        agreement_version: 1,
        pseudonym: null,
        status: 'pending',
        decided_by: null,
        created_at: at,
        decided_at: null,
      })
      .execute();
  }
  const invitationId = generateId();
  const link = linkBody();
  await db
    .insertInto('group_invitations')
    .values([
      ...(opts.invitee === undefined
        ? []
        : [
            {
              id: invitationId,
              group_id: id,
              invited_by: opts.facilitator,
              kind: 'handle' as const,
              invitee_id: opts.invitee,
              link_token_hash: null,
              status: 'pending' as const,
              created_at: at,
              expires_at: later,
              answered_at: null,
            },
          ]),
      {
        id: link.body.id,
        group_id: id,
        invited_by: opts.facilitator,
        kind: 'link' as const,
        invitee_id: null,
        link_token_hash: link.body.linkTokenHash,
        status: 'pending' as const,
        created_at: at,
        expires_at: later,
        answered_at: null,
      },
    ])
    .execute();
  return { id, slug, requestId, invitationId, linkToken: link.token };
}
