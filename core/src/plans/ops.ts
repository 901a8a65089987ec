/**
 * Pure, immutable operations on a PlanSnapshot. Each returns a new snapshot (the input is never
 * changed) or a typed error: an unknown section or entry, a wrong kind, or a result the schema
 * refuses (too long, too many, too large). Changed sections and the plan get `updatedAt = now`.
 */
import { generateId } from '../crypto/ids.js';
import { err, ok, type Result } from '../result.js';
import {
  LIMITS,
  sectionSchema,
  snapshotSchema,
  type Entry,
  type Involve,
  type EntryKind,
  type Plan,
  type PlanSnapshot,
  type Section,
  type SectionKind,
  type Stance,
  type TemplateId,
  type Visibility,
} from './schema.js';
import { templates } from './templates.js';

export type PlanError =
  | { readonly code: 'section_not_found'; readonly sectionId: string }
  | { readonly code: 'entry_not_found'; readonly sectionId: string; readonly entryId: string }
  /** The section has no entries (kind `text`), or an entry of another kind was given. */
  | { readonly code: 'wrong_kind'; readonly sectionId: string; readonly kind: SectionKind }
  | { readonly code: 'invalid'; readonly issues: readonly { path: string; message: string }[] };

export type PlanResult = Result<PlanSnapshot, PlanError>;

/** Turns a message key into words (the web app's `$t`, or `translateEn`). */
export type Translate = (key: string) => string;

export interface CreatePlanInput {
  readonly templateId: TemplateId;
  readonly title: string;
  /** ISO-8601 UTC. */
  readonly now: string;
  readonly id?: string;
  readonly translate: Translate;
  readonly newId?: () => string;
}

const issuesOf = (error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}) => error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

/** Validates a whole snapshot. */
export function checkSnapshot(value: unknown): Result<PlanSnapshot, PlanError> {
  const parsed = snapshotSchema.safeParse(value);
  return parsed.success
    ? ok(parsed.data)
    : err({ code: 'invalid', issues: issuesOf(parsed.error) });
}

/** Validates the one section that changed, then the snapshot's shape (ids, order, size). */
function finish(s: PlanSnapshot, changed?: Section): PlanResult {
  if (changed) {
    const parsed = sectionSchema.safeParse(changed);
    if (!parsed.success) return err({ code: 'invalid', issues: issuesOf(parsed.error) });
  }
  return checkSnapshot(s);
}

export function emptySection(input: {
  planId: string;
  kind: SectionKind;
  title: string;
  now: string;
  id: string;
  key?: string;
  promptKey?: string;
  visibility?: Visibility;
}): Section {
  const base = {
    v: 1 as const,
    id: input.id,
    planId: input.planId,
    ...(input.key === undefined ? {} : { key: input.key }),
    title: input.title,
    ...(input.promptKey === undefined ? {} : { promptKey: input.promptKey }),
    visibility: input.visibility ?? 'private',
    updatedAt: input.now,
  };
  switch (input.kind) {
    case 'text':
      return { ...base, kind: 'text', body: '' };
    case 'list':
      return { ...base, kind: 'list', entries: [] };
    case 'people':
      return { ...base, kind: 'people', entries: [] };
    case 'pairs':
      return { ...base, kind: 'pairs', entries: [] };
    case 'choices':
      return { ...base, kind: 'choices', entries: [] };
  }
}

/** A new plan from a template: one empty section per template section, titles translated. */
export function createPlan(input: CreatePlanInput): PlanResult {
  const newId = input.newId ?? (() => generateId());
  const id = input.id ?? newId();
  const template = templates[input.templateId];
  const sections = template.sections.map((t) =>
    emptySection({
      planId: id,
      kind: t.kind,
      title: input.translate(t.titleKey),
      now: input.now,
      id: newId(),
      key: t.key,
      promptKey: t.promptKey,
    }),
  );
  const plan: Plan = {
    v: 1,
    id,
    title: input.title,
    templateId: input.templateId,
    sectionIds: sections.map((s) => s.id),
    createdAt: input.now,
    updatedAt: input.now,
    pinned: false,
    retention: { keepVersions: LIMITS.keepVersionsDefault },
  };
  return checkSnapshot({ plan, sections });
}

const touch = (plan: Plan, now: string, patch: Partial<Plan> = {}): Plan => ({
  ...plan,
  ...patch,
  updatedAt: now,
});

function findSection(s: PlanSnapshot, sectionId: string): Result<number, PlanError> {
  const index = s.sections.findIndex((x) => x.id === sectionId);
  return index < 0 ? err({ code: 'section_not_found', sectionId }) : ok(index);
}

function withSections(s: PlanSnapshot, sections: Section[], now: string): PlanSnapshot {
  return { plan: touch(s.plan, now, { sectionIds: sections.map((x) => x.id) }), sections };
}

function replaceSection(s: PlanSnapshot, index: number, section: Section, now: string): PlanResult {
  const sections = s.sections.slice();
  sections[index] = section;
  return finish({ plan: touch(s.plan, now), sections }, section);
}

const clamp = (n: number, max: number) => Math.max(0, Math.min(Math.trunc(n), max));

export function renamePlan(s: PlanSnapshot, title: string, now: string): PlanResult {
  return finish({ ...s, plan: touch(s.plan, now, { title }) });
}

export function setPinned(s: PlanSnapshot, pinned: boolean, now: string): PlanResult {
  return finish({ ...s, plan: touch(s.plan, now, { pinned }) });
}

export function setRetention(s: PlanSnapshot, keepVersions: number, now: string): PlanResult {
  return finish({ ...s, plan: touch(s.plan, now, { retention: { keepVersions } }) });
}

/** Adds an empty section at `at` (default: the end). The new section is the last in `sectionIds`'s order there. */
export function addSection(
  s: PlanSnapshot,
  input: {
    kind: SectionKind;
    title: string;
    now: string;
    at?: number;
    id?: string;
    visibility?: Visibility;
  },
): PlanResult {
  const section = emptySection({
    planId: s.plan.id,
    kind: input.kind,
    title: input.title,
    now: input.now,
    id: input.id ?? generateId(),
    ...(input.visibility ? { visibility: input.visibility } : {}),
  });
  if (s.sections.some((x) => x.id === section.id)) {
    return err({ code: 'invalid', issues: [{ path: 'id', message: 'id is already used' }] });
  }
  const sections = s.sections.slice();
  sections.splice(clamp(input.at ?? sections.length, sections.length), 0, section);
  return finish(withSections(s, sections, input.now), section);
}

export function renameSection(
  s: PlanSnapshot,
  sectionId: string,
  title: string,
  now: string,
): PlanResult {
  const found = findSection(s, sectionId);
  if (!found.ok) return found;
  const section = s.sections[found.value]!;
  return replaceSection(s, found.value, { ...section, title, updatedAt: now }, now);
}

/** Moves a section to `toIndex` (clamped to the plan). */
export function moveSection(
  s: PlanSnapshot,
  sectionId: string,
  toIndex: number,
  now: string,
): PlanResult {
  const found = findSection(s, sectionId);
  if (!found.ok) return found;
  const sections = s.sections.slice();
  const [section] = sections.splice(found.value, 1);
  sections.splice(clamp(toIndex, sections.length), 0, section!);
  return finish(withSections(s, sections, now));
}

export function removeSection(s: PlanSnapshot, sectionId: string, now: string): PlanResult {
  const found = findSection(s, sectionId);
  if (!found.ok) return found;
  return finish(
    withSections(
      s,
      s.sections.filter((x) => x.id !== sectionId),
      now,
    ),
  );
}

/** What `updateSection` may change: title, visibility, and the body (text) or entries. */
export interface SectionPatch {
  readonly title?: string;
  readonly visibility?: Visibility;
  readonly body?: string;
  readonly entries?: readonly Entry[];
}

export function updateSection(
  s: PlanSnapshot,
  sectionId: string,
  patch: SectionPatch,
  now: string,
): PlanResult {
  const found = findSection(s, sectionId);
  if (!found.ok) return found;
  const section = s.sections[found.value]!;
  if (patch.body !== undefined && section.kind !== 'text') {
    return err({ code: 'wrong_kind', sectionId, kind: section.kind });
  }
  if (patch.entries !== undefined && section.kind === 'text') {
    return err({ code: 'wrong_kind', sectionId, kind: section.kind });
  }
  const next = {
    ...section,
    ...(patch.title === undefined ? {} : { title: patch.title }),
    ...(patch.visibility === undefined ? {} : { visibility: patch.visibility }),
    ...(patch.body === undefined ? {} : { body: patch.body }),
    ...(patch.entries === undefined ? {} : { entries: patch.entries.map((e) => ({ ...e })) }),
    updatedAt: now,
  } as Section;
  return replaceSection(s, found.value, next, now);
}

/** Marks a section (`entryId` null) or one of its entries as private or for supporters. */
export function setVisibility(
  s: PlanSnapshot,
  sectionId: string,
  entryId: string | null,
  visibility: Visibility,
  now: string,
): PlanResult {
  if (entryId === null) return updateSection(s, sectionId, { visibility }, now);
  return updateEntry(s, sectionId, entryId, { visibility }, now);
}

/** Entry fields to set; only those of the section's kind are allowed (never `id`). */
export interface EntryPatch {
  readonly text?: string;
  readonly name?: string;
  readonly reach?: string;
  readonly role?: string;
  readonly involve?: Involve;
  readonly helps?: string;
  readonly hinders?: string;
  readonly stance?: Stance;
  readonly visibility?: Visibility;
}
type AnyEntryPatch = EntryPatch;

const entryFields: Record<EntryKind, readonly string[]> = {
  list: ['text', 'visibility'],
  people: ['name', 'reach', 'role', 'involve', 'visibility'],
  pairs: ['helps', 'hinders', 'visibility'],
  choices: ['text', 'stance', 'visibility'],
};

/** A new entry of a kind, empty fields filled with defaults. */
export function emptyEntry(kind: EntryKind, id: string): Entry {
  switch (kind) {
    case 'list':
      return { id, text: '', visibility: 'private' };
    case 'people':
      return { id, name: '', reach: '', role: '', involve: 'yes', visibility: 'private' };
    case 'pairs':
      return { id, helps: '', hinders: '', visibility: 'private' };
    case 'choices':
      return { id, text: '', stance: 'want', visibility: 'private' };
  }
}

function pick(kind: EntryKind, patch: AnyEntryPatch): Result<Record<string, unknown>, string> {
  const allowed = entryFields[kind];
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (!allowed.includes(field)) return err(field);
    out[field] = value;
  }
  return ok(out);
}

function entrySection(s: PlanSnapshot, sectionId: string) {
  const found = findSection(s, sectionId);
  if (!found.ok) return found;
  const section = s.sections[found.value]!;
  if (section.kind === 'text') {
    return err<PlanError>({ code: 'wrong_kind', sectionId, kind: section.kind });
  }
  return ok({ index: found.value, section });
}

function withEntries(
  s: PlanSnapshot,
  index: number,
  section: Section & { entries: readonly Entry[] },
  entries: Entry[],
  now: string,
): PlanResult {
  return replaceSection(s, index, { ...section, entries, updatedAt: now } as Section, now);
}

const fieldError = (sectionId: string, kind: SectionKind, field: string): PlanError =>
  field === 'id'
    ? { code: 'invalid', issues: [{ path: 'id', message: 'an entry id cannot change' }] }
    : { code: 'wrong_kind', sectionId, kind };

/**
 * Adds an entry to a list, people, pairs or choices section, at `at` (default: the end).
 * Fields not given are empty (`involve` 'yes', `stance` 'want', `visibility` 'private').
 */
export function addEntry(
  s: PlanSnapshot,
  sectionId: string,
  fields: AnyEntryPatch,
  now: string,
  options: { at?: number; id?: string } = {},
): PlanResult {
  const found = entrySection(s, sectionId);
  if (!found.ok) return found;
  const { index, section } = found.value;
  const picked = pick(section.kind, fields);
  if (!picked.ok) return err(fieldError(sectionId, section.kind, picked.error));
  const id = options.id ?? generateId();
  if (section.entries.some((e) => e.id === id)) {
    return err({ code: 'invalid', issues: [{ path: 'id', message: 'id is already used' }] });
  }
  const entry = { ...emptyEntry(section.kind, id), ...picked.value };
  const list: Entry[] = section.entries.slice();
  list.splice(clamp(options.at ?? list.length, list.length), 0, entry);
  return withEntries(s, index, section, list, now);
}

export function updateEntry(
  s: PlanSnapshot,
  sectionId: string,
  entryId: string,
  patch: AnyEntryPatch,
  now: string,
): PlanResult {
  const found = entrySection(s, sectionId);
  if (!found.ok) return found;
  const { index, section } = found.value;
  const at = section.entries.findIndex((e) => e.id === entryId);
  if (at < 0) return err({ code: 'entry_not_found', sectionId, entryId });
  const picked = pick(section.kind, patch);
  if (!picked.ok) return err(fieldError(sectionId, section.kind, picked.error));
  const list: Entry[] = section.entries.slice();
  list[at] = { ...list[at]!, ...picked.value };
  return withEntries(s, index, section, list, now);
}

export function removeEntry(
  s: PlanSnapshot,
  sectionId: string,
  entryId: string,
  now: string,
): PlanResult {
  const found = entrySection(s, sectionId);
  if (!found.ok) return found;
  const { index, section } = found.value;
  if (!section.entries.some((e) => e.id === entryId)) {
    return err({ code: 'entry_not_found', sectionId, entryId });
  }
  const list: Entry[] = section.entries.filter((e) => e.id !== entryId);
  return withEntries(s, index, section, list, now);
}

export function moveEntry(
  s: PlanSnapshot,
  sectionId: string,
  entryId: string,
  toIndex: number,
  now: string,
): PlanResult {
  const found = entrySection(s, sectionId);
  if (!found.ok) return found;
  const { index, section } = found.value;
  const at = section.entries.findIndex((e) => e.id === entryId);
  if (at < 0) return err({ code: 'entry_not_found', sectionId, entryId });
  const list: Entry[] = section.entries.slice();
  const [entry] = list.splice(at, 1);
  list.splice(clamp(toIndex, list.length), 0, entry!);
  return withEntries(s, index, section, list, now);
}
