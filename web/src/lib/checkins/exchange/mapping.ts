/**
 * Bringing an import preview (core/src/checkins/import) into the person's own trackers: for each
 * tracker the file brings, add it as a new tracker, put its values into an existing tracker of
 * the same kind, or leave it out. Then what to write: the new trackers, existing tag sets with
 * the file's new tags added, and the check-ins with their values under the chosen trackers —
 * without the ones already here (same moment, same values, same note), so importing the same
 * file twice adds nothing the second time.
 */
import { LIMITS, type Checkin, type Tracker, type Value } from '$core/checkins/index';

export type Choice =
  | { readonly kind: 'new' }
  | { readonly kind: 'into'; readonly trackerId: string }
  | { readonly kind: 'leave' };

/** What a choice is called in a <select> value: "new", "leave" or "into:<id>". */
export const choiceValue = (c: Choice): string =>
  c.kind === 'into' ? `into:${c.trackerId}` : c.kind;

export function parseChoice(value: string): Choice {
  if (value.startsWith('into:')) return { kind: 'into', trackerId: value.slice(5) };
  return value === 'leave' ? { kind: 'leave' } : { kind: 'new' };
}

/** Whether the file's tracker's values fit `existing` as they are. */
export function fits(from: Tracker, existing: Tracker): boolean {
  if (from.kind !== existing.kind || existing.id === from.id) return false;
  if (from.kind === 'scale') return from.scale?.max === existing.scale?.max;
  return true;
}

/** The person's trackers a file's tracker may go into (same kind; scales of the same range). */
export function targetsFor(from: Tracker, existing: readonly Tracker[]): Tracker[] {
  return existing.filter((t) => fits(from, t));
}

const canonical = (v: Value): unknown => (Array.isArray(v) ? [...v].sort() : v);

const sameName = (a: string, b: string) =>
  a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

const sameValue = (a: Value, b: Value) =>
  JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * Where this file's values went when it (or an overlapping export) was brought in before: for
 * each file tracker, the one existing tracker that holds the very same value on every check-in
 * here at the same moment as one of the file's (at least one). Ties and disagreements give
 * nothing, so a guess is never made from a coincidence alone.
 */
export function earlierMapping(
  preview: { readonly trackers: readonly Tracker[]; readonly checkins: readonly Checkin[] },
  existing: { readonly trackers: readonly Tracker[]; readonly checkins: readonly Checkin[] },
): Record<string, string> {
  const atMoment = new Map<number, Checkin[]>();
  for (const c of existing.checkins) {
    const ms = Date.parse(c.at);
    const list = atMoment.get(ms) ?? [];
    list.push(c);
    atMoment.set(ms, list);
  }
  const out: Record<string, string> = {};
  for (const t of preview.trackers) {
    let best: string | undefined;
    let bestCount = 0;
    let tie = false;
    for (const target of targetsFor(t, existing.trackers)) {
      let agree = 0;
      let differ = false;
      for (const c of preview.checkins) {
        const v = c.values[t.id];
        const here = atMoment.get(Date.parse(c.at));
        if (v === undefined || !here) continue;
        const theirs = here.map((h) => h.values[target.id]).filter((x) => x !== undefined);
        if (theirs.length === 0) continue;
        if (theirs.some((x) => sameValue(x, v))) agree++;
        else differ = true;
      }
      if (differ || agree === 0) continue;
      if (agree > bestCount) {
        best = target.id;
        bestCount = agree;
        tie = false;
      } else if (agree === bestCount) tie = true;
    }
    if (best && !tie) out[t.id] = best;
  }
  return out;
}

/**
 * The first choices shown: where the same values went before (see `earlierMapping`), else into
 * an existing tracker with the same name that fits, else a new tracker.
 */
export function defaultChoices(
  fileTrackers: readonly Tracker[],
  existing: readonly Tracker[],
  earlier: Readonly<Record<string, string>> = {},
): Record<string, Choice> {
  const out: Record<string, Choice> = {};
  for (const t of fileTrackers) {
    const before = earlier[t.id];
    const same = targetsFor(t, existing).find((e) => sameName(e.name, t.name));
    const into = before ?? same?.id;
    out[t.id] = into ? { kind: 'into', trackerId: into } : { kind: 'new' };
  }
  return out;
}

export interface ImportPlan {
  /** New trackers, and existing tag sets with tags added: write these first. */
  readonly trackers: readonly Tracker[];
  /** Check-ins to add, values under the chosen trackers. */
  readonly checkins: readonly Checkin[];
  /** Check-ins left out because the same one is already here. */
  readonly alreadyHere: number;
  /** Check-ins left out because nothing was left in them once trackers were left out. */
  readonly empty: number;
}

/** A check-in's moment, values and note, for telling whether the same one is already here. */
export function checkinKey(c: Pick<Checkin, 'at' | 'values' | 'note'>): string {
  const values = Object.keys(c.values)
    .sort()
    .map((k) => [k, canonical(c.values[k]!)]);
  return JSON.stringify([Date.parse(c.at), values, c.note ?? '']);
}

/**
 * What importing `preview` with `choices` writes, given the person's `existing` trackers and
 * check-ins. A choice for a tracker that does not fit falls back to a new tracker.
 */
export function planImport(
  preview: { readonly trackers: readonly Tracker[]; readonly checkins: readonly Checkin[] },
  choices: Readonly<Record<string, Choice>>,
  existing: { readonly trackers: readonly Tracker[]; readonly checkins: readonly Checkin[] },
  now: string,
): ImportPlan {
  const byId = new Map(existing.trackers.map((t) => [t.id, t]));
  /** The file's tracker id → the id its values go under (undefined: left out). */
  const target = new Map<string, string | undefined>();
  const newTrackers: Tracker[] = [];
  for (const t of preview.trackers) {
    const c = choices[t.id] ?? { kind: 'new' };
    const into = c.kind === 'into' ? byId.get(c.trackerId) : undefined;
    if (c.kind === 'leave') target.set(t.id, undefined);
    else if (into && fits(t, into)) target.set(t.id, into.id);
    else {
      target.set(t.id, t.id);
      newTrackers.push(t);
    }
  }

  const addedTags = new Map<string, Set<string>>();
  const here = new Set(existing.checkins.map(checkinKey));
  const checkins: Checkin[] = [];
  let alreadyHere = 0;
  let empty = 0;
  for (const c of preview.checkins) {
    const values: Record<string, Value> = {};
    for (const [from, v] of Object.entries(c.values)) {
      const to = target.get(from);
      if (to === undefined) continue;
      values[to] = v;
      if (Array.isArray(v) && to !== from) {
        const set = addedTags.get(to) ?? new Set<string>();
        v.forEach((tag) => set.add(tag));
        addedTags.set(to, set);
      }
    }
    if (Object.keys(values).length === 0 && !c.note) {
      empty++;
      continue;
    }
    const moved: Checkin = { ...c, values };
    const key = checkinKey(moved);
    if (here.has(key)) {
      alreadyHere++;
      continue;
    }
    here.add(key);
    checkins.push(moved);
  }

  const grown: Tracker[] = [];
  for (const [id, tags] of addedTags) {
    const t = byId.get(id);
    if (!t) continue;
    const have = t.tags ?? [];
    const more = [...tags].filter((tag) => !have.includes(tag));
    if (more.length === 0) continue;
    grown.push({ ...t, tags: [...have, ...more].slice(0, LIMITS.tags), updatedAt: now });
  }
  return { trackers: [...newTrackers, ...grown], checkins, alreadyHere, empty };
}
