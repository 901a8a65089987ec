import { describe, expect, it } from 'vitest';
import type { Plan, Section } from '$core/plans/index';
import { asLabel, planOfSection, sectionChoices, sectionLines } from './plan-lines';

const T = '2026-01-01T00:00:00.000Z';
const head = { v: 1 as const, planId: 'p1', visibility: 'private' as const, updatedAt: T };
const signs: Section = {
  ...head,
  id: 's1',
  key: 'earlySigns',
  title: 'Early signs',
  kind: 'list',
  entries: [
    { id: 'e1', text: 'Sleeping under five hours', visibility: 'private' },
    { id: 'e2', text: '  ', visibility: 'private' },
  ],
};
const todo: Section = {
  ...head,
  id: 's2',
  key: 'earlySignsPlan',
  title: 'When I notice early signs, I will…',
  kind: 'text',
  body: '- Ring Sam\n\n1. Go to bed at ten\n## Also\nplain line',
};
const people: Section = {
  ...head,
  id: 's3',
  title: 'People',
  kind: 'people',
  entries: [
    {
      id: 'a',
      name: 'Sam',
      reach: '07700 900123',
      role: '',
      involve: 'yes',
      visibility: 'private',
    },
    { id: 'b', name: 'Pat', reach: '', role: '', involve: 'yes', visibility: 'private' },
    { id: 'c', name: 'Not them', reach: 'x', role: '', involve: 'no', visibility: 'private' },
  ],
};
const choices: Section = {
  ...head,
  id: 's4',
  title: 'Choices',
  kind: 'choices',
  entries: [
    { id: 'a', text: 'A quiet room', stance: 'want', visibility: 'private' },
    { id: 'b', text: 'Being held down', stance: 'refuse', visibility: 'private' },
  ],
};
const plan: Plan = {
  v: 1,
  id: 'p1',
  title: 'My wellness plan',
  templateId: 'wrap',
  sectionIds: ['s3', 's2', 's1', 's4', 'missing'],
  createdAt: T,
  updatedAt: T,
  pinned: false,
  retention: { keepVersions: 200 },
};

describe('sectionLines', () => {
  it('takes list entries and text lines as written, without list marks or blanks', () => {
    expect(sectionLines(signs)).toEqual(['Sleeping under five hours']);
    expect(sectionLines(todo)).toEqual(['Ring Sam', 'Go to bed at ten', 'Also', 'plain line']);
  });
  it('never offers someone who must not be involved, or a refused choice', () => {
    expect(sectionLines(people)).toEqual(['Sam: 07700 900123', 'Pat']);
    expect(sectionLines(choices)).toEqual(['A quiet room']);
  });
});

describe('sectionChoices', () => {
  it('puts the early-sign sections first for a label, the what-I-will-do ones for steps', () => {
    const sections = [signs, todo, people, choices];
    expect(sectionChoices([plan], sections, 'signs').map((c) => c.section.id)).toEqual([
      's1',
      's3',
      's2',
      's4',
    ]);
    expect(sectionChoices([plan], sections, 'steps').map((c) => c.section.id)).toEqual([
      's2',
      's3',
      's1',
      's4',
    ]);
    expect(sectionChoices([plan], sections, 'steps')[0]!.planTitle).toBe('My wellness plan');
  });
});

describe('asLabel and planOfSection', () => {
  it('makes one short line', () => {
    expect(asLabel('First\nsecond')).toBe('First');
    expect(asLabel('abcdef', 4)).toBe('abc…');
  });
  it('finds the plan of a section', () => {
    expect(planOfSection([signs], 's1')).toEqual({ planId: 'p1', title: 'Early signs' });
    expect(planOfSection([signs], 'nope')).toBeUndefined();
    expect(planOfSection([signs], undefined)).toBeUndefined();
  });
});
