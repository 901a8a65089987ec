import { describe, expect, it } from 'vitest';
import { crisisEssentials, hardTimesSteps, isEmptySection, isForSupporters } from './essentials.js';
import { addEntry, addSection, setPinned, setVisibility, updateSection } from './ops.js';
import type { PlanSnapshot, Section, TemplateId } from './schema.js';
import { must, newPlan, T1, T2 } from './test-support/index.js';

const byKey = (s: PlanSnapshot, key: string): Section => s.sections.find((x) => x.key === key)!;
const idOf = (s: PlanSnapshot, key: string) => byKey(s, key).id;

function crisis(template: TemplateId = 'crisis'): PlanSnapshot {
  let s = newPlan(template, 'Crisis');
  s = must(
    addEntry(s, idOf(s, 'involve'), { name: 'Sam', reach: '07700 900123', role: 'Stay' }, T1, {
      id: 'sam',
    }),
  );
  s = must(addEntry(s, idOf(s, 'involve'), { name: 'Jo', reach: '' }, T1, { id: 'jo' })); // no way to reach
  s = must(
    addEntry(s, idOf(s, 'involve'), { name: 'My uncle', involve: 'no' }, T1, { id: 'uncle' }),
  );
  s = must(addEntry(s, idOf(s, 'helps'), { helps: 'Quiet', hinders: 'Crowds' }, T1, { id: 'p1' }));
  s = must(addEntry(s, idOf(s, 'helps'), { helps: '', hinders: 'Being rushed' }, T1, { id: 'p2' }));
  s = must(
    addEntry(s, idOf(s, 'treatments'), { text: 'Peer respite', stance: 'want' }, T1, { id: 'c1' }),
  );
  s = must(
    addEntry(s, idOf(s, 'treatments'), { text: 'Talking it through', stance: 'accept' }, T1, {
      id: 'c2',
    }),
  );
  s = must(addEntry(s, idOf(s, 'places'), { text: 'The ER', stance: 'refuse' }, T1, { id: 'c3' }));
  s = must(addEntry(s, idOf(s, 'stepIn'), { text: 'I stop eating' }, T1, { id: 'l1' }));
  return s;
}

describe('crisisEssentials', () => {
  it('who to call, what helps, what I don’t want', () => {
    const e = crisisEssentials(crisis());
    expect(e.call.map((p) => [p.name, p.reach, p.role])).toEqual([['Sam', '07700 900123', 'Stay']]);
    expect(e.helps.map((x) => [x.text, x.from])).toEqual([
      ['Quiet', 'helps'],
      ['Peer respite', 'want'],
    ]);
    expect(e.dontWant.map((x) => [x.text, x.from])).toEqual([
      ['My uncle', 'notInvolved'],
      ['Crowds', 'hinders'],
      ['Being rushed', 'hinders'],
      ['The ER', 'refuse'],
    ]);
    expect(e.call[0]).toMatchObject({ sectionId: idOf(crisis(), 'involve'), entryId: 'sam' });
  });

  it('advance directive: agent and alternate are called, visitors are not', () => {
    let s = crisis('advance');
    s = must(addEntry(s, idOf(s, 'agent'), { name: 'Ana', reach: 'ana@example.org' }, T1));
    s = must(addEntry(s, idOf(s, 'visitors'), { name: 'Kim', reach: '0123' }, T1));
    s = must(addEntry(s, idOf(s, 'visitors'), { name: 'Lee', involve: 'no' }, T1));
    const e = crisisEssentials(s);
    expect(e.call.map((p) => p.name)).toEqual(['Sam', 'Ana']);
    expect(e.dontWant.map((x) => x.text)).toContain('Lee');
  });

  it('safety plan: people I can ask and services to call, my own coping as what helps', () => {
    let s = newPlan('safety');
    s = must(addEntry(s, idOf(s, 'onMyOwn'), { text: 'A hot shower' }, T1));
    s = must(addEntry(s, idOf(s, 'warningSigns'), { text: 'Not sleeping' }, T1));
    s = must(addEntry(s, idOf(s, 'askForHelp'), { name: 'Ana', reach: '0123' }, T1));
    s = must(addEntry(s, idOf(s, 'services'), { name: 'Peer line', reach: '0800 000' }, T1));
    const e = crisisEssentials(s);
    expect(e.call.map((p) => p.name)).toEqual(['Ana', 'Peer line']);
    expect(e.helps.map((x) => x.text)).toEqual(['A hot shower']);
  });

  it('by kind when the template doesn’t say', () => {
    let s = newPlan('blank');
    s = must(addSection(s, { kind: 'people', title: 'People', now: T1, id: 'ppl' }));
    s = must(addSection(s, { kind: 'list', title: 'Stuff', now: T1, id: 'lst' }));
    s = must(addEntry(s, 'ppl', { name: 'Ana', reach: '0123' }, T1));
    s = must(addEntry(s, 'ppl', { name: 'Bo', involve: 'no' }, T1));
    s = must(addEntry(s, 'lst', { text: 'Not a helps list' }, T1));
    const e = crisisEssentials(s);
    expect(e.call.map((p) => p.name)).toEqual(['Ana']);
    expect(e.dontWant.map((p) => p.text)).toEqual(['Bo']);
    expect(e.helps).toEqual([]);
  });

  it('only what is for supporters, when asked: private wins', () => {
    let s = crisis();
    const involve = idOf(s, 'involve');
    expect(crisisEssentials(s, { supportersOnly: true }).call).toEqual([]);
    s = must(setVisibility(s, involve, null, 'supporters', T2));
    expect(crisisEssentials(s, { supportersOnly: true }).call).toEqual([]); // Sam is still private
    s = must(setVisibility(s, involve, 'sam', 'supporters', T2));
    expect(crisisEssentials(s, { supportersOnly: true }).call.map((p) => p.name)).toEqual(['Sam']);
    expect(crisisEssentials(s, { supportersOnly: true }).dontWant).toEqual([]);
    const section = byKey(s, 'involve');
    expect(isForSupporters(section)).toBe(true);
    const sam = section.kind === 'people' ? section.entries[0]! : null;
    expect(isForSupporters(section, sam)).toBe(true);
    expect(isForSupporters({ ...section, visibility: 'private' }, sam)).toBe(false);
  });
});

describe('hardTimesSteps', () => {
  it('steps from pinned plans, safety first, then crisis; people without repeats', () => {
    let safety = newPlan('safety', 'Safety');
    safety = must(addEntry(safety, idOf(safety, 'warningSigns'), { text: 'Not sleeping' }, T1));
    safety = must(addEntry(safety, idOf(safety, 'reasons'), { text: 'My cat' }, T1));
    safety = must(
      addEntry(safety, idOf(safety, 'askForHelp'), { name: 'Sam', reach: '07700 900123' }, T1),
    );
    safety = must(setPinned(safety, true, T1));
    const c = must(setPinned(crisis(), true, T1));
    let wrap = newPlan('wrap', 'Not pinned');
    wrap = must(updateSection(wrap, idOf(wrap, 'well'), { body: 'Me' }, T1));

    const view = hardTimesSteps([wrap, c, safety]);
    expect(view.steps.map((x) => [x.planTitle, x.section.key])).toEqual([
      ['Safety', 'warningSigns'],
      ['Safety', 'askForHelp'],
      ['Safety', 'reasons'],
      ['Crisis', 'stepIn'],
      ['Crisis', 'involve'],
      ['Crisis', 'helps'],
      ['Crisis', 'places'],
      ['Crisis', 'treatments'],
    ]);
    expect(view.people.map((p) => [p.name, p.planId])).toEqual([['Sam', safety.plan.id]]);
    expect(hardTimesSteps([wrap])).toEqual({ steps: [], people: [] });
  });

  it('with supportersOnly, only the shared parts', () => {
    let c = must(setPinned(crisis(), true, T1));
    c = must(setVisibility(c, idOf(c, 'helps'), null, 'supporters', T2));
    c = must(setVisibility(c, idOf(c, 'helps'), 'p1', 'supporters', T2));
    const view = hardTimesSteps([c], { supportersOnly: true });
    expect(view.steps).toHaveLength(1);
    expect(view.steps[0]!.section).toMatchObject({ key: 'helps', entries: [{ id: 'p1' }] });
  });

  it('isEmptySection', () => {
    const s = newPlan();
    expect(s.sections.every(isEmptySection)).toBe(true);
    const t = must(updateSection(s, idOf(s, 'well'), { body: '  \n ' }, T1));
    expect(isEmptySection(byKey(t, 'well'))).toBe(true);
    const u = must(addEntry(s, idOf(s, 'involve'), { name: '', role: 'x' }, T1));
    expect(isEmptySection(byKey(u, 'involve'))).toBe(false);
  });
});
