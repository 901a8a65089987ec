/**
 * What a supporter sees of the person who reached out, from what that person shared with them
 * (their collection `to-<me>-<generation>`), IN THIS ORDER:
 *
 *   1. their wishes and what they do NOT want (e.g. "please don't call the police"), read from
 *      the shared sections as the pocket card reads a plan (plans/essentials.ts `crisisEssentials`,
 *      for supporters only), with the people they want involved;
 *   2. their plan steps for supporters: every shared section, crisis and safety plans first,
 *      each in its template's order;
 *   3. how to reach them, in their words;
 *   4. their note for this reach-out and, if they chose to share it, their location.
 *
 * Only what was shared is here, and only its part for supporters (private wins, again).
 */
import {
  crisisEssentials,
  isEmptySection,
  supportersPart,
  type EssentialItem,
  type EssentialPerson,
} from '../plans/essentials.js';
import type { PlanSnapshot, Section, TemplateId } from '../plans/schema.js';
import { templates } from '../plans/templates.js';
import type { Contact, Location, ReachoutNote, SharedSection } from './items.js';

export interface SupporterStep {
  readonly planId: string;
  readonly templateId: TemplateId;
  readonly section: Section;
}

export interface SupporterView {
  /** 1. What helps and what they want. */
  readonly wishes: readonly EssentialItem[];
  /** 1. What they do not want (shown with the wishes, never below the fold). */
  readonly dontWant: readonly EssentialItem[];
  /** 1. Who they want involved, and how to reach them. */
  readonly people: readonly EssentialPerson[];
  /** 2. Their plan steps for supporters. */
  readonly steps: readonly SupporterStep[];
  /** 3. How to reach them. */
  readonly contact: string | null;
  /** 4. Their note for this reach-out. */
  readonly note: string | null;
  /** 4. Where they are, only if they chose to share it. */
  readonly location: Location | null;
  /** Nothing of their plans is shared with me. */
  readonly nothingShared: boolean;
}

/** Plans by kind: what matters in a crisis first. */
const PLAN_ORDER: readonly TemplateId[] = [
  'crisis',
  'safety',
  'advance',
  'wrap',
  'madmap',
  'blank',
];

const keyIndex = (templateId: TemplateId, key: string | undefined) => {
  const i = templates[templateId].sections.findIndex((s) => s.key === key);
  return i === -1 ? Number.MAX_SAFE_INTEGER : i;
};

export function supporterView(input: {
  readonly sections: readonly SharedSection[];
  readonly contact: Contact | null;
  readonly note: ReachoutNote | null;
}): SupporterView {
  // Only the part for supporters, even if a copy carried more.
  const shared = input.sections.flatMap((s) => {
    const part = supportersPart(s.section);
    return part === null || part.planId !== s.planId ? [] : [{ ...s, section: part }];
  });
  const byPlan = new Map<string, { templateId: TemplateId; sections: Section[] }>();
  for (const s of shared) {
    const plan = byPlan.get(s.planId) ?? { templateId: s.templateId, sections: [] };
    plan.sections.push(s.section);
    byPlan.set(s.planId, plan);
  }
  const plans = [...byPlan.entries()]
    .map(([planId, p]) => ({
      planId,
      templateId: p.templateId,
      sections: [...p.sections].sort(
        (a, b) =>
          keyIndex(p.templateId, a.key) - keyIndex(p.templateId, b.key) ||
          a.title.localeCompare(b.title) ||
          a.id.localeCompare(b.id),
      ),
    }))
    .sort(
      (a, b) =>
        PLAN_ORDER.indexOf(a.templateId) - PLAN_ORDER.indexOf(b.templateId) ||
        a.planId.localeCompare(b.planId),
    );

  const wishes: EssentialItem[] = [];
  const dontWant: EssentialItem[] = [];
  const people: EssentialPerson[] = [];
  const steps: SupporterStep[] = [];
  for (const p of plans) {
    const snapshot: PlanSnapshot = {
      plan: {
        v: 1,
        id: p.planId,
        title: '',
        templateId: p.templateId,
        sectionIds: p.sections.map((s) => s.id),
        createdAt: '1970-01-01T00:00:00.000Z',
        updatedAt: '1970-01-01T00:00:00.000Z',
        pinned: false,
        retention: { keepVersions: 200 },
      },
      sections: p.sections,
    };
    const e = crisisEssentials(snapshot, { supportersOnly: true });
    wishes.push(...e.helps);
    dontWant.push(...e.dontWant);
    people.push(...e.call);
    for (const section of p.sections) {
      if (!isEmptySection(section)) {
        steps.push({ planId: p.planId, templateId: p.templateId, section });
      }
    }
  }
  const contact = input.contact?.reach.trim() ? input.contact.reach : null;
  const note = input.note?.note?.trim() ? input.note.note : null;
  return {
    wishes,
    dontWant,
    people,
    steps,
    contact,
    note,
    location: input.note?.location ?? null,
    nothingShared: steps.length === 0 && wishes.length === 0 && dontWant.length === 0,
  };
}
