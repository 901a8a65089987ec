/**
 * Every section of every plan that is marked for supporters (only these may ever be shared),
 * in plan order, for the sharing choices.
 */
import type { PlanVault } from '$lib/plans/store';

export interface SupporterSection {
  readonly planId: string;
  readonly planTitle: string;
  readonly sectionId: string;
  readonly title: string;
}

export async function supporterSections(vault: PlanVault): Promise<SupporterSection[]> {
  // The plan code loads with the data, not with the page.
  const [{ scan }, { isForSupporters }] = await Promise.all([
    import('$lib/plans/store'),
    import('$core/plans/essentials'),
  ]);
  const s = await scan(vault);
  const byId = new Map(s.sections.map((x) => [x.id, x]));
  const out: SupporterSection[] = [];
  for (const plan of [...s.plans].sort((a, b) => a.title.localeCompare(b.title))) {
    for (const sectionId of plan.sectionIds) {
      const section = byId.get(sectionId);
      if (section !== undefined && isForSupporters(section)) {
        out.push({ planId: plan.id, planTitle: plan.title, sectionId, title: section.title });
      }
    }
  }
  return out;
}

export const sectionKey = (ref: { planId: string; sectionId: string }) =>
  `${ref.planId}/${ref.sectionId}`;
