// Every language file has the same keys as en.json, and every message is valid ICU syntax.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';

type Tree = { [key: string]: Tree | string };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const id = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(id, value);
    else for (const [k, v] of flatten(value, id)) out.set(k, v);
  }
  return out;
}

const dir = import.meta.dirname;
const load = (file: string) => flatten(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Tree);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const english = load('en.json');
// Pages loaded on demand keep their words beside them (src/lib/<feature>/messages/en.json) and
// add them when they load, so the first visit does not carry them.
// A feature may split its words by page (src/lib/checkins/history/messages/en.json), so every
// messages/en.json below src/lib counts.
const lib = join(dir, '..');
const featureFiles = (readdirSync(lib, { recursive: true }) as string[])
  .filter((f) => f.endsWith(join('messages', 'en.json')))
  .map((f) => join(lib, f))
  .filter((f) => existsSync(f))
  .sort();
const featureMessages = new Map(
  featureFiles.flatMap((f) => [...flatten(JSON.parse(readFileSync(f, 'utf8')) as Tree)]),
);

describe('interface messages', () => {
  it.each(files)('%s has exactly the keys of en.json', (file) => {
    expect([...load(file).keys()].sort()).toEqual([...english.keys()].sort());
  });

  it.each(files)('%s: every message parses', (file) => {
    const code = file.replace(/\.json$/, '');
    for (const [id, message] of load(file)) {
      expect(() => new IntlMessageFormat(message, code), id).not.toThrow();
      expect(message.trim(), id).not.toBe('');
    }
  });

  it('feature message files parse and do not repeat an id of en.json', () => {
    expect(featureFiles.length).toBeGreaterThan(0);
    const seen = new Map<string, string>();
    for (const file of featureFiles) {
      for (const id of flatten(JSON.parse(readFileSync(file, 'utf8')) as Tree).keys()) {
        expect(seen.get(id), `${id} is in ${file} and ${seen.get(id)}`).toBeUndefined();
        seen.set(id, file);
      }
    }
    for (const [id, message] of featureMessages) {
      expect(() => new IntlMessageFormat(message, 'en'), id).not.toThrow();
      expect(message.trim(), id).not.toBe('');
      expect(english.has(id), id).toBe(false);
    }
  });

  it('every message id used in the app exists in en.json', () => {
    const src = join(dir, '..', '..');
    const used = new Set<string>();
    const walk = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(svelte|ts)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
          const text = readFileSync(path, 'utf8');
          for (const m of text.matchAll(/\$_\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1] ?? '');
        }
      }
    };
    walk(src);
    expect(used.size).toBeGreaterThan(5);
    const missing = [...used].filter((id) => !english.has(id) && !featureMessages.has(id));
    expect(missing).toEqual([]);
  });
});
