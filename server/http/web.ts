import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

const immutablePrefix = '/_app/immutable/';

/** Paths that belong to the API or the server itself, never to the single-page app. */
const isServerPath = (path: string) =>
  path === '/api' || path.startsWith('/api/') || path === '/healthz' || path === '/readyz';

export function webAppIsBuilt(webDir: string): boolean {
  return existsSync(join(webDir, 'index.html'));
}

/**
 * Serves the built SvelteKit app from `webDir`. Content-hashed files under /_app/immutable/ are
 * cached for a year; everything else is revalidated so a new release shows up at once. A GET for
 * any other page path answers with the app shell (index.html) so client routes work on reload.
 */
export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    // Routes for the built files are made once at start-up: no directory reads per request
    // (`npm run dev` restarts the server when the web app is rebuilt).
    wildcard: false,
    index: ['index.html'],
    cacheControl: false,
    etag: true,
    lastModified: true,
    serveDotFiles: false,
    setHeaders: (res, path) => {
      const rel = path.slice(webDir.length).replaceAll('\\', '/');
      res.header(
        'cache-control',
        rel.startsWith(immutablePrefix) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      if (rel.endsWith('.webmanifest')) res.header('content-type', 'application/manifest+json');
    },
  });
}

export function registerNotFound(app: FastifyInstance, opts: { spa: boolean }): void {
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    const wantsPage =
      opts.spa &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !isServerPath(path) &&
      !path.startsWith('/_app/') &&
      !/\.[A-Za-z0-9]{1,8}$/.test(path) &&
      (request.headers.accept ?? '').includes('text/html');
    if (wantsPage) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendError(reply, 404, 'not_found', `Nothing is at ${request.method} ${path}.`);
  });
}
