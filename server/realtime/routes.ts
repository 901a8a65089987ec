import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../core/src/errors.js';
import type { ServiceDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { requireAuth } from '../http/session.js';
import { latestSeq, readEventsAfter, type StoredEvent } from './log.js';

/** Stored events are replayed this many at a time, so a client far behind costs little memory. */
export const REPLAY_PAGE = 1000;
export const HEARTBEAT_MS = 25_000;
/** What the browser waits before reconnecting (EventSource `retry:`). */
export const RETRY_MS = 2000;

const SEQ = /^\d{1,15}$/;
const querySchema = z.strictObject({
  after: z.string().regex(SEQ, 'a whole number').optional(),
});

const message = (e: StoredEvent): string =>
  `id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify({
    seq: e.seq,
    type: e.type,
    data: e.data,
    at: e.at,
  })}\n\n`;

/** Writes, waiting for the socket to drain when its buffer is full. False once it has closed. */
async function write(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (res.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
  return !res.destroyed && !res.writableEnded;
}

/**
 * `GET /api/v1/events`: the signed-in account's events as server-sent events. Resumes after
 * `Last-Event-ID` (or `?after=` for clients that cannot set it): stored events with a greater
 * `seq` first, in pages, then live ones, each exactly once and in order.
 */
export const realtimeRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });

  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['circles'],
        summary:
          "The signed-in account's events (server-sent events; resumes after Last-Event-ID or ?after=)",
        querystring: querySchema,
        headers: z.looseObject({ 'last-event-id': z.string().optional() }),
        response: { 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      // Last-Event-ID wins: the browser sends it on every reconnect, while the URL keeps the
      // `after` the stream first opened with.
      const header = request.headers['last-event-id'];
      const resumeFrom = header !== undefined && header !== '' ? header : request.query.after;
      if (resumeFrom !== undefined && !SEQ.test(resumeFrom)) {
        return sendError(reply, 400, 'invalid_input', 'Last-Event-ID must be a whole number.');
      }
      const accountId = auth.accountId;
      const latest = await latestSeq(deps.db, accountId);
      // A client that knows a later sequence than the server (a restored database) starts over
      // from what the server has, so new events are not mistaken for ones already seen.
      let lastSent = resumeFrom === undefined ? latest : Math.min(Number(resumeFrom), latest);

      reply.hijack();
      const res = reply.raw;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(reply.getHeaders())) {
        if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v);
      }
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      res.flushHeaders();

      let open = true;
      let unsubscribe = () => {};
      const heartbeat = setInterval(() => {
        if (open) res.write(': ok\n\n');
      }, HEARTBEAT_MS);
      const end = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(end);
        if (!res.writableEnded) res.end();
      };
      streams.add(end);
      res.on('close', end);

      /** Sends stored events after `lastSent`, page by page, up to `until` (or all there are). */
      const catchUp = async (until = Infinity) => {
        for (;;) {
          const page = await readEventsAfter(deps.db, accountId, lastSent, REPLAY_PAGE);
          for (const e of page) {
            if (e.seq > until) return;
            if (!(await write(res, message(e)))) return end();
            lastSent = e.seq;
          }
          if (page.length < REPLAY_PAGE) return;
        }
      };
      /** A live event: sent directly when it is the next one; after a gap, the log fills it. */
      const live = async (e: StoredEvent) => {
        if (e.seq <= lastSent) return;
        if (e.seq === lastSent + 1) {
          if (!(await write(res, message(e)))) return end();
          lastSent = e.seq;
          return;
        }
        await catchUp(e.seq);
      };

      // Every send goes through one chain, so replay and live events never interleave.
      let chain: Promise<void> = Promise.resolve();
      const enqueue = (step: () => Promise<void>) => {
        chain = chain
          .then(() => (open ? step() : undefined))
          .catch((e: unknown) => {
            request.log.warn({ err: e }, 'realtime: a stream failed; the client will resume');
            end();
          });
      };
      // Subscribe before replaying: events announced meanwhile wait in the chain.
      unsubscribe = deps.realtime.subscribe(accountId, (e) => enqueue(() => live(e)));
      if (!open) unsubscribe();
      await write(res, `retry: ${RETRY_MS}\n\n`);
      enqueue(() => catchUp());
      return reply;
    },
  );
};
