// Rough size of what a first visit to "/" downloads: gzip -9 of every script and module preload
// named in web/build/index.html, everything they import statically, and the "/" route's node.
// Usage: node web/scripts/measure-initial-js.js [web/build]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = process.argv[2] ?? join(import.meta.dirname, '..', 'build');
const html = readFileSync(join(root, 'index.html'), 'utf8');
const nodes = join(root, '_app', 'immutable', 'nodes');
// Node 0 is the root layout, 1 the error page, 2 the "/" page (SvelteKit's numbering).
const pageNode = readdirSync(nodes).find((f) => f.startsWith('2.') && f.endsWith('.js'));

const queue = [...html.matchAll(/(?:src|href)="(\/_app\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
if (pageNode) queue.push(`/_app/immutable/nodes/${pageNode}`);
const seen = new Set();
while (queue.length > 0) {
  const path = /** @type {string} */ (queue.shift());
  if (seen.has(path)) continue;
  seen.add(path);
  const code = readFileSync(join(root, path), 'utf8');
  const base = `http://x${path.slice(0, path.lastIndexOf('/') + 1)}`;
  for (const m of code.matchAll(/(?:import|from)\s*["']([^"']+\.js)["']/g)) {
    const target = new URL(m[1] ?? '', base).pathname;
    if (existsSync(join(root, target))) queue.push(target);
  }
}

const gz = (path) => gzipSync(readFileSync(join(root, path)), { level: 9 }).length;
let raw = 0;
let zipped = 0;
for (const path of seen) {
  raw += readFileSync(join(root, path)).length;
  zipped += gz(path);
}
const css = [...html.matchAll(/href="(\/_app\/[^"]+\.css)"/g)].map((m) => m[1] ?? '');
const cssZipped = css.reduce((sum, path) => sum + gz(path), 0);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
process.stdout.write(
  `initial JS: ${String(seen.size)} files, ${kib(raw)} raw, ${kib(zipped)} gzip; CSS ${kib(cssZipped)} gzip\n`,
);
