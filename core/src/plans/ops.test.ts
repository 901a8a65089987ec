import { describe, expect, it } from 'vitest';
import {
  addEntry,
  addSection,
  createPlan,
  moveEntry,
  moveSection,
  removeEntry,
  removeSection,
  renamePlan,
  renameSection,
  setPinned,
  setRetention,
  setVisibility,
  updateEntry,
  updateSection,
} from './ops.js';
import type { PlanSnapshot, Section } from './schema.js';
import { translateEn } from './templates.js';
import { must, newPlan, T0, T1 } from './test-support/index.js';

const keys = (s: PlanSnapshot) => s.sections.map((x) => x.key ?? x.title);
const byKey = (s: PlanSnapshot, key: string): Section => s.sections.find((x) => x.key === key)!;

describe('plan operations', () => {
  it('createPlan uses the given id, and fresh random ids otherwise', () => {
    const a = must(
      createPlan({
        templateId: 'crisis',
        title: 'A',
        now: T0,
        id: 'plan1',
        translate: translateEn,
      }),
    );
    expect(a.plan.id).toBe('plan1');
    const b = must(
      createPlan({ templateId: 'crisis', title: 'A', now: T0, translate: translateEn }),
    );
    expect(b.plan.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(b.sections[0]!.id).not.toBe(a.sections[0]!.id);
    expect(b.plan.createdAt).toBe(T0);
  });

  it('refuses a bad title or time', () => {
    const bad = createPlan({ templateId: 'blank', title: 'a\nb', now: T0, translate: translateEn });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('invalid');
    expect(
      createPlan({ templateId: 'blank', title: 'x', now: 'yesterday', translate: translateEn }).ok,
    ).toBe(false);
  });

  it('adds a section at the end or at a position, renames, moves and removes it', () => {
    const s0 = newPlan('safety');
    const s1 = must(addSection(s0, { kind: 'text', title: 'Music', now: T1, id: 'music' }));
    expect(keys(s1).at(-1)).toBe('Music');
    expect(s1.plan.sectionIds.at(-1)).toBe('music');
    expect(s1.plan.updatedAt).toBe(T1);
    expect(s0.sections).toHaveLength(7); // the input is untouched

    const s2 = must(
      addSection(s1, { kind: 'people', title: 'First', now: T1, at: 0, id: 'first' }),
    );
    expect(s2.sections[0]).toMatchObject({
      id: 'first',
      kind: 'people',
      entries: [],
      visibility: 'private',
      planId: s0.plan.id,
    });

    const s3 = must(renameSection(s2, 'music', 'Songs that help', T1));
    expect(s3.sections.at(-1)!.title).toBe('Songs that help');
    expect(s2.sections.at(-1)!.title).toBe('Music');

    const s4 = must(moveSection(s3, 'music', 1, T1));
    expect(s4.plan.sectionIds.slice(0, 2)).toEqual(['first', 'music']);
    expect(s4.sections.map((x) => x.id)).toEqual(s4.plan.sectionIds);
    const last = must(moveSection(s4, 'first', 99, T1));
    expect(last.plan.sectionIds.at(-1)).toBe('first');
    const top = must(moveSection(s4, 'music', -5, T1));
    expect(top.plan.sectionIds[0]).toBe('music');

    const s5 = must(removeSection(s4, 'first', T1));
    expect(s5.plan.sectionIds).not.toContain('first');
    expect(s5.sections).toHaveLength(8);
  });

  it('gives typed errors for unknown ids', () => {
    const s = newPlan();
    expect(renameSection(s, 'nope', 'x', T1)).toEqual({
      ok: false,
      error: { code: 'section_not_found', sectionId: 'nope' },
    });
    expect(moveSection(s, 'nope', 0, T1).ok).toBe(false);
    expect(removeSection(s, 'nope', T1).ok).toBe(false);
    const list = byKey(s, 'stepIn').id;
    expect(updateEntry(s, list, 'nope', { text: 'x' }, T1)).toEqual({
      ok: false,
      error: { code: 'entry_not_found', sectionId: list, entryId: 'nope' },
    });
    expect(removeEntry(s, list, 'nope', T1).ok).toBe(false);
    expect(moveEntry(s, list, 'nope', 0, T1).ok).toBe(false);
    expect(setVisibility(s, list, 'nope', 'supporters', T1).ok).toBe(false);
    const dup = addSection(s, { kind: 'text', title: 'x', now: T1, id: list });
    expect(dup.ok).toBe(false);
  });

  it('refuses body on entry sections and entries on text sections', () => {
    const s = newPlan();
    const well = byKey(s, 'well').id;
    const stepIn = byKey(s, 'stepIn').id;
    expect(updateSection(s, stepIn, { body: 'x' }, T1)).toEqual({
      ok: false,
      error: { code: 'wrong_kind', sectionId: stepIn, kind: 'list' },
    });
    expect(updateSection(s, well, { entries: [] }, T1).ok).toBe(false);
    expect(addEntry(s, well, { text: 'x' }, T1)).toEqual({
      ok: false,
      error: { code: 'wrong_kind', sectionId: well, kind: 'text' },
    });
    // a field from another kind
    expect(addEntry(s, stepIn, { name: 'Sam' }, T1).ok).toBe(false);
    expect(addEntry(s, stepIn, { id: 'x' } as never, T1).ok).toBe(false);
  });

  it('updates a text body and refuses one that is too long', () => {
    const s = newPlan();
    const well = byKey(s, 'well').id;
    const next = must(updateSection(s, well, { body: '# Me\n\nI *sing*.' }, T1));
    expect(byKey(next, 'well')).toMatchObject({ body: '# Me\n\nI *sing*.', updatedAt: T1 });
    expect(byKey(s, 'well')).toMatchObject({ body: '' });
    const long = updateSection(s, well, { body: 'x'.repeat(40_001) }, T1);
    expect(long.ok).toBe(false);
    if (!long.ok && long.error.code === 'invalid') expect(long.error.issues[0]!.path).toBe('body');
    // within the length limit, but too many bytes once encoded
    const heavy = updateSection(s, well, { body: '\u0001'.repeat(39_000) }, T1);
    expect(heavy.ok).toBe(false);
    expect(renameSection(s, well, 'x'.repeat(201), T1).ok).toBe(false);
  });

  it('adds, updates, moves and removes entries of every kind', () => {
    let s = newPlan('crisis');
    const involve = byKey(s, 'involve').id;
    s = must(
      addEntry(s, involve, { name: 'Sam', reach: '07700 900123', role: 'Sit with me' }, T1, {
        id: 'sam',
      }),
    );
    s = must(addEntry(s, involve, { name: 'Lee', involve: 'no' }, T1, { id: 'lee' }));
    s = must(addEntry(s, involve, { name: 'Ana' }, T1, { id: 'ana', at: 0 }));
    const people = byKey(s, 'involve');
    expect(people.kind === 'people' && people.entries).toEqual([
      { id: 'ana', name: 'Ana', reach: '', role: '', involve: 'yes', visibility: 'private' },
      {
        id: 'sam',
        name: 'Sam',
        reach: '07700 900123',
        role: 'Sit with me',
        involve: 'yes',
        visibility: 'private',
      },
      { id: 'lee', name: 'Lee', reach: '', role: '', involve: 'no', visibility: 'private' },
    ]);
    expect(people.updatedAt).toBe(T1);

    s = must(updateEntry(s, involve, 'ana', { reach: 'next door', involve: 'no' }, T1));
    expect(byKey(s, 'involve')).toMatchObject({
      entries: [{ id: 'ana', reach: 'next door', involve: 'no' }, {}, {}],
    });
    s = must(moveEntry(s, involve, 'ana', 2, T1));
    expect((byKey(s, 'involve') as { entries: { id: string }[] }).entries.map((e) => e.id)).toEqual(
      ['sam', 'lee', 'ana'],
    );
    s = must(removeEntry(s, involve, 'lee', T1));
    expect((byKey(s, 'involve') as { entries: { id: string }[] }).entries.map((e) => e.id)).toEqual(
      ['sam', 'ana'],
    );

    const helps = byKey(s, 'helps').id;
    s = must(addEntry(s, helps, { helps: 'Quiet', hinders: 'Being rushed' }, T1, { id: 'p1' }));
    expect(byKey(s, 'helps')).toMatchObject({
      entries: [{ helps: 'Quiet', hinders: 'Being rushed' }],
    });
    const treatments = byKey(s, 'treatments').id;
    s = must(addEntry(s, treatments, { text: 'Peer respite', stance: 'want' }, T1));
    s = must(addEntry(s, treatments, { text: 'Being held down', stance: 'refuse' }, T1));
    expect(byKey(s, 'treatments')).toMatchObject({
      entries: [{ stance: 'want' }, { stance: 'refuse' }],
    });
    expect(addEntry(s, treatments, { stance: 'maybe' as never }, T1).ok).toBe(false);
    expect(addEntry(s, involve, { name: 'two\nlines' }, T1).ok).toBe(false);
  });

  it('sets visibility of a section or of one entry', () => {
    let s = newPlan();
    const stepIn = byKey(s, 'stepIn').id;
    s = must(addEntry(s, stepIn, { text: 'I stop answering' }, T1, { id: 'e1' }));
    s = must(addEntry(s, stepIn, { text: 'I stop eating' }, T1, { id: 'e2' }));
    const a = must(setVisibility(s, stepIn, null, 'supporters', T1));
    expect(byKey(a, 'stepIn').visibility).toBe('supporters');
    const b = must(setVisibility(s, stepIn, 'e2', 'supporters', T1));
    expect(byKey(b, 'stepIn')).toMatchObject({
      visibility: 'private',
      entries: [
        { id: 'e1', visibility: 'private' },
        { id: 'e2', visibility: 'supporters' },
      ],
    });
    expect(setVisibility(s, stepIn, null, 'everyone' as never, T1).ok).toBe(false);
  });

  it('renames, pins and sets retention of the plan', () => {
    const s = newPlan();
    expect(must(renamePlan(s, 'When I’m struggling', T1)).plan).toMatchObject({
      title: 'When I’m struggling',
      updatedAt: T1,
    });
    expect(must(setPinned(s, true, T1)).plan.pinned).toBe(true);
    expect(must(setRetention(s, 50, T1)).plan.retention).toEqual({ keepVersions: 50 });
    expect(setRetention(s, 9, T1).ok).toBe(false);
    expect(setRetention(s, 10.5, T1).ok).toBe(false);
  });

  it('refuses more than 100 sections and more than 200 entries', () => {
    let s = newPlan('blank');
    for (let i = 0; i < 100; i++)
      s = must(addSection(s, { kind: 'list', title: `${i}`, now: T1, id: `x${i}` }));
    expect(addSection(s, { kind: 'text', title: 'one more', now: T1 }).ok).toBe(false);
    let e = newPlan('blank');
    e = must(addSection(e, { kind: 'list', title: 'l', now: T1, id: 'l' }));
    e = must(
      updateSection(
        e,
        'l',
        {
          entries: Array.from({ length: 200 }, (_, i) => ({
            id: `e${i}`,
            text: '',
            visibility: 'private' as const,
          })),
        },
        T1,
      ),
    );
    expect(addEntry(e, 'l', { text: 'x' }, T1).ok).toBe(false);
    // duplicate entry ids are refused
    expect(
      updateSection(
        e,
        'l',
        {
          entries: [
            { id: 'a', text: '', visibility: 'private' },
            { id: 'a', text: '', visibility: 'private' },
          ],
        },
        T1,
      ).ok,
    ).toBe(false);
  });
});
