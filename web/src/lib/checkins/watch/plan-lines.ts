/**
 * Lines of a plan section the person can copy into a watch, in their own words: the label
 * ("what I notice when things start to slip") and the steps ("when I notice early signs, I
 * will…"). Any section can be chosen; the ones for early signs and for what to do then come
 * first.
 */
import type { Plan, Section } from '$core/plans/index';

/** Template keys of sections about early or warning signs. */
const SIGNS = new Set(['earlySigns', 'warningSigns', 'triggers', 'breakingDown']);
/** Template keys of sections about what the person will do then. */
const STEPS = new Set([
  'earlySignsPlan',
  'triggersPlan',
  'breakingDownPlan',
  'onMyOwn',
  'mightDo',
  'toolbox',
  'distractions',
  'askForHelp',
]);

const MARKER = /^\s*(?:[-*+]|\d+[.)]|#{1,6})\s+/;

/** The section's lines as written: list entries, or a text section's non-empty lines. */
export function sectionLines(section: Section): string[] {
  let lines: string[];
  switch (section.kind) {
    case 'text':
      lines = section.body.split(/\r?\n/).map((l) => l.replace(MARKER, ''));
      break;
    case 'list':
      lines = section.entries.map((e) => e.text);
      break;
    case 'choices':
      // What the person refuses is not a step to take.
      lines = section.entries.filter((e) => e.stance !== 'refuse').map((e) => e.text);
      break;
    case 'pairs':
      lines = section.entries.map((e) => e.helps);
      break;
    case 'people':
      // Never someone the person said must not be involved.
      lines = section.entries
        .filter((e) => e.involve === 'yes')
        .map((e) => (e.reach.trim() ? `${e.name}: ${e.reach}` : e.name));
      break;
  }
  return lines.map((l) => l.trim()).filter((l) => l.length > 0);
}

/** A line made fit for a watch's one-line label (first line, at most `max` characters). */
export const asLabel = (line: string, max = 200): string => {
  const first = line.split(/\r?\n/)[0]!.trim();
  return first.length > max ? `${first.slice(0, max - 1).trimEnd()}…` : first;
};

export interface SectionChoice {
  readonly planId: string;
  readonly planTitle: string;
  readonly section: Section;
  readonly lines: readonly string[];
}

/**
 * Every section of every plan, with its lines; for `for: 'signs'` the early-sign sections come
 * first, for `for: 'steps'` the what-I-will-do ones. Otherwise in plan then section order.
 */
export function sectionChoices(
  plans: readonly Plan[],
  sections: readonly Section[],
  purpose: 'signs' | 'steps',
): SectionChoice[] {
  const byId = new Map(sections.map((s) => [s.id, s]));
  const out: SectionChoice[] = [];
  for (const plan of plans) {
    for (const id of plan.sectionIds) {
      const section = byId.get(id);
      if (section) {
        out.push({ planId: plan.id, planTitle: plan.title, section, lines: sectionLines(section) });
      }
    }
  }
  const first = purpose === 'signs' ? SIGNS : STEPS;
  const rank = (c: SectionChoice) =>
    c.section.key !== undefined && first.has(c.section.key) ? 0 : 1;
  return out
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map((x) => x.c);
}

/** Where a section lives, for the link to the plan. */
export function planOfSection(
  sections: readonly Pick<Section, 'id' | 'planId' | 'title'>[],
  sectionId: string | undefined,
): { planId: string; title: string } | undefined {
  if (!sectionId) return undefined;
  const s = sections.find((x) => x.id === sectionId);
  return s ? { planId: s.planId, title: s.title } : undefined;
}
