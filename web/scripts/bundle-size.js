// What the built web app costs to download, read from web/build (after `vite build`):
// - initial: every script and module preload named in index.html, everything they import
//   statically, and the "/" route's nodes — what a first visit to "/" downloads;
// - routes: for each route, the JavaScript its nodes add on top of the initial set (static
//   imports only: chunks a page loads with `import()` are counted under `lazy`);
// - lazy: every other chunk, one by one (crypto, Argon2id, Markdown, …).
// Sizes are gzip -9, as a compressing server or proxy sends them.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** @param {string} root @param {string} path */
const read = (root, path) => readFileSync(join(root, path));

/** @param {string} root @param {string} path */
export const gzipSize = (root, path) => gzipSync(read(root, path), { level: 9 }).length;

/**
 * The route → node numbers table SvelteKit writes into the client entry (`"/account":[3]`).
 * @param {string} root
 * @returns {Map<string, number[]>}
 */
export function routeNodes(root) {
  const entryDir = join(root, '_app', 'immutable', 'entry');
  const app = readdirSync(entryDir).find((f) => f.startsWith('app.') && f.endsWith('.js'));
  if (app === undefined) throw new Error(`no app entry in ${entryDir}`);
  const code = readFileSync(join(entryDir, app), 'utf8');
  const table = new Map();
  for (const m of code.matchAll(/"(\/[^"]*)":\[([^\]]*)\]/g)) {
    const nodes = (m[2] ?? '')
      .split(',')
      .map((n) => Number(n.trim()))
      .filter((n) => Number.isInteger(n) && n >= 0);
    table.set(m[1], nodes);
  }
  return table;
}

/** @param {string} root @param {number} n */
function nodePath(root, n) {
  const dir = join(root, '_app', 'immutable', 'nodes');
  const file = readdirSync(dir).find((f) => f.startsWith(`${String(n)}.`) && f.endsWith('.js'));
  if (file === undefined) throw new Error(`no node ${String(n)} in ${dir}`);
  return `/_app/immutable/nodes/${file}`;
}

/**
 * `starts` and every module they import statically, as root-relative paths.
 * @param {string} root
 * @param {string[]} starts
 */
export function staticClosure(root, starts) {
  const queue = [...starts];
  /** @type {Set<string>} */
  const seen = new Set();
  while (queue.length > 0) {
    const path = /** @type {string} */ (queue.shift());
    if (seen.has(path)) continue;
    seen.add(path);
    const code = read(root, path).toString('utf8');
    const base = `http://x${path.slice(0, path.lastIndexOf('/') + 1)}`;
    // Static imports only: `import "x"`, `import {a} from "x"`, `export * from "x"` —
    // not `import("x")`, which loads on demand.
    for (const m of code.matchAll(/(?:\bimport|\bfrom)\s*["']([^"']+\.js)["']/g)) {
      const target = new URL(m[1] ?? '', base).pathname;
      if (existsSync(join(root, target))) queue.push(target);
    }
  }
  return seen;
}

/** @param {string} root @param {Iterable<string>} paths */
const sum = (root, paths) => {
  let raw = 0;
  let gzip = 0;
  for (const path of paths) {
    raw += read(root, path).length;
    gzip += gzipSize(root, path);
  }
  return { raw, gzip };
};

/**
 * @param {string} root the web build folder
 */
export function measureBundles(root) {
  const html = readFileSync(join(root, 'index.html'), 'utf8');
  const table = routeNodes(root);
  const home = table.get('/') ?? [];
  const starts = [...html.matchAll(/(?:src|href)="(\/_app\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  // Node 0 is the root layout; "/"'s own nodes come from the table.
  const initialSet = staticClosure(root, [
    ...starts,
    nodePath(root, 0),
    ...home.map((n) => nodePath(root, n)),
  ]);
  const css = [...html.matchAll(/href="(\/_app\/[^"]+\.css)"/g)].map((m) => m[1] ?? '');

  /** @type {Record<string, number>} */
  const routes = {};
  /** @type {Set<string>} */
  const reachable = new Set(initialSet);
  for (const [route, nodes] of table) {
    const closure = staticClosure(
      root,
      nodes.map((n) => nodePath(root, n)),
    );
    const extra = [...closure].filter((p) => !initialSet.has(p));
    for (const p of closure) reachable.add(p);
    routes[route] = sum(root, extra).gzip;
  }

  /** @type {Record<string, number>} */
  const lazy = {};
  const chunks = join(root, '_app', 'immutable', 'chunks');
  for (const file of readdirSync(chunks)) {
    const path = `/_app/immutable/chunks/${file}`;
    if (file.endsWith('.js') && !reachable.has(path)) lazy[file] = gzipSize(root, path);
  }

  const initial = sum(root, initialSet);
  return {
    initial: { files: initialSet.size, raw: initial.raw, gzip: initial.gzip },
    css: css.reduce((total, path) => total + gzipSize(root, path), 0),
    routes,
    lazy,
  };
}
