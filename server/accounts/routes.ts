import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  accountSelfSchema,
  challengeRequestSchema,
  challengeResponseSchema,
  endSessionsRequestSchema,
  endSessionsResponseSchema,
  inviteRequestSchema,
  inviteSchema,
  passphraseChangeRequestSchema,
  recoverRequestSchema,
  recoveryKeyChangeRequestSchema,
  registrationSchema,
  sessionSchema,
  settingsSchema,
  signedChallengeSchema,
  signUpRequestSchema,
  type AccountSelf,
} from '../../core/src/accounts/api.js';
import { errorBodySchema } from '../../core/src/errors.js';
import type { AppDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { clearSessionCookie, requireAuth, setSessionCookie } from '../http/session.js';
import {
  countAccounts,
  deleteInvite,
  insertInvite,
  listInvites,
  type AccountRow,
} from './repository.js';
import {
  deleteAccountSession,
  deleteAccountSessions,
  listSessions,
} from './sessions-repository.js';
import { describeUserAgent, type SessionLimits } from './sessions.js';
import {
  changePassphrase,
  closeAccount,
  endSessionsAsAdmin,
  getAccount,
  issueChallenge,
  recover,
  registrationMode,
  replaceRecoveryKey,
  setRegistrationMode,
  signIn,
  signUp,
  tokenHash,
  type AccountsDeps,
  type ChangeFailure,
  type NewSession,
} from './use-cases.js';

export interface AccountsRouteOptions extends AppDeps {
  readonly secret: string;
  readonly limits: SessionLimits;
}

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};
const ok204 = { 204: z.null() };

/**
 * The web origin sign-in challenges are bound to: PUBLIC_URL when set (it must be, whenever
 * people reach Tend by any address but loopback), otherwise the address this request came to.
 */
function originOf(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return new URL(publicUrl).origin;
  return `${request.protocol}://${request.host}`.toLowerCase();
}

function toSelf(row: AccountRow): AccountSelf {
  return {
    id: row.id,
    handle: row.handle,
    email: row.email,
    role: row.role,
    createdAt: row.created_at,
    keys: {
      saltSeed: row.salt_seed,
      kdfParams: JSON.parse(row.kdf) as AccountSelf['keys']['kdfParams'],
      wrappedMasterKeyPassphrase: row.master_key_by_passphrase,
      publicKeyBundle: JSON.parse(row.public_key_bundle) as AccountSelf['keys']['publicKeyBundle'],
      wrappedIdentityX25519: row.wrapped_identity_x25519,
      wrappedIdentityEd25519: row.wrapped_identity_ed25519,
    },
  };
}

/** One answer for every failed proof, so it tells nothing about which part was wrong. */
function sendAuthFailure(reply: FastifyReply, failure: ChangeFailure): FastifyReply {
  switch (failure.kind) {
    case 'throttled':
      void reply.header('retry-after', String(failure.retryAfterSeconds));
      return sendError(
        reply,
        429,
        'rate_limited',
        `Too many attempts. Please wait ${failure.retryAfterSeconds} seconds.`,
      );
    case 'weak_kdf':
      return sendError(
        reply,
        400,
        'weak_kdf',
        'The key-derivation settings are weaker than Tend allows.',
      );
    case 'failed':
    case 'not_you':
      return sendError(reply, 401, 'sign_in_failed', 'That handle and passphrase do not match.');
  }
}

export const accountsRoutes: FastifyPluginAsyncZod<AccountsRouteOptions> = async (app, opts) => {
  const deps: AccountsDeps = {
    db: opts.db,
    now: opts.now,
    secret: opts.secret,
    limits: opts.limits,
  };
  const authLimit = {
    rateLimit: {
      max: opts.config.authRateLimitPerMinute,
      timeWindow: 60_000,
      exponentialBackoff: true,
    },
  };
  const label = (request: FastifyRequest) => describeUserAgent(request.headers['user-agent']);
  const startSessionReply = (reply: FastifyReply, session: NewSession) => {
    setSessionCookie(reply, session.token, session.expiresAt);
  };
  const self = async (accountId: string) => {
    const row = await getAccount(deps, accountId);
    if (row === undefined) throw new Error('account vanished during the request');
    return toSelf(row);
  };

  app.get(
    '/api/v1/accounts/registration',
    {
      schema: {
        tags: ['accounts'],
        summary: 'How new people can join',
        response: { 200: registrationSchema },
      },
    },
    async () => ({
      mode: await registrationMode(opts.db),
      firstAccount: (await countAccounts(opts.db)) === 0,
    }),
  );

  app.post(
    '/api/v1/auth/challenge',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Start a sign-in, re-authentication or recovery',
        body: challengeRequestSchema,
        response: { 200: challengeResponseSchema, ...errors },
      },
    },
    async (request) => issueChallenge(deps, request.body.handle, request.body.purpose),
  );

  app.post(
    '/api/v1/accounts',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Create an account from keys made in the browser',
        body: signUpRequestSchema,
        response: { 201: accountSelfSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await signUp(deps, request.body, label(request));
      if (!result.ok) {
        switch (result.error) {
          case 'registration_closed':
            return sendError(
              reply,
              403,
              'registration_closed',
              'This Tend is not taking new accounts right now.',
            );
          case 'invite_invalid':
            return sendError(
              reply,
              403,
              'invite_invalid',
              'Joining needs a valid invitation. Ask someone here for one.',
            );
          case 'handle_taken':
            return sendError(
              reply,
              409,
              'handle_taken',
              'That handle is taken. Please choose another.',
            );
          case 'weak_kdf':
            return sendError(
              reply,
              400,
              'weak_kdf',
              'The key-derivation settings are weaker than Tend allows.',
            );
          case 'bad_keys':
            return sendError(
              reply,
              400,
              'invalid_input',
              'The public keys are not signed correctly.',
            );
        }
      }
      request.log.info({ event: 'sign_up', accountId: result.value.accountId }, 'account created');
      startSessionReply(reply, result.value);
      return reply.code(201).send(await self(result.value.accountId));
    },
  );

  app.post(
    '/api/v1/sessions',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Sign in with a signed challenge',
        body: signedChallengeSchema,
        response: { 200: accountSelfSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await signIn(
        deps,
        request.body,
        originOf(request, opts.config.publicUrl),
        label(request),
      );
      if (!result.ok) {
        request.log.info({ event: 'sign_in', outcome: result.error.kind }, 'sign-in refused');
        return sendAuthFailure(reply, result.error);
      }
      // A new session every time: whatever session cookie came with the request is replaced.
      if (request.auth !== null)
        await deleteAccountSession(opts.db, request.auth.accountId, request.auth.sessionId);
      request.log.info(
        { event: 'sign_in', outcome: 'ok', accountId: result.value.accountId },
        'signed in',
      );
      startSessionReply(reply, result.value);
      return self(result.value.accountId);
    },
  );

  app.get(
    '/api/v1/accounts/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The signed-in account and its wrapped keys',
        response: { 200: accountSelfSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return self(auth.accountId);
    },
  );

  app.get(
    '/api/v1/sessions',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Where this account is signed in',
        response: { 200: z.object({ sessions: z.array(sessionSchema) }), 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const rows = await listSessions(opts.db, auth.accountId);
      return {
        sessions: rows.map((r) => ({
          id: r.id,
          label: r.label,
          createdAt: r.created_at,
          lastSeenAt: r.last_seen_at,
          current: r.id === auth.sessionId,
        })),
      };
    },
  );

  app.delete(
    '/api/v1/sessions/current',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign out here',
        response: { ...ok204, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      await deleteAccountSession(opts.db, auth.accountId, auth.sessionId);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/sessions',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign out everywhere (or everywhere else)',
        querystring: z.strictObject({ keepCurrent: z.enum(['true', 'false']).default('false') }),
        response: { 200: z.object({ ended: z.number() }), 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const keep = request.query.keepCurrent === 'true';
      const ended = await deleteAccountSessions(
        opts.db,
        auth.accountId,
        keep ? auth.sessionId : undefined,
      );
      if (!keep) clearSessionCookie(reply);
      return { ended };
    },
  );

  app.delete(
    '/api/v1/sessions/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'End one session',
        params: z.strictObject({ id: z.string().max(64) }),
        response: { ...ok204, 401: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      if (!(await deleteAccountSession(opts.db, auth.accountId, request.params.id))) {
        return sendError(reply, 404, 'not_found', 'No such session.');
      }
      if (request.params.id === auth.sessionId) clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/accounts/me/passphrase',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Change the passphrase (re-wraps the master key)',
        body: passphraseChangeRequestSchema,
        response: { ...ok204, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { change, endOtherSessions, ...signed } = request.body;
      const result = await changePassphrase(
        deps,
        auth,
        signed,
        change,
        endOtherSessions,
        originOf(request, opts.config.publicUrl),
      );
      if (!result.ok) return sendAuthFailure(reply, result.error);
      request.log.info(
        { event: 'passphrase_changed', accountId: auth.accountId },
        'passphrase changed',
      );
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/accounts/me/recovery-key',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Replace the recovery key',
        body: recoveryKeyChangeRequestSchema,
        response: { ...ok204, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { recoveryAuthPublicKey, wrappedMasterKeyRecovery, ...signed } = request.body;
      const result = await replaceRecoveryKey(
        deps,
        auth.accountId,
        signed,
        recoveryAuthPublicKey,
        wrappedMasterKeyRecovery,
        originOf(request, opts.config.publicUrl),
      );
      if (!result.ok) return sendAuthFailure(reply, result.error);
      request.log.info(
        { event: 'recovery_key_replaced', accountId: auth.accountId },
        'recovery key replaced',
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/recovery',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Set a new passphrase with the recovery key',
        body: recoverRequestSchema,
        response: { 200: accountSelfSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { change, ...signed } = request.body;
      const result = await recover(
        deps,
        signed,
        change,
        originOf(request, opts.config.publicUrl),
        label(request),
      );
      if (!result.ok) {
        request.log.info({ event: 'recovery', outcome: result.error.kind }, 'recovery refused');
        return sendAuthFailure(reply, result.error);
      }
      request.log.info(
        { event: 'recovery', outcome: 'ok', accountId: result.value.accountId },
        'recovered',
      );
      startSessionReply(reply, result.value);
      return self(result.value.accountId);
    },
  );

  app.delete(
    '/api/v1/accounts/me',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Delete the account and everything in it',
        body: signedChallengeSchema,
        response: { ...ok204, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const result = await closeAccount(
        deps,
        auth.accountId,
        request.body,
        originOf(request, opts.config.publicUrl),
      );
      if (!result.ok) return sendAuthFailure(reply, result.error);
      request.log.info({ event: 'account_deleted', accountId: auth.accountId }, 'account deleted');
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  // ---- Admin: how people join -------------------------------------------------------------

  const requireAdmin = (request: FastifyRequest, reply: FastifyReply) => {
    const auth = requireAuth(request, reply);
    if (auth === undefined) return undefined;
    if (auth.role !== 'admin') {
      request.log.warn(
        { event: 'forbidden', accountId: auth.accountId, path: request.routeOptions.url },
        'not an admin',
      );
      void sendError(reply, 403, 'forbidden', 'Only an admin of this Tend can do that.');
      return undefined;
    }
    return auth;
  };

  app.get(
    '/api/v1/admin/settings',
    {
      schema: {
        tags: ['admin'],
        summary: 'Instance settings',
        response: { 200: settingsSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request, reply) => {
      if (requireAdmin(request, reply) === undefined) return reply;
      return { registrationMode: await registrationMode(opts.db) };
    },
  );

  app.put(
    '/api/v1/admin/settings',
    {
      schema: {
        tags: ['admin'],
        summary: 'Change instance settings',
        body: settingsSchema,
        response: { 200: settingsSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAdmin(request, reply);
      if (auth === undefined) return reply;
      await setRegistrationMode(opts.db, request.body.registrationMode, opts.now());
      request.log.info(
        {
          event: 'admin',
          action: 'registration_mode',
          mode: request.body.registrationMode,
          accountId: auth.accountId,
        },
        'settings changed',
      );
      return { registrationMode: request.body.registrationMode };
    },
  );

  app.post(
    '/api/v1/admin/invites',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create an invitation (the token is shown once)',
        body: inviteRequestSchema,
        response: { 201: inviteSchema.extend({ token: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAdmin(request, reply);
      if (auth === undefined) return reply;
      const token = randomBytes(24).toString('base64url');
      const now = opts.now();
      const row = {
        id: tokenHash(token),
        created_by: auth.accountId,
        note: request.body.note ?? null,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + request.body.expiresInDays * 86_400_000).toISOString(),
        used_at: null,
      };
      await insertInvite(opts.db, row);
      request.log.info(
        { event: 'admin', action: 'invite_created', accountId: auth.accountId },
        'invite created',
      );
      return reply.code(201).send({
        id: row.id,
        note: row.note,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        usedAt: null,
        token,
      });
    },
  );

  app.get(
    '/api/v1/admin/invites',
    {
      schema: {
        tags: ['admin'],
        summary: 'Invitations',
        response: {
          200: z.object({ invites: z.array(inviteSchema) }),
          401: errorBodySchema,
          403: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      if (requireAdmin(request, reply) === undefined) return reply;
      const rows = await listInvites(opts.db);
      return {
        invites: rows.map((r) => ({
          id: r.id,
          note: r.note,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
          usedAt: r.used_at,
        })),
      };
    },
  );

  app.delete(
    '/api/v1/admin/invites/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Withdraw an invitation',
        params: z.strictObject({ id: z.string().max(64) }),
        response: { ...ok204, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAdmin(request, reply);
      if (auth === undefined) return reply;
      if (!(await deleteInvite(opts.db, request.params.id)))
        return sendError(reply, 404, 'not_found', 'No such invitation.');
      request.log.info(
        { event: 'admin', action: 'invite_deleted', accountId: auth.accountId },
        'invite withdrawn',
      );
      return reply.code(204).send(null);
    },
  );

  // ---- Admin: ending sessions (ASVS 7.4.5) ---------------------------------------------------

  app.post(
    '/api/v1/admin/sessions/end',
    {
      schema: {
        tags: ['admin'],
        summary: "End one person's sessions (by handle), or everyone's but your own",
        body: endSessionsRequestSchema,
        response: { 200: endSessionsResponseSchema, ...errors, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAdmin(request, reply);
      if (auth === undefined) return reply;
      const result = await endSessionsAsAdmin(opts, auth, request.body.handle);
      if (!result.ok) return sendError(reply, 404, 'not_found', 'No account has that handle.');
      request.log.info(
        {
          event: 'admin',
          action: 'sessions_ended',
          accountId: auth.accountId,
          targetAccountId: result.value.accountId ?? 'everyone',
          ended: result.value.ended,
        },
        'sessions ended by an admin',
      );
      return { ended: result.value.ended };
    },
  );
};
