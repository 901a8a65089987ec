/**
 * Export and import of plans: JSON (format `tend-plan`, version 1) and readable Markdown.
 *
 * JSON: `{ format: 'tend-plan', version: 1, plan, sections, versions? }`, the vault items as they
 * are, validated with the plan schemas on import.
 *
 * Markdown: a plan reads as a normal document (`# title`, `## section`, bodies as written, entries
 * as `- ` items with bold labels), and Tend's own exports import back losslessly: everything that
 * isn't visible text travels in HTML comments (`<!-- tend:… {json} -->`), which don't show when
 * rendered. The layout, line by line:
 *
 *     <!-- tend:plan {v, id, templateId, createdAt, updatedAt, pinned, retention} -->
 *     # Plan title
 *     (blank)
 *     <!-- tend:section {id, key?, promptKey?, kind, visibility, updatedAt} -->
 *     ## Section title
 *     (blank)
 *     text body, each line as written; a line starting `<!-- tend:` gets `<!-- tend:esc -->`
 *     in front of it, removed again on import
 *     (blank)
 *     — or, for entries —
 *     - [**Label:** ]first line of the first field <!-- tend:entry {id, involve|stance, visibility} -->
 *         further lines of the first field, indented 4 spaces
 *       - **Label:** first line of another field (people: reach, role; pairs: hinders)
 *           further lines, indented 6 spaces
 *     (blank)
 *     <!-- tend:end -->
 *
 * JSON inside comments escapes `<`, `>` and `&`, so text can't end a comment early. Titles are one
 * line by schema. Markdown without Tend's comments imports too, as a blank plan whose `## `
 * headings become text sections (not lossless: it is someone else's document).
 */
import { generateId } from '../crypto/ids.js';
import { err, ok, type Result } from '../result.js';
import { checkSnapshot, emptySection, type PlanError } from './ops.js';
import {
  LIMITS,
  snapshotSchema,
  versionSchema,
  type ChoiceEntry,
  type Entry,
  type PairEntry,
  type PersonEntry,
  type Plan,
  type PlanSnapshot,
  type PlanVersion,
  type Section,
  type Stance,
} from './schema.js';
import { z } from 'zod';

export const EXPORT_FORMAT = 'tend-plan';
export const EXPORT_VERSION = 1;

export type ExchangeError =
  | { readonly code: 'not_json' }
  | { readonly code: 'not_a_plan' }
  | { readonly code: 'unsupported_version'; readonly version: unknown }
  | { readonly code: 'malformed'; readonly line: number; readonly message: string }
  | { readonly code: 'invalid'; readonly issues: readonly { path: string; message: string }[] };

export interface Imported {
  readonly snapshot: PlanSnapshot;
  readonly versions: readonly PlanVersion[];
}

export interface ImportOptions {
  /** Give the plan, its sections, entries and versions fresh ids, so importing twice never collides. */
  readonly newIds?: boolean;
  readonly newId?: () => string;
}

const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

const fromPlanError = (e: PlanError): ExchangeError =>
  e.code === 'invalid'
    ? e
    : { code: 'invalid', issues: [{ path: '', message: `plan error: ${e.code}` }] };

// ---------------------------------------------------------------------------------------------
// Fresh ids

/** Replaces every id (plan, sections, entries, versions) consistently with fresh ones. */
export function withNewIds(imported: Imported, newId: () => string = () => generateId()): Imported {
  const map = new Map<string, string>();
  const to = (id: string): string => {
    let next = map.get(id);
    if (next === undefined) {
      next = newId();
      map.set(id, next);
    }
    return next;
  };
  const entry = (e: Entry): Entry => ({ ...e, id: to(e.id) });
  const section = (s: Section): Section =>
    s.kind === 'text'
      ? { ...s, id: to(s.id), planId: to(s.planId) }
      : ({ ...s, id: to(s.id), planId: to(s.planId), entries: s.entries.map(entry) } as Section);
  const snapshot = (s: PlanSnapshot): PlanSnapshot => ({
    plan: { ...s.plan, id: to(s.plan.id), sectionIds: s.plan.sectionIds.map(to) },
    sections: s.sections.map(section),
  });
  return {
    snapshot: snapshot(imported.snapshot),
    versions: imported.versions.map((v) => ({
      ...v,
      id: to(v.id),
      planId: to(v.planId),
      ...(v.restoredFrom === undefined ? {} : { restoredFrom: to(v.restoredFrom) }),
      snapshot: snapshot(v.snapshot),
    })),
  };
}

const finishImport = (imported: Imported, options: ImportOptions): Imported =>
  options.newIds ? withNewIds(imported, options.newId) : imported;

// ---------------------------------------------------------------------------------------------
// JSON

export const exportSchema = z
  .strictObject({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    plan: z.unknown(),
    sections: z.unknown(),
    versions: z.array(versionSchema).max(LIMITS.keepVersionsMax).optional(),
  })
  .transform(({ plan, sections, versions }, ctx) => {
    const snapshot = snapshotSchema.safeParse({ plan, sections });
    if (!snapshot.success) {
      for (const issue of snapshot.error.issues) ctx.addIssue({ ...issue, code: 'custom' });
      return z.NEVER;
    }
    (versions ?? []).forEach((v, i) => {
      if (v.planId !== snapshot.data.plan.id) {
        ctx.addIssue({
          code: 'custom',
          message: 'version of another plan',
          path: ['versions', i, 'planId'],
        });
      }
    });
    return { snapshot: snapshot.data, versions: versions ?? [] };
  });

/** The plan (and, if given, its versions) as a `tend-plan` JSON document. */
export function toJson(snapshot: PlanSnapshot, versions?: readonly PlanVersion[]): string {
  const doc = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    plan: snapshot.plan,
    sections: snapshot.sections,
    ...(versions && versions.length > 0 ? { versions } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function fromJson(
  text: string,
  options: ImportOptions = {},
): Result<Imported, ExchangeError> {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return err({ code: 'not_json' });
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    (json as { format?: unknown }).format !== EXPORT_FORMAT
  ) {
    return err({ code: 'not_a_plan' });
  }
  const version = (json as { version?: unknown }).version;
  if (version !== EXPORT_VERSION) return err({ code: 'unsupported_version', version });
  const parsed = exportSchema.safeParse(json);
  if (!parsed.success) return err({ code: 'invalid', issues: issuesOf(parsed.error) });
  return ok(finishImport(parsed.data, options));
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** Visible labels; only their look matters, import doesn't read them. Must not contain `:**`. */
export interface MarkdownLabels {
  readonly reach: string;
  readonly role: string;
  readonly notInvolved: string;
  readonly helps: string;
  readonly hinders: string;
  readonly want: string;
  readonly accept: string;
  readonly refuse: string;
}

export const markdownLabelsEn: MarkdownLabels = {
  reach: 'How to reach them',
  role: 'What they can do',
  notInvolved: 'Not to be involved',
  helps: 'Helps',
  hinders: 'Doesn’t help',
  want: 'I want',
  accept: 'I can accept',
  refuse: 'I refuse',
};

const MARK = '<!-- tend:';
const ESCAPE = '<!-- tend:esc -->';
const END = '<!-- tend:end -->';

/** JSON that can sit inside an HTML comment on one line. */
const commentJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

const comment = (tag: string, value: unknown) => `${MARK}${tag} ${commentJson(value)} -->`;

const escapeLine = (line: string) => (line.startsWith(MARK) ? ESCAPE + line : line);
const unescapeLine = (line: string) => (line.startsWith(ESCAPE) ? line.slice(ESCAPE.length) : line);

/** Lines of a field: the first after `first`, the others indented. */
function fieldLines(first: string, value: string, indent: string, suffix = ''): string[] {
  const [head = '', ...rest] = value.split('\n');
  return [first + head + suffix, ...rest.map((line) => indent + line)];
}

const label = (text: string) => `**${text}:** `;

function entryLines(kind: Section['kind'], e: Entry, labels: MarkdownLabels): string[] {
  switch (kind) {
    case 'list': {
      const x = e as { text: string; visibility: string };
      const meta = comment('entry', { id: e.id, visibility: x.visibility });
      return fieldLines('- ', x.text, '    ', ` ${meta}`);
    }
    case 'choices': {
      const x = e as ChoiceEntry;
      const meta = comment('entry', { id: e.id, stance: x.stance, visibility: x.visibility });
      return fieldLines(`- ${label(labels[x.stance])}`, x.text, '    ', ` ${meta}`);
    }
    case 'people': {
      const x = e as PersonEntry;
      const meta = comment('entry', { id: e.id, involve: x.involve, visibility: x.visibility });
      const prefix = x.involve === 'no' ? label(labels.notInvolved) : '';
      return [
        ...fieldLines(`- ${prefix}`, x.name, '    ', ` ${meta}`),
        ...fieldLines(`  - ${label(labels.reach)}`, x.reach, '      '),
        ...fieldLines(`  - ${label(labels.role)}`, x.role, '      '),
      ];
    }
    case 'pairs': {
      const x = e as PairEntry;
      const meta = comment('entry', { id: e.id, visibility: x.visibility });
      return [
        ...fieldLines(`- ${label(labels.helps)}`, x.helps, '    ', ` ${meta}`),
        ...fieldLines(`  - ${label(labels.hinders)}`, x.hinders, '      '),
      ];
    }
    case 'text':
      return [];
  }
}

/** The plan as readable Markdown that imports back losslessly (see the top of this file). */
export function toMarkdown(
  snapshot: PlanSnapshot,
  options: { labels?: Partial<MarkdownLabels> } = {},
): string {
  const labels = { ...markdownLabelsEn, ...options.labels };
  const { plan } = snapshot;
  const lines: string[] = [
    comment('plan', {
      v: plan.v,
      id: plan.id,
      templateId: plan.templateId,
      createdAt: plan.createdAt,
      updatedAt: plan.updatedAt,
      pinned: plan.pinned,
      retention: plan.retention,
    }),
    `# ${plan.title}`,
    '',
  ];
  for (const s of snapshot.sections) {
    lines.push(
      comment('section', {
        id: s.id,
        ...(s.key === undefined ? {} : { key: s.key }),
        ...(s.promptKey === undefined ? {} : { promptKey: s.promptKey }),
        kind: s.kind,
        visibility: s.visibility,
        updatedAt: s.updatedAt,
      }),
      `## ${s.title}`,
      '',
    );
    if (s.kind === 'text') lines.push(...s.body.split('\n').map(escapeLine));
    else for (const e of s.entries) lines.push(...entryLines(s.kind, e, labels));
    lines.push('');
  }
  lines.push(END, '');
  return lines.join('\n');
}

const planMetaSchema = z.strictObject({
  v: z.literal(1),
  id: z.string(),
  templateId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  pinned: z.boolean(),
  retention: z.unknown(),
});
const sectionMetaSchema = z.strictObject({
  id: z.string(),
  key: z.string().optional(),
  promptKey: z.string().optional(),
  kind: z.enum(['text', 'list', 'people', 'pairs', 'choices']),
  visibility: z.string(),
  updatedAt: z.string(),
});
const entryMetaSchema = z.strictObject({
  id: z.string(),
  visibility: z.string(),
  involve: z.string().optional(),
  stance: z.string().optional(),
});

class Malformed extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

function readComment<T>(line: string, tag: string, schema: z.ZodType<T>, lineNo: number): T {
  const head = `${MARK}${tag} `;
  if (!line.startsWith(head) || !line.endsWith(' -->')) {
    throw new Malformed(lineNo, `expected a tend:${tag} comment`);
  }
  let json: unknown;
  try {
    json = JSON.parse(line.slice(head.length, -' -->'.length));
  } catch {
    throw new Malformed(lineNo, `tend:${tag} comment is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Malformed(lineNo, `tend:${tag} comment has the wrong shape`);
  return parsed.data;
}

/** Strips `**Label:** ` from the start of a field (labels never contain `:**`). */
function stripLabel(text: string, lineNo: number): string {
  const end = text.indexOf(':** ');
  if (!text.startsWith('**') || end < 0) throw new Malformed(lineNo, 'expected a **label:**');
  return text.slice(end + ':** '.length);
}

interface Field {
  lines: string[];
}

/** Parses the entry lines of one section (between its blank lines). */
function parseEntries(
  kind: Exclude<Section['kind'], 'text'>,
  lines: string[],
  start: number,
): Entry[] {
  const entries: Entry[] = [];
  let i = 0;
  while (i < lines.length) {
    const lineNo = start + i;
    const line = lines[i]!;
    if (!line.startsWith('- ')) throw new Malformed(lineNo, 'expected an entry (“- ”)');
    const at = line.lastIndexOf(` ${MARK}entry `);
    if (at < 0) throw new Malformed(lineNo, 'entry without its tend:entry comment');
    const meta = readComment(line.slice(at + 1), 'entry', entryMetaSchema, lineNo);
    const fields: Field[] = [{ lines: [line.slice(2, at)] }];
    i++;
    while (i < lines.length && !lines[i]!.startsWith('- ')) {
      const next = lines[i]!;
      if (fields.length === 1 && next.startsWith('    ')) fields[0]!.lines.push(next.slice(4));
      else if (next.startsWith('  - '))
        fields.push({ lines: [stripLabel(next.slice(4), start + i)] });
      else if (fields.length > 1 && next.startsWith('      '))
        fields.at(-1)!.lines.push(next.slice(6));
      else throw new Malformed(start + i, 'unexpected line in an entry');
      i++;
    }
    const value = (n: number) => fields[n]?.lines.join('\n');
    const expected = kind === 'people' ? 3 : kind === 'pairs' ? 2 : 1;
    if (fields.length !== expected)
      throw new Malformed(lineNo, `a ${kind} entry has ${expected} fields`);
    const first = value(0)!;
    switch (kind) {
      case 'list':
        entries.push({ id: meta.id, text: first, visibility: meta.visibility } as Entry);
        break;
      case 'choices':
        entries.push({
          id: meta.id,
          text: stripLabel(first, lineNo),
          stance: meta.stance as Stance,
          visibility: meta.visibility,
        } as Entry);
        break;
      case 'people':
        entries.push({
          id: meta.id,
          name: meta.involve === 'no' ? stripLabel(first, lineNo) : first,
          reach: value(1)!,
          role: value(2)!,
          involve: meta.involve,
          visibility: meta.visibility,
        } as Entry);
        break;
      case 'pairs':
        entries.push({
          id: meta.id,
          helps: stripLabel(first, lineNo),
          hinders: value(1)!,
          visibility: meta.visibility,
        } as Entry);
        break;
    }
  }
  return entries;
}

const isBoundary = (line: string) => line.startsWith(`${MARK}section `) || line === END;

function parseTendMarkdown(lines: string[]): PlanSnapshot {
  const meta = readComment(lines[0]!, 'plan', planMetaSchema, 1);
  if (!lines[1]?.startsWith('# ')) throw new Malformed(2, 'expected “# title”');
  const title = lines[1].slice(2);
  if (lines[2] !== '') throw new Malformed(3, 'expected a blank line');
  let i = 3;
  const sections: Section[] = [];
  while (i < lines.length && lines[i] !== END) {
    const s = readComment(lines[i]!, 'section', sectionMetaSchema, i + 1);
    const heading = lines[i + 1];
    if (heading === undefined || !heading.startsWith('## ')) {
      throw new Malformed(i + 2, 'expected “## section title”');
    }
    i += 2;
    const start = i;
    while (i < lines.length && !isBoundary(lines[i]!)) i++;
    if (i >= lines.length) throw new Malformed(i, 'missing <!-- tend:end -->');
    const block = lines.slice(start, i);
    if (block.length < 2 || block[0] !== '' || block.at(-1) !== '') {
      throw new Malformed(start + 1, 'a section’s content is framed by blank lines');
    }
    const content = block.slice(1, -1);
    const base = {
      v: 1 as const,
      id: s.id,
      planId: meta.id,
      ...(s.key === undefined ? {} : { key: s.key }),
      title: heading.slice(3),
      ...(s.promptKey === undefined ? {} : { promptKey: s.promptKey }),
      visibility: s.visibility,
      updatedAt: s.updatedAt,
    };
    sections.push(
      (s.kind === 'text'
        ? { ...base, kind: 'text', body: content.map(unescapeLine).join('\n') }
        : { ...base, kind: s.kind, entries: parseEntries(s.kind, content, start + 2) }) as Section,
    );
  }
  if (i >= lines.length) throw new Malformed(i, 'missing <!-- tend:end -->');
  const plan = {
    ...meta,
    title,
    sectionIds: sections.map((s) => s.id),
  } as unknown as Plan;
  return { plan, sections };
}

/** Someone else's Markdown: `# ` is the title, each `## ` heading starts a text section. */
function parseForeignMarkdown(lines: string[], now: string, newId: () => string): PlanSnapshot {
  const planId = newId();
  let title = '';
  const sections: Section[] = [];
  let current: { title: string; lines: string[] } = { title: '', lines: [] };
  const flush = () => {
    const body = current.lines
      .join('\n')
      .replace(/^\s*\n/, '')
      .trimEnd();
    if (body === '' && current.title === '') return;
    const section = emptySection({ planId, kind: 'text', title: current.title, now, id: newId() });
    sections.push({ ...section, body } as Section);
  };
  for (const line of lines) {
    if (
      title === '' &&
      sections.length === 0 &&
      /^# /.test(line) &&
      current.lines.every((l) => l.trim() === '')
    ) {
      title = line.slice(2).trim();
    } else if (line.startsWith('## ')) {
      flush();
      current = { title: line.slice(3).trim(), lines: [] };
    } else current.lines.push(line);
  }
  flush();
  return {
    plan: {
      v: 1,
      id: planId,
      title: title.slice(0, LIMITS.title),
      templateId: 'blank',
      sectionIds: sections.map((s) => s.id),
      createdAt: now,
      updatedAt: now,
      pinned: false,
      retention: { keepVersions: LIMITS.keepVersionsDefault },
    },
    sections: sections.map((s) => ({ ...s, title: s.title.slice(0, LIMITS.title) })),
  };
}

/**
 * Reads a Markdown export. Tend's own exports come back exactly; other Markdown becomes a blank
 * plan of text sections with fresh ids (`now` for its times, default the current time).
 */
export function fromMarkdown(
  text: string,
  options: ImportOptions & { now?: string } = {},
): Result<Imported, ExchangeError> {
  let source = text.replace(/^\uFEFF/, '');
  // A Tend export always has bare line feeds; one with none was converted to CRLF on the way.
  if (source.includes('\r\n') && !/(^|[^\r])\n/.test(source))
    source = source.replace(/\r\n/g, '\n');
  const lines = source.split('\n');
  let snapshot: PlanSnapshot;
  try {
    if (lines[0]?.startsWith(`${MARK}plan `)) {
      if (lines.at(-1) === '') lines.pop();
      snapshot = parseTendMarkdown(lines);
    } else {
      const now = options.now ?? new Date().toISOString();
      snapshot = parseForeignMarkdown(
        lines.map((l) => l.replace(/\r$/, '')),
        now,
        options.newId ?? (() => generateId()),
      );
    }
  } catch (e) {
    if (e instanceof Malformed) return err({ code: 'malformed', line: e.line, message: e.message });
    throw e;
  }
  const checked = checkSnapshot(snapshot);
  if (!checked.ok) return err(fromPlanError(checked.error));
  return ok(finishImport({ snapshot: checked.value, versions: [] }, options));
}
