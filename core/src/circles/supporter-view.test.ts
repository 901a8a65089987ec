import { describe, expect, it } from 'vitest';
import { newPlan } from '../plans/test-support/index.js';
import type { Section } from '../plans/schema.js';
import type { SharedSection } from './items.js';
import { supporterView } from './supporter-view.js';

const crisis = newPlan('crisis');
const fromTemplate = newPlan('safety');
// Its own ids (newPlan counts from 1 each time).
const safety = {
  plan: { ...fromTemplate.plan, id: 'safety1' },
  sections: fromTemplate.sections.map((s) => ({ ...s, id: `x${s.id}`, planId: 'safety1' })),
};
const byKey = (plan: typeof crisis, key: string) => {
  const s = plan.sections.find((x) => x.key === key);
  if (s === undefined) throw new Error(key);
  return s;
};
const share = (plan: typeof crisis, section: Section): SharedSection => ({
  planId: plan.plan.id,
  templateId: plan.plan.templateId,
  section,
});

const involve = {
  ...byKey(crisis, 'involve'),
  visibility: 'supporters',
  entries: [
    {
      id: 'a',
      name: 'Sam',
      reach: '555 0101',
      role: 'sit with me',
      involve: 'yes',
      visibility: 'supporters',
    },
    { id: 'b', name: 'The police', reach: '', role: '', involve: 'no', visibility: 'supporters' },
    { id: 'c', name: 'My ex', reach: '', role: '', involve: 'no', visibility: 'private' },
  ],
} as Section;
const helps = {
  ...byKey(crisis, 'helps'),
  visibility: 'supporters',
  entries: [
    { id: 'h', helps: 'a blanket and quiet', hinders: 'being touched', visibility: 'supporters' },
  ],
} as Section;
const well = {
  ...byKey(crisis, 'well'),
  visibility: 'supporters',
  body: 'I joke a lot',
} as Section;
const safetySteps = {
  ...byKey(safety, 'onMyOwn'),
  visibility: 'supporters',
  entries: [{ id: 's', text: 'a walk', visibility: 'supporters' }],
} as Section;

describe('supporter view', () => {
  it('wishes and what they do not want first, then steps, then how to reach them, then the note', () => {
    const view = supporterView({
      // Given out of order on purpose.
      sections: [
        share(safety, safetySteps),
        share(crisis, helps),
        share(crisis, well),
        share(crisis, involve),
      ],
      contact: { reach: 'text first' },
      note: {
        note: 'at home, door open',
        location: { latitude: 52.5, longitude: 13.4, accuracyMetres: 30 },
      },
    });
    expect(Object.keys(view)).toEqual([
      'wishes',
      'dontWant',
      'people',
      'steps',
      'contact',
      'note',
      'location',
      'nothingShared',
    ]);
    expect(view.wishes.map((w) => w.text)).toEqual(['a blanket and quiet', 'a walk']);
    expect(view.dontWant.map((w) => w.text)).toEqual(['The police', 'being touched']);
    expect(view.people.map((p) => p.name)).toEqual(['Sam']);
    // Crisis plan first, in its template's order; then the safety plan.
    expect(view.steps.map((s) => s.section.key)).toEqual(['well', 'involve', 'helps', 'onMyOwn']);
    expect(view.contact).toBe('text first');
    expect(view.note).toBe('at home, door open');
    expect(view.location).toEqual({ latitude: 52.5, longitude: 13.4, accuracyMetres: 30 });
    expect(view.nothingShared).toBe(false);
  });

  it('never shows what is private, even if a copy carried it', () => {
    const privateSection = { ...well, visibility: 'private' } as Section;
    const view = supporterView({
      sections: [share(crisis, involve), share(crisis, privateSection)],
      contact: null,
      note: null,
    });
    const all = JSON.stringify(view);
    expect(all).not.toContain('My ex');
    expect(all).not.toContain('I joke a lot');
    expect(view.steps.map((s) => s.section.key)).toEqual(['involve']);
  });

  it('says when nothing is shared', () => {
    const view = supporterView({ sections: [], contact: { reach: ' ' }, note: { note: '' } });
    expect(view).toMatchObject({
      nothingShared: true,
      contact: null,
      note: null,
      location: null,
      steps: [],
    });
  });
});
