import type { FastifyInstance } from 'fastify';
import type { TestClient } from './client.js';

/**
 * The shared harness of the table-driven authorization matrices (groups, group conversations,
 * meetings and calendars, group notifications, moderation, someone to talk to): the route list
 * comes from the OpenAPI document, so a route registered without a row fails its matrix, and
 * every row is tried as every actor.
 */

/**
 * The OpenAPI tags of every group-related route, each with the matrix that covers it. Any route
 * under one of GROUP_PREFIXES must carry one of these tags (server/groups/route-coverage.test.ts),
 * so a new route cannot slip past every matrix by taking a new tag.
 */
export const GROUP_MATRICES = {
  groups: 'server/groups/authorization.test.ts',
  'group-conversations': 'server/groups/threads/authorization.test.ts',
  meetings: 'server/groups/meetings/authorization.test.ts',
  'group-notifications': 'server/groups/notifications/authorization.test.ts',
  moderation: 'server/moderation/authorization.test.ts',
  listen: 'server/groups/listen/authorization.test.ts',
} as const;

/** Paths that belong to groups and the spaces around them. */
export const GROUP_PREFIXES = [
  '/api/v1/groups',
  '/api/v1/meetings',
  '/api/v1/calendar',
  '/api/v1/moderation',
  '/api/v1/listen',
] as const;

export interface Operation {
  /** As in the OpenAPI document: `METHOD /path/{param}`. */
  readonly route: string;
  readonly path: string;
  readonly tags: readonly string[];
}

/** Every operation of the app's OpenAPI document. */
export async function operations(app: FastifyInstance): Promise<Operation[]> {
  const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  const doc = res.json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>();
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      route: `${method.toUpperCase()} ${path}`,
      path,
      tags: op.tags ?? [],
    })),
  );
}

/** The routes (`METHOD /path/{param}`) of one tag, sorted. */
export async function routesTagged(app: FastifyInstance, tag: string): Promise<string[]> {
  return (await operations(app))
    .filter((o) => o.tags.includes(tag))
    .map((o) => o.route)
    .sort();
}

export type Res = { statusCode: number; body: string };

export interface MatrixRow<A extends string, S> {
  /** As in the OpenAPI document: `METHOD /path/{param}`. */
  readonly route: string;
  readonly request: (c: TestClient, s: S) => Promise<Res>;
  /** A further check of a successful (2xx) answer. */
  readonly check?: (res: Res, s: S, actor: A) => void;
}

/**
 * Tries every row as every actor and returns the failures (empty when each got exactly `want`).
 * A row whose request changes nothing (a GET) is seeded once and tried by every actor; any other
 * row gets a fresh `seed()` per actor, so one actor's success cannot change another's answer.
 */
export async function runMatrix<A extends string, S, R extends MatrixRow<A, S>>(opts: {
  readonly rows: readonly R[];
  readonly actors: readonly A[];
  readonly clients: Record<A, TestClient>;
  readonly seed: (row: R) => Promise<S>;
  readonly want: (row: R, actor: A) => number;
  /** Whether the row may share one seed between actors (default: GET rows). */
  readonly shared?: (row: R) => boolean;
  /** After each request (e.g. to close what it opened). */
  readonly after?: () => Promise<void>;
}): Promise<string[]> {
  const failures: string[] = [];
  for (const row of opts.rows) {
    const shared = opts.shared?.(row) ?? row.route.startsWith('GET ');
    const once = shared ? await opts.seed(row) : undefined;
    for (const actor of opts.actors) {
      const s = once ?? (await opts.seed(row));
      const want = opts.want(row, actor);
      const res = await row.request(opts.clients[actor], s);
      if (res.statusCode !== want) {
        failures.push(
          `${row.route} as ${actor}: ${res.statusCode} (wanted ${want}) ${res.body.slice(0, 300)}`,
        );
      } else if (res.statusCode < 300 && row.check !== undefined) {
        try {
          row.check(res, s, actor);
        } catch (e) {
          failures.push(`${row.route} as ${actor}: ${String(e)}`);
        }
      }
      await opts.after?.();
    }
  }
  return failures;
}
