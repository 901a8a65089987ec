import { createHash } from 'node:crypto';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * SvelteKit's route announcer (an aria-live region it adds after the first navigation) carries
 * this one inline style. CSP allows exactly this attribute value by hash and no other inline style.
 * If SvelteKit changes it, the browser tests' zero-console-error check fails and this is updated.
 */
export const svelteKitAnnouncerStyle =
  'position: absolute; left: 0; top: 0; clip: rect(0 0 0 0); clip-path: inset(50%); overflow: hidden; white-space: nowrap; width: 1px; height: 1px';

const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** The Content-Security-Policy directives sent with every response. No inline script, no eval. */
export const cspDirectives = {
  'default-src': ["'self'"],
  // 'wasm-unsafe-eval' lets the browser compile WebAssembly (Argon2id in hash-wasm); it does not
  // allow eval() or inline script.
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'style-src': ["'self'"],
  'style-src-attr': ["'unsafe-hashes'", hash(svelteKitAnnouncerStyle)],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'worker-src': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'object-src': ["'none'"],
} as const;

export async function registerSecurityHeaders(
  app: FastifyInstance,
  opts: { https: boolean },
): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...Object.fromEntries(Object.entries(cspDirectives).map(([k, v]) => [k, [...v]])),
        ...(opts.https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    // Tend is never framed, and never loads anything from elsewhere.
    crossOriginEmbedderPolicy: { policy: 'require-corp' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: opts.https ? { maxAge: 63072000, includeSubDomains: true } : false,
  });
  app.addHook('onSend', async (request, reply) => {
    // Geolocation only for Tend itself: a reach-out may share where the person is, asked only
    // when they tick "Share where I am" (web/src/lib/reachouts).
    reply.header(
      'permissions-policy',
      'camera=(), microphone=(), geolocation=(self), payment=(), usb=(), interest-cohort=(), browsing-topics=()',
    );
    // API answers may carry private (encrypted) data later: never store them in shared caches.
    if (
      request.url.startsWith('/api/') ||
      request.url === '/healthz' ||
      request.url === '/readyz'
    ) {
      reply.header('cache-control', 'no-store');
    }
  });
}
