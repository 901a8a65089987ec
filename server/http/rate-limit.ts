import type { FastifyRequest } from 'fastify';

/**
 * A route's rate limit per signed-in account (per IP address for a signed-out visitor, whom the
 * route then refuses anyway): at most `max` requests a minute. `scope` keeps each capability's
 * count apart, so posting in a group does not use up someone's allowance for their circle.
 * Checked after the session is known (preHandler).
 */
export const perAccountLimit = (scope: string, max: number) => ({
  rateLimit: {
    max,
    timeWindow: 60_000,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) =>
      request.auth === null ? `ip:${request.ip}` : `${scope}:${request.auth.accountId}`,
  },
});
