import { describe, expect, it } from 'vitest';
import { createPlan } from './ops.js';
import {
  choiceEntrySchema,
  pairEntrySchema,
  personEntrySchema,
  planSchema,
  listEntrySchema,
  sectionSchema,
  TEMPLATE_IDS,
} from './schema.js';
import { templateList, templateMessagesEn, templates, translateEn } from './templates.js';
import { counterIds, must, T0 } from './test-support/index.js';
import { CLINICAL_WORDS, clinicalWordsIn } from '../test-support/clinical-words.js';

const expected = {
  wrap: [
    ['toolbox', 'list'],
    ['well', 'text'],
    ['daily', 'list'],
    ['mightDo', 'list'],
    ['triggers', 'list'],
    ['triggersPlan', 'list'],
    ['earlySigns', 'list'],
    ['earlySignsPlan', 'list'],
    ['breakingDown', 'list'],
    ['breakingDownPlan', 'list'],
    ['crisis', 'text'],
    ['postCrisis', 'text'],
  ],
  crisis: [
    ['well', 'text'],
    ['stepIn', 'list'],
    ['involve', 'people'],
    ['helps', 'pairs'],
    ['places', 'choices'],
    ['treatments', 'choices'],
    ['takeCare', 'list'],
    ['said', 'pairs'],
    ['through', 'list'],
  ],
  safety: [
    ['warningSigns', 'list'],
    ['onMyOwn', 'list'],
    ['distractions', 'list'],
    ['askForHelp', 'people'],
    ['services', 'people'],
    ['saferSurroundings', 'list'],
    ['reasons', 'list'],
  ],
  madmap: [
    ['values', 'text'],
    ['struggles', 'text'],
    ['helps', 'list'],
    ['lessons', 'text'],
    ['trust', 'people'],
  ],
  advance: [
    ['legal', 'text'],
    ['well', 'text'],
    ['stepIn', 'list'],
    ['involve', 'people'],
    ['helps', 'pairs'],
    ['places', 'choices'],
    ['treatments', 'choices'],
    ['takeCare', 'list'],
    ['said', 'pairs'],
    ['through', 'list'],
    ['agent', 'people'],
    ['alternate', 'people'],
    ['notify', 'text'],
    ['visitors', 'people'],
    ['health', 'text'],
  ],
  blank: [],
} as const;

describe('templates', () => {
  it.each(TEMPLATE_IDS)('%s creates its sections, keys and kinds in order', (templateId) => {
    const s = must(
      createPlan({
        templateId,
        title: 'Mine',
        now: T0,
        translate: translateEn,
        newId: counterIds(),
      }),
    );
    expect(s.sections.map((x) => [x.key, x.kind])).toEqual(expected[templateId]);
    expect(s.plan.sectionIds).toEqual(s.sections.map((x) => x.id));
    expect(s.plan.templateId).toBe(templateId);
    expect(s.plan.pinned).toBe(false);
    expect(s.plan.retention.keepVersions).toBe(200);
    for (const section of s.sections) {
      expect(section.planId).toBe(s.plan.id);
      expect(section.visibility).toBe('private');
      expect(section.promptKey).toBe(`plans.templates.${templateId}.${section.key}.prompt`);
      // Titles come from the translation, never from the key.
      expect(section.title).not.toMatch(/^plans\./);
      expect(section.title).toBe(translateEn(`plans.templates.${templateId}.${section.key}.title`));
    }
  });

  it('every message key has English words, and every word has a key', () => {
    for (const template of templateList) {
      expect(translateEn(template.nameKey)).not.toBe(template.nameKey);
      expect(translateEn(template.descriptionKey)).not.toBe(template.descriptionKey);
      const words = templateMessagesEn.plans.templates[template.id];
      const keys = Object.keys(words).filter((k) => k !== 'name' && k !== 'description');
      expect(keys).toEqual(template.sections.map((s) => s.key));
      for (const section of template.sections) {
        expect(section.titleKey).toBe(`plans.templates.${template.id}.${section.key}.title`);
        expect(translateEn(section.titleKey).length).toBeGreaterThan(2);
        expect(translateEn(section.promptKey).length).toBeGreaterThan(20);
      }
    }
    expect(translateEn('plans.templates.nope.title')).toBe('plans.templates.nope.title');
    expect(translateEn('plans.templates.crisis')).toBe('plans.templates.crisis');
    expect(translateEn('toString')).toBe('toString');
  });

  it('uses a translate function given by the caller', () => {
    const s = must(
      createPlan({ templateId: 'safety', title: 'x', now: T0, translate: (k) => `«${k}»` }),
    );
    expect(s.sections[0]!.title).toBe('«plans.templates.safety.warningSigns.title»');
    expect(new Set(s.sections.map((x) => x.id)).size).toBe(7);
  });

  it('the advance worksheet says it is not legal advice and needs a local form and witnesses', () => {
    const legal = translateEn(templates.advance.sections[0]!.promptKey);
    expect(legal).toMatch(/not give legal advice/);
    expect(legal).toMatch(/witnesses/);
    expect(legal).toMatch(/where you live/);
  });

  it('prompts are invitations in the second person', () => {
    for (const template of templateList) {
      for (const section of template.sections) {
        expect(translateEn(section.promptKey)).toMatch(/\byou(r)?\b/i);
      }
    }
  });
});

describe('no clinical fields or words', () => {
  const forbidden = CLINICAL_WORDS;

  it('in template structures and English words', () => {
    expect(clinicalWordsIn({ templates, templateMessagesEn })).toEqual([]);
    // The scan can fail: a clinical word is found where one is put.
    expect(clinicalWordsIn({ note: 'a symptom score' })).toEqual(['.note: a symptom score']);
  });

  it('in schema fields', () => {
    const schemas = [
      planSchema,
      listEntrySchema,
      personEntrySchema,
      pairEntrySchema,
      choiceEntrySchema,
    ];
    const keys = schemas.flatMap((schema) => Object.keys(schema.shape));
    for (const option of sectionSchema.options) keys.push(...Object.keys(option.shape));
    expect(keys).toContain('visibility');
    for (const key of keys) expect(key).not.toMatch(forbidden);
  });
});
