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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: {
        req: (req: FastifyRequest) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination ?? pino.destination({ sync: false }),
  );
}
