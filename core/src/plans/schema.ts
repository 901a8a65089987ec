/**
 * Plans as vault items (issue 4): wellness, crisis and safety plans in a person's own words.
 * Every item is UTF-8 JSON encrypted in the vault (collection `plans`); the server sees only ids,
 * types, sizes and times. There are no diagnosis, symptom-score or DSM fields, by design.
 *
 * Item type `plan`:
 *   { v: 1, id, title, templateId, sectionIds: string[] (order), createdAt, updatedAt,
 *     pinned: boolean (shown in "when things are hard"), retention: { keepVersions } }
 * Item type `plan.section`:
 *   { v: 1, id, planId, key?, title, promptKey?, kind, visibility, updatedAt, ...content }
 *   kind `text`    { body }                                   Markdown, as written
 *   kind `list`    { entries: { id, text, visibility }[] }
 *   kind `people`  { entries: { id, name, reach, role, involve: 'yes' | 'no', visibility }[] }
 *   kind `pairs`   { entries: { id, helps, hinders, visibility }[] }
 *   kind `choices` { entries: { id, text, stance: 'want' | 'accept' | 'refuse', visibility }[] }
 * Item type `plan.version`:
 *   { v: 1, id, planId, savedAt, note?, restoredFrom?, snapshot: { plan, sections } }
 *
 * Times are ISO-8601 UTC (`new Date().toISOString()`). Titles and names are one line. Each plan
 * or section item encodes to at most 160 KiB (MAX_ITEM_BYTES); a version holds a whole plan, so it
 * may reach MAX_SNAPSHOT_BYTES (768 KiB, under the vault's 1 MiB envelope).
 */
import { z } from 'zod';
import { ID_PATTERN } from '../crypto/ids.js';

export const PLAN_COLLECTION = 'plans';
export const PLAN_ITEM_TYPES = {
  plan: 'plan',
  section: 'plan.section',
  version: 'plan.version',
} as const;

export const TEMPLATE_IDS = ['wrap', 'crisis', 'safety', 'madmap', 'advance', 'blank'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export const SECTION_KINDS = ['text', 'list', 'people', 'pairs', 'choices'] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

export const VISIBILITIES = ['private', 'supporters'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const STANCES = ['want', 'accept', 'refuse'] as const;
export type Stance = (typeof STANCES)[number];

export const INVOLVE = ['yes', 'no'] as const;
export type Involve = (typeof INVOLVE)[number];

export const LIMITS = {
  title: 200,
  name: 200,
  reach: 1_000,
  entryText: 4_000,
  body: 40_000,
  note: 1_000,
  entries: 200,
  sections: 100,
  key: 64,
  keepVersionsMin: 10,
  keepVersionsMax: 10_000,
  keepVersionsDefault: 200,
} as const;

/** Largest UTF-8 JSON encoding of one plan or section item. */
export const MAX_ITEM_BYTES = 160 * 1024;
/** Largest UTF-8 JSON encoding of a whole plan (plan + sections); a version is this plus a little. */
export const MAX_SNAPSHOT_BYTES = 768 * 1024;

/** UTF-8 length of a string, counting a lone surrogate as the 3 bytes of U+FFFD. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Size in bytes of a value's UTF-8 JSON encoding (what the vault encrypts). */
export const encodedSize = (value: unknown): number => utf8Length(JSON.stringify(value));

const LINE = /^[^\r\n]*$/;
const oneLine = (max: number) => z.string().max(max).regex(LINE, 'must be one line');
const text = (max: number) => z.string().max(max);

export const planIdSchema = z.string().regex(ID_PATTERN, 'must be 1–64 of A–Z a–z 0–9 _ -');
export const timeSchema = z.iso.datetime();
export const visibilitySchema = z.enum(VISIBILITIES);
export const templateIdSchema = z.enum(TEMPLATE_IDS);
export const sectionKindSchema = z.enum(SECTION_KINDS);
/** Template section keys and i18n keys: `a–z A–Z 0–9 . _ -`, starting with a letter. */
export const keySchema = z
  .string()
  .max(LIMITS.key)
  .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'must be a key');
export const promptKeySchema = z
  .string()
  .max(128)
  .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'must be a message key');

export const retentionSchema = z.strictObject({
  keepVersions: z.int().min(LIMITS.keepVersionsMin).max(LIMITS.keepVersionsMax),
});

const unique = (ids: readonly string[]): boolean => new Set(ids).size === ids.length;

export const planSchema = z
  .strictObject({
    v: z.literal(1),
    id: planIdSchema,
    title: oneLine(LIMITS.title),
    templateId: templateIdSchema,
    sectionIds: z.array(planIdSchema).max(LIMITS.sections),
    createdAt: timeSchema,
    updatedAt: timeSchema,
    pinned: z.boolean(),
    retention: retentionSchema,
  })
  .refine((plan) => unique(plan.sectionIds), {
    message: 'section ids must be unique',
    path: ['sectionIds'],
  });

export const listEntrySchema = z.strictObject({
  id: planIdSchema,
  text: text(LIMITS.entryText),
  visibility: visibilitySchema,
});

export const personEntrySchema = z.strictObject({
  id: planIdSchema,
  name: oneLine(LIMITS.name),
  /** How to reach them (phone, address, "knock twice"), in the person's words. */
  reach: text(LIMITS.reach),
  /** What they can do. */
  role: text(LIMITS.entryText),
  /** `no`: this person must NOT be involved. */
  involve: z.enum(INVOLVE),
  visibility: visibilitySchema,
});

export const pairEntrySchema = z.strictObject({
  id: planIdSchema,
  helps: text(LIMITS.entryText),
  /** What doesn't help. */
  hinders: text(LIMITS.entryText),
  visibility: visibilitySchema,
});

export const choiceEntrySchema = z.strictObject({
  id: planIdSchema,
  text: text(LIMITS.entryText),
  stance: z.enum(STANCES),
  visibility: visibilitySchema,
});

const sectionBase = {
  v: z.literal(1),
  id: planIdSchema,
  planId: planIdSchema,
  key: keySchema.optional(),
  title: oneLine(LIMITS.title),
  promptKey: promptKeySchema.optional(),
  visibility: visibilitySchema,
  updatedAt: timeSchema,
};

const entries = <T extends z.ZodType<{ id: string }>>(entry: T) =>
  z
    .array(entry)
    .max(LIMITS.entries)
    .refine((list) => unique(list.map((e) => e.id)), 'entry ids must be unique');

export const textSectionSchema = z.strictObject({
  ...sectionBase,
  kind: z.literal('text'),
  body: text(LIMITS.body),
});
export const listSectionSchema = z.strictObject({
  ...sectionBase,
  kind: z.literal('list'),
  entries: entries(listEntrySchema),
});
export const peopleSectionSchema = z.strictObject({
  ...sectionBase,
  kind: z.literal('people'),
  entries: entries(personEntrySchema),
});
export const pairsSectionSchema = z.strictObject({
  ...sectionBase,
  kind: z.literal('pairs'),
  entries: entries(pairEntrySchema),
});
export const choicesSectionSchema = z.strictObject({
  ...sectionBase,
  kind: z.literal('choices'),
  entries: entries(choiceEntrySchema),
});

export const sectionSchema = z
  .discriminatedUnion('kind', [
    textSectionSchema,
    listSectionSchema,
    peopleSectionSchema,
    pairsSectionSchema,
    choicesSectionSchema,
  ])
  .refine((section) => encodedSize(section) <= MAX_ITEM_BYTES, {
    message: `a section must encode to at most ${MAX_ITEM_BYTES} bytes`,
  });

export const snapshotSchema = z
  .strictObject({
    plan: planSchema,
    sections: z.array(sectionSchema).max(LIMITS.sections),
  })
  .superRefine((snapshot, ctx) => {
    const ids = snapshot.sections.map((s) => s.id);
    if (
      ids.length !== snapshot.plan.sectionIds.length ||
      ids.some((id, i) => snapshot.plan.sectionIds[i] !== id)
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'sections must match plan.sectionIds, in order',
        path: ['sections'],
      });
    }
    snapshot.sections.forEach((section, i) => {
      if (section.planId !== snapshot.plan.id) {
        ctx.addIssue({
          code: 'custom',
          message: 'section belongs to another plan',
          path: ['sections', i, 'planId'],
        });
      }
    });
    if (encodedSize(snapshot) > MAX_SNAPSHOT_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `a plan must encode to at most ${MAX_SNAPSHOT_BYTES} bytes`,
      });
    }
  });

export const versionSchema = z.strictObject({
  v: z.literal(1),
  id: planIdSchema,
  planId: planIdSchema,
  savedAt: timeSchema,
  note: text(LIMITS.note).optional(),
  /** Set when this version was made by restoring the version with this id. */
  restoredFrom: planIdSchema.optional(),
  snapshot: snapshotSchema,
});

export type Plan = z.infer<typeof planSchema>;
export type Retention = z.infer<typeof retentionSchema>;
export type ListEntry = z.infer<typeof listEntrySchema>;
export type PersonEntry = z.infer<typeof personEntrySchema>;
export type PairEntry = z.infer<typeof pairEntrySchema>;
export type ChoiceEntry = z.infer<typeof choiceEntrySchema>;
export type Entry = ListEntry | PersonEntry | PairEntry | ChoiceEntry;
export type TextSection = z.infer<typeof textSectionSchema>;
export type ListSection = z.infer<typeof listSectionSchema>;
export type PeopleSection = z.infer<typeof peopleSectionSchema>;
export type PairsSection = z.infer<typeof pairsSectionSchema>;
export type ChoicesSection = z.infer<typeof choicesSectionSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type EntrySection = Exclude<Section, TextSection>;
/** A whole plan: the plan item and its sections, in order. */
export type PlanSnapshot = z.infer<typeof snapshotSchema>;
export type PlanVersion = z.infer<typeof versionSchema>;

/** The entry type for each section kind. */
export interface EntryByKind {
  list: ListEntry;
  people: PersonEntry;
  pairs: PairEntry;
  choices: ChoiceEntry;
}
export type EntryKind = keyof EntryByKind;

export const ENTRY_KINDS = ['list', 'people', 'pairs', 'choices'] as const satisfies EntryKind[];

export const hasEntries = (section: Section): section is EntrySection => section.kind !== 'text';
