import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { resolveSession, type Auth, type SessionLimits } from '../accounts/sessions.js';
import type { Database } from '../db/schema.js';
import { sendError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is signed in, or null. Set for every request from its session cookie. */
    auth: Auth | null;
  }
}

/**
 * Cookies carry the `__Host-` prefix: Secure, path /, no Domain, so no other host or path can
 * set or read them. Browsers accept Secure cookies over plain http on localhost only; anywhere
 * else Tend must sit behind HTTPS.
 */
export const sessionCookie = '__Host-tend-session';
export const csrfCookie = '__Host-tend-csrf';
export const csrfHeader = 'x-csrf-token';

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface SessionDeps {
  readonly db: Kysely<Database>;
  readonly secret: string;
  readonly limits: SessionLimits;
  readonly now: () => Date;
}

/**
 * Session cookies, and CSRF protection on every state-changing request: a token from
 * `GET /api/v1/csrf`, sent back in the `x-csrf-token` header and checked against a signed,
 * httpOnly, SameSite=Strict secret cookie (double submit, from @fastify/csrf-protection).
 */
export async function registerSessions(app: FastifyInstance, deps: SessionDeps): Promise<void> {
  await app.register(cookie, { secret: deps.secret, hook: 'onRequest' });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: csrfCookie,
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: true, signed: true },
    getToken: (request) => {
      const value = request.headers[csrfHeader];
      return typeof value === 'string' ? value : undefined;
    },
  });
  app.decorateRequest('auth', null);

  app.addHook('onRequest', (request, reply, done) => {
    if (mutating.has(request.method)) {
      app.csrfProtection(request, reply, done);
      return;
    }
    done();
  });
  // Only the API needs to know who is signed in: pages and assets are the same for everyone, and
  // must not cost a database read each.
  app.addHook('preHandler', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const token = request.cookies[sessionCookie];
    if (token !== undefined)
      request.auth = await resolveSession(deps.db, token, deps.now(), deps.limits);
  });

  app.get(
    '/api/v1/csrf',
    {
      schema: {
        tags: ['accounts'],
        summary: 'A CSRF token to send in the x-csrf-token header of state-changing requests',
        response: { 200: z.object({ token: z.string() }) },
      },
    },
    async (_request, reply) => ({ token: reply.generateCsrf() }),
  );
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date): void {
  void reply.setCookie(sessionCookie, token, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(sessionCookie, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
  });
}

/** The signed-in account, or a 401 sent and undefined returned. */
export function requireAuth(request: FastifyRequest, reply: FastifyReply): Auth | undefined {
  if (request.auth === null) {
    void sendError(reply, 401, 'unauthenticated', 'Please sign in.');
    return undefined;
  }
  return request.auth;
}
