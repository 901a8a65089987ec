// Rough size of what the web app downloads (see bundle-size.js), for people reading figures.
// Usage: node web/scripts/measure-initial-js.js [web/build]
import { join } from 'node:path';
import { measureBundles } from './bundle-size.js';

const root = process.argv[2] ?? join(import.meta.dirname, '..', 'build');
const m = measureBundles(root);
const kib = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KiB`;
const lines = [
  `initial JS: ${String(m.initial.files)} files, ${kib(m.initial.raw)} raw, ${kib(m.initial.gzip)} gzip; CSS ${kib(m.css)} gzip`,
  ...Object.entries(m.routes).map(([route, gzip]) => `  route ${route}: +${kib(gzip)} gzip`),
  ...Object.entries(m.lazy)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([file, gzip]) => `  lazy ${file}: ${kib(gzip)} gzip`),
];
process.stdout.write(`${lines.join('\n')}\n`);
