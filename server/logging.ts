import type { FastifyReply, FastifyRequest } from 'fastify';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths that must never appear in a log line, whatever a future log call passes in. Tend never
 * logs request or response bodies; the request line is logged without its query string.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passphrase',
  '*.secret',
  '*.token',
  '*.ciphertext',
  '*.body',
];

/**
 * The path as logged: the route's pattern when a route matched (`/api/v1/links/open/:token`), so
 * link tokens and ids in paths never reach the logs; otherwise (the web app's fallback, unknown
 * paths) the path without its query, with any segment long enough to be a token replaced.
 */
function loggedPath(req: FastifyRequest): string {
  const pattern = (req.routeOptions as { url?: string } | undefined)?.url;
  if (pattern !== undefined && !pattern.includes('*')) return pattern;
  return (req.url.split('?')[0] ?? '').replace(/[A-Za-z0-9_-]{32,}/g, ':token');
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: {
        req: (req: FastifyRequest) => ({
          id: req.id,
          method: req.method,
          path: loggedPath(req),
        }),
        res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination ?? pino.destination({ sync: false }),
  );
}
