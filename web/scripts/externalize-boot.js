// Moves every inline <script> of the built HTML pages into a content-hashed classic script file
// under /_app/immutable/ and replaces it with <script src="…">, so the pages run under the
// server's Content-Security-Policy `script-src 'self'` (no 'unsafe-inline', no hashes, no nonces).
//
// SvelteKit's bootstrap script uses `document.currentScript.parentElement` and dynamic `import()`
// with absolute URLs (kit.paths.relative = false); both work the same in a classic external script.
//
// Also turns SvelteKit's `<div style="display: contents">` wrapper (if an app.html has one) into a
// class, and fails loudly if any inline script or style attribute other than none is left.
//
// Used by web/svelte.config.js right after adapter-static writes web/build; also runnable by
// hand: `node web/scripts/externalize-boot.js web/build`.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const IMMUTABLE = '_app/immutable';

/** @param {string} dir @returns {string[]} */
function htmlFiles(dir) {
  /** @type {string[]} */
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(full));
    else if (entry.name.endsWith('.html')) out.push(full);
  }
  return out;
}

// An inline script: <script> or <script type="module"|nonce=…> without a src attribute.
const INLINE_SCRIPT = /<script(?![^>]*\bsrc\s*=)([^>]*)>([\s\S]*?)<\/script>/gi;

/**
 * @param {string} buildDir folder written by adapter-static (e.g. "build")
 * @returns {number} how many inline scripts were moved
 */
export function externalizeInlineScripts(buildDir) {
  const root = resolve(buildDir);
  const outDir = join(root, IMMUTABLE);
  mkdirSync(outDir, { recursive: true });
  let moved = 0;

  for (const file of htmlFiles(root)) {
    const name = relative(root, file);
    let html = readFileSync(file, 'utf8');

    html = html.replace(INLINE_SCRIPT, (_whole, attrs, body) => {
      const attributes = String(attrs).replace(/\s*\bnonce\s*=\s*"[^"]*"/gi, '');
      const type = /\btype\s*=\s*"([^"]*)"/i.exec(attributes)?.[1];
      if (type !== undefined && !/^(text\/javascript|application\/javascript)$/i.test(type)) {
        throw new Error(`${name}: cannot externalize an inline <script type="${type}">`);
      }
      const code = `${String(body).trim()}\n`;
      const hash = createHash('sha256').update(code).digest('base64url').slice(0, 12);
      const scriptName = `boot.${hash}.js`;
      writeFileSync(join(outDir, scriptName), code);
      moved += 1;
      return `<script${attributes} src="/${IMMUTABLE}/${scriptName}"></script>`;
    });

    html = html.replace(/<div style="display: contents">/g, '<div class="app-root">');

    const leftover = html.match(/<script(?![^>]*\bsrc\s*=)[^>]*>/i);
    if (leftover) {
      throw new Error(`${name}: an inline script is still there: ${leftover[0]}`);
    }
    const styleAttr = html.match(/<[a-z][^>]*\sstyle\s*=\s*"[^"]*"[^>]*>/i);
    if (styleAttr) {
      throw new Error(`${name}: a style attribute would break the CSP: ${styleAttr[0]}`);
    }
    if (/<style[\s>]/i.test(html)) {
      throw new Error(`${name}: an inline <style> element would break the CSP`);
    }
    writeFileSync(file, html);
  }
  return moved;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? 'build';
  const moved = externalizeInlineScripts(dir);
  process.stdout.write(`externalize-boot: moved ${String(moved)} inline script(s) in ${dir}\n`);
}
