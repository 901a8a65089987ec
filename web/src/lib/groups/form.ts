/**
 * The "start a group" and "edit the group" forms: the fields as people type them (lists as
 * comma- or line-separated words) ↔ the server's input, checked with the core schema before
 * anything is sent, with each problem tied to the field it is about.
 */
import {
  createGroupSchema,
  GROUP_LIMITS,
  type CreateGroupInput,
  type GroupFormat,
  type GroupPageWire,
  type GroupVisibility,
} from '$core/groups/api';

export interface GroupForm {
  name: string;
  slug: string;
  description: string;
  /** Comma- or line-separated. */
  topics: string;
  /** Comma- or line-separated language tags. */
  languages: string;
  format: GroupFormat;
  area: string;
  visibility: GroupVisibility;
  /** One question per line. */
  joinQuestions: string;
  agreement: string;
}

export type GroupField = keyof GroupForm;
export type FieldProblems = Partial<Record<GroupField, string>>;

/** "grief, loss\nhearing voices" → ["grief", "loss", "hearing voices"] (no empties, no repeats). */
export function splitList(text: string, separators: RegExp = /[,\n]/): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(separators)) {
    const item = part.trim().replace(/\s+/g, ' ');
    const key = item.toLowerCase();
    if (item === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/** A slug suggested from a group's name: "Hearing Voices — Leeds" → "hearing-voices-leeds". */
export function slugFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
  return slug.length >= 3 ? slug : '';
}

/** A slug that says nothing about the group (for invite-only groups: docs/GROUPS.md). */
export function randomSlug(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const bytes = random(new Uint8Array(6));
  return `group-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export const emptyForm = (language: string): GroupForm => ({
  name: '',
  slug: '',
  description: '',
  topics: '',
  languages: language,
  format: 'online',
  area: '',
  visibility: 'request',
  joinQuestions: '',
  agreement: '',
});

/** The form for editing a group as it is now (the agreement is published on its own). */
export const formFromGroup = (group: GroupPageWire): GroupForm => ({
  name: group.name,
  slug: group.slug,
  description: group.description,
  topics: group.topics.join(', '),
  languages: group.languages.join(', '),
  format: group.format,
  area: group.area ?? '',
  visibility: group.visibility,
  joinQuestions: group.joinQuestions.join('\n'),
  agreement: group.agreement.text,
});

/** What the form says, as the server's create input (not yet checked). */
export function toCreateInput(form: GroupForm, id: string): Record<string, unknown> {
  return {
    id,
    slug: form.slug.trim(),
    name: form.name,
    description: form.description,
    topics: splitList(form.topics),
    languages: splitList(form.languages),
    format: form.format,
    area: form.area.trim() === '' ? null : form.area,
    visibility: form.visibility,
    joinQuestions: splitList(form.joinQuestions, /\n/),
    agreement: form.agreement,
  };
}

/** The message id for each field's problem (messages: groups.form.problems.*). */
const PROBLEM_KEY: Record<GroupField, string> = {
  name: 'groups.form.problems.name',
  slug: 'groups.form.problems.slug',
  description: 'groups.form.problems.description',
  topics: 'groups.form.problems.topics',
  languages: 'groups.form.problems.languages',
  format: 'groups.form.problems.format',
  area: 'groups.form.problems.area',
  visibility: 'groups.form.problems.visibility',
  joinQuestions: 'groups.form.problems.joinQuestions',
  agreement: 'groups.form.problems.agreement',
};

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldProblems };

/** Checks the form with the core schema; problems are message ids, one per field. */
export function checkCreate(form: GroupForm, id: string): Checked<CreateGroupInput> {
  const parsed = createGroupSchema.safeParse(toCreateInput(form, id));
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems: FieldProblems = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && field in PROBLEM_KEY) {
      problems[field as GroupField] ??= PROBLEM_KEY[field as GroupField];
    }
  }
  if (Object.keys(problems).length === 0) problems.name = PROBLEM_KEY.name;
  return { ok: false, problems };
}

export { GROUP_LIMITS };
