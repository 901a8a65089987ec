/**
 * What matters most when things are hard: the pocket card of a crisis plan (who to call, what
 * helps, what I don't want) and the "when things are hard" view built from pinned plans.
 *
 * Sections are read by their template key when the plan's template is known (e.g. a crisis
 * plan's `involve` people are who to call, its `visitors` are not), and by kind otherwise:
 * people with involve 'yes' and a way to reach them → call, involve 'no' → don't want;
 * pairs → helps / doesn't help; choices 'want' → helps, 'refuse' → don't want.
 *
 * Sharing rule (`isForSupporters`): private wins. An entry is for supporters only when both its
 * section and the entry itself are marked for supporters; a text section when it is.
 */
import type {
  Entry,
  PeopleSection,
  PersonEntry,
  PlanSnapshot,
  Section,
  TemplateId,
} from './schema.js';
import { templates } from './templates.js';

export interface EssentialPerson {
  readonly name: string;
  readonly reach: string;
  readonly role: string;
  readonly planId: string;
  readonly sectionId: string;
  readonly entryId: string;
}

export interface EssentialItem {
  readonly text: string;
  /** Where it came from: a pairs side, a choice, a list entry, or a person not to involve. */
  readonly from: 'helps' | 'hinders' | 'want' | 'refuse' | 'list' | 'notInvolved';
  readonly planId: string;
  readonly sectionId: string;
  readonly entryId: string;
}

export interface CrisisEssentials {
  readonly planId: string;
  readonly title: string;
  readonly call: readonly EssentialPerson[];
  readonly helps: readonly EssentialItem[];
  readonly dontWant: readonly EssentialItem[];
}

export interface EssentialsOptions {
  /** Only what is marked for supporters (see the sharing rule above). */
  readonly supportersOnly?: boolean;
}

interface TemplateRoles {
  /** People sections whose 'yes' people are who to call. */
  readonly call: readonly string[];
  /** List sections whose entries are what helps. */
  readonly helpLists: readonly string[];
}

const roles: Record<TemplateId, TemplateRoles> = {
  crisis: { call: ['involve'], helpLists: [] },
  advance: { call: ['involve', 'agent', 'alternate'], helpLists: [] },
  safety: { call: ['askForHelp', 'services'], helpLists: ['onMyOwn', 'distractions'] },
  madmap: { call: ['trust'], helpLists: ['helps'] },
  wrap: { call: [], helpLists: ['toolbox'] },
  blank: { call: [], helpLists: [] },
};

/** Whether a section (entry null) or an entry is marked for supporters: private wins. */
export function isForSupporters(section: Section, entry: Entry | null = null): boolean {
  return (
    section.visibility === 'supporters' && (entry === null || entry.visibility === 'supporters')
  );
}

const blank = (text: string) => text.trim() === '';

/** True when a section has nothing written in it yet. */
export function isEmptySection(section: Section): boolean {
  switch (section.kind) {
    case 'text':
      return blank(section.body);
    case 'list':
    case 'choices':
      return section.entries.every((e) => blank(e.text));
    case 'people':
      return section.entries.every((e) => blank(e.name) && blank(e.reach) && blank(e.role));
    case 'pairs':
      return section.entries.every((e) => blank(e.helps) && blank(e.hinders));
  }
}

/** The pocket card: who to call, what helps, what I don't want. */
export function crisisEssentials(
  snapshot: PlanSnapshot,
  options: EssentialsOptions = {},
): CrisisEssentials {
  const planId = snapshot.plan.id;
  const known = roles[snapshot.plan.templateId];
  const call: EssentialPerson[] = [];
  const helps: EssentialItem[] = [];
  const dontWant: EssentialItem[] = [];
  const shown = (section: Section, entry: Entry) =>
    !options.supportersOnly || isForSupporters(section, entry);
  const item = (section: Section, entry: Entry, text: string, from: EssentialItem['from']) =>
    ({ text, from, planId, sectionId: section.id, entryId: entry.id }) satisfies EssentialItem;

  for (const section of snapshot.sections) {
    const key = section.key;
    const byTemplate = key !== undefined && templateHasKey(snapshot.plan.templateId, key);
    switch (section.kind) {
      case 'people': {
        const calls = byTemplate ? known.call.includes(key) : true;
        for (const e of section.entries) {
          if (!shown(section, e)) continue;
          if (e.involve === 'yes' && calls && !blank(e.reach))
            call.push(person(planId, section, e));
          if (e.involve === 'no' && !blank(e.name)) {
            dontWant.push(item(section, e, e.name, 'notInvolved'));
          }
        }
        break;
      }
      case 'pairs':
        for (const e of section.entries) {
          if (!shown(section, e)) continue;
          if (!blank(e.helps)) helps.push(item(section, e, e.helps, 'helps'));
          if (!blank(e.hinders)) dontWant.push(item(section, e, e.hinders, 'hinders'));
        }
        break;
      case 'choices':
        for (const e of section.entries) {
          if (!shown(section, e) || blank(e.text)) continue;
          if (e.stance === 'want') helps.push(item(section, e, e.text, 'want'));
          if (e.stance === 'refuse') dontWant.push(item(section, e, e.text, 'refuse'));
        }
        break;
      case 'list':
        if (byTemplate && known.helpLists.includes(key)) {
          for (const e of section.entries) {
            if (shown(section, e) && !blank(e.text)) helps.push(item(section, e, e.text, 'list'));
          }
        }
        break;
      case 'text':
        break;
    }
  }
  return { planId, title: snapshot.plan.title, call, helps, dontWant };
}

function person(planId: string, section: PeopleSection, e: PersonEntry): EssentialPerson {
  return {
    name: e.name,
    reach: e.reach,
    role: e.role,
    planId,
    sectionId: section.id,
    entryId: e.id,
  };
}

const templateHasKey = (templateId: TemplateId, key: string) =>
  templates[templateId].sections.some((s) => s.key === key);

/** The section with only what is for supporters (entries), or null when none of it is. */
export function supportersPart(section: Section): Section | null {
  if (!isForSupporters(section)) return null;
  if (section.kind === 'text') return section;
  const entries = (section.entries as readonly Entry[]).filter((e) => isForSupporters(section, e));
  return { ...section, entries } as Section;
}

export interface HardTimesStep {
  readonly planId: string;
  readonly planTitle: string;
  readonly templateId: TemplateId;
  readonly section: Section;
}

export interface HardTimesView {
  /** Non-empty sections of the pinned plans, each plan's sections in its own order (with
   * `supportersOnly`, only the part for supporters). */
  readonly steps: readonly HardTimesStep[];
  /** Who to call, from all those plans, without repeats (same name and reach). */
  readonly people: readonly EssentialPerson[];
}

/** Pinned plans first by kind: safety, crisis, advance directive, then the others. */
const PLAN_ORDER: readonly TemplateId[] = [
  'safety',
  'crisis',
  'advance',
  'wrap',
  'madmap',
  'blank',
];

/**
 * The "when things are hard" view: the person's own steps from their pinned plans — safety
 * plans first (in Stanley–Brown order, as the person keeps it), then crisis plans, then any other
 * pinned plan; most recently updated first among plans of one kind — and their people.
 */
export function hardTimesSteps(
  snapshots: readonly PlanSnapshot[],
  options: EssentialsOptions = {},
): HardTimesView {
  const pinned = snapshots
    .filter((s) => s.plan.pinned)
    .sort(
      (a, b) =>
        PLAN_ORDER.indexOf(a.plan.templateId) - PLAN_ORDER.indexOf(b.plan.templateId) ||
        (a.plan.updatedAt < b.plan.updatedAt ? 1 : a.plan.updatedAt > b.plan.updatedAt ? -1 : 0),
    );
  const steps: HardTimesStep[] = [];
  const people: EssentialPerson[] = [];
  const seen = new Set<string>();
  for (const s of pinned) {
    for (const section of s.sections) {
      const shown = options.supportersOnly ? supportersPart(section) : section;
      if (shown === null || isEmptySection(shown)) continue;
      steps.push({
        planId: s.plan.id,
        planTitle: s.plan.title,
        templateId: s.plan.templateId,
        section: shown,
      });
    }
    for (const p of crisisEssentials(s, options).call) {
      const key = JSON.stringify([p.name.trim().toLowerCase(), p.reach.trim()]);
      if (seen.has(key)) continue;
      seen.add(key);
      people.push(p);
    }
  }
  return { steps, people };
}
