/**
 * A resource's crisis policy (docs/RESOURCES.md, "Crisis policy"): what it does when someone is
 * in crisis, as tri-state facts — `yes`, `no`, `unknown` — each with the date it was last
 * checked, who checked it and where it comes from, plus what it keeps confidential and the policy
 * in plain words.
 *
 * Rules:
 * - `unknown` is never shown as safe and never passes a filter: "does not contact police without
 *   consent" means the fact is known to be `no`.
 * - A fact that is `yes` or `no` says who checked it, when and from what source; a fact without a
 *   check is `unknown` (the schema refuses a known fact without its check).
 * - A check older than `CRISIS_STALE_DAYS` is **stale**: still shown with its value, and always
 *   with "last checked over a year ago"; the filters take an option to leave stale facts out.
 */
import { z } from 'zod';
import { localDateSchema } from './hours-schema.js';

/** The facts, in the order pages show them. Ids are the API's and HSDS extension's own. */
export const CRISIS_FACTS = [
  /** May contact police or emergency services without the person's consent. */
  'policeWithoutConsent',
  /** What happens there may lead to an involuntary hold (sectioning, a 5150, committal). */
  'involuntaryHold',
  /** Traces calls or messages (location, number) — or passes them to someone who does. */
  'tracesCalls',
  /** Shares what the person says with others (family, doctors, services) without consent. */
  'sharesWithoutConsent',
] as const;
export type CrisisFact = (typeof CRISIS_FACTS)[number];

export const FACT_VALUES = ['yes', 'no', 'unknown'] as const;
export type FactValue = (typeof FACT_VALUES)[number];

/** Days after which a check is stale. */
export const CRISIS_STALE_DAYS = 365;

export const CRISIS_LIMITS = {
  checkedBy: 120,
  source: 500,
  factNote: 500,
  confidentiality: 2_000,
  words: 4_000,
} as const;

const noControl = (s: string) =>
  // eslint-disable-next-line no-control-regex
  !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
/** One line, trimmed, no control characters. */
const line = (max: number) =>
  z.string().trim().min(1).max(max).refine(noControl, 'must not contain control characters');
/** Text that may hold line breaks (plain text, never rendered as HTML). */
const prose = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), {
      message: 'must not contain control characters',
    });

/**
 * Who checked something, when, and from what. `checkedBy` is words ("Sam, directory keeper",
 * "the service's published policy"), not an account id: the directory travels to other
 * directories in HSDS, and the server records the account that published each change in the
 * history anyway. `source` is a URL or words ("phoned them, 3 March 2026").
 */
export const checkSchema = z.strictObject({
  checkedOn: localDateSchema,
  checkedBy: line(CRISIS_LIMITS.checkedBy),
  source: line(CRISIS_LIMITS.source),
});
export type Check = z.infer<typeof checkSchema>;

export const factSchema = z
  .strictObject({
    value: z.enum(FACT_VALUES),
    /** Null only for `unknown` never checked ("we asked and they would not say" is a check). */
    check: checkSchema.nullable(),
    /** The service's own words, or detail ("only if someone is hurt", "not on the text line"). */
    note: prose(CRISIS_LIMITS.factNote).nullable(),
  })
  .refine((f) => f.value === 'unknown' || f.check !== null, {
    path: ['check'],
    message: 'a yes or a no needs who checked it, when, and the source',
  });
export type Fact = z.infer<typeof factSchema>;

export const unknownFact: Fact = { value: 'unknown', check: null, note: null };

export const crisisPolicySchema = z.strictObject({
  facts: z.strictObject(
    Object.fromEntries(CRISIS_FACTS.map((f) => [f, factSchema])) as Record<
      CrisisFact,
      typeof factSchema
    >,
  ),
  /** What it keeps confidential, in words; null when not known. */
  confidentiality: z
    .strictObject({ text: prose(CRISIS_LIMITS.confidentiality), check: checkSchema })
    .nullable(),
  /** The crisis policy in plain words (how the service itself puts it, or the keepers' summary). */
  words: prose(CRISIS_LIMITS.words).nullable(),
});
export type CrisisPolicy = z.infer<typeof crisisPolicySchema>;

/** A policy where nothing is known yet: every fact `unknown`. */
export function unknownPolicy(): CrisisPolicy {
  return {
    facts: Object.fromEntries(CRISIS_FACTS.map((f) => [f, unknownFact])) as Record<
      CrisisFact,
      Fact
    >,
    confidentiality: null,
    words: null,
  };
}

// ─── Staleness ──────────────────────────────────────────────────────────────────────────────────

/** Whole days from a local date to the UTC date of `nowMs` (calendar days, no zone involved). */
export function daysSince(date: string, nowMs: number): number {
  const today = new Date(nowMs).toISOString().slice(0, 10);
  return Math.round((Date.parse(today) - Date.parse(date)) / 86_400_000);
}

/** A check older than `staleDays` (default 365) is stale; no check at all is stale too. */
export function isStale(
  check: Check | null,
  nowMs: number,
  staleDays: number = CRISIS_STALE_DAYS,
): boolean {
  return check === null || daysSince(check.checkedOn, nowMs) > staleDays;
}

/**
 * How a fact is shown. `unknown` is its own state, never folded into a reassuring one; a stale
 * fact keeps its value but says it is stale.
 */
export type FactView =
  | { readonly state: 'unknown'; readonly check: Check | null; readonly stale: boolean }
  | { readonly state: 'yes' | 'no'; readonly check: Check; readonly stale: boolean };

export function viewFact(fact: Fact, nowMs: number, staleDays = CRISIS_STALE_DAYS): FactView {
  const stale = isStale(fact.check, nowMs, staleDays);
  if (fact.value === 'unknown') return { state: 'unknown', check: fact.check, stale };
  return { state: fact.value, check: fact.check!, stale };
}

// ─── Filters ────────────────────────────────────────────────────────────────────────────────────

/**
 * The "will not …" filters a person can choose, each the known `no` of one fact: `no-police`
 * (does not contact police or emergency services without consent), `no-hold`, `no-tracing`,
 * `no-sharing`.
 */
export const CRISIS_FILTERS = {
  'no-police': 'policeWithoutConsent',
  'no-hold': 'involuntaryHold',
  'no-tracing': 'tracesCalls',
  'no-sharing': 'sharesWithoutConsent',
} as const satisfies Record<string, CrisisFact>;
export type CrisisFilter = keyof typeof CRISIS_FILTERS;
export const CRISIS_FILTER_IDS = Object.keys(CRISIS_FILTERS) as CrisisFilter[];

export interface FilterOptions {
  /** Leave out facts whose check is stale (default false: a stale `no` passes, shown as stale). */
  readonly freshOnly?: boolean;
  readonly nowMs?: number;
  readonly staleDays?: number;
}

/**
 * Whether a policy passes every chosen filter: each chosen fact is known `no` (and, with
 * `freshOnly`, checked within `staleDays` of `nowMs`). `unknown` never passes.
 */
export function passesCrisisFilters(
  policy: CrisisPolicy,
  filters: readonly CrisisFilter[],
  options: FilterOptions = {},
): boolean {
  return filters.every((f) => {
    const fact = policy.facts[CRISIS_FILTERS[f]];
    if (fact.value !== 'no') return false;
    if (!options.freshOnly) return true;
    return !isStale(fact.check, options.nowMs ?? Date.now(), options.staleDays);
  });
}

/**
 * The columns the server keeps beside a resource for filtering in SQL: per fact its value
 * (`crisis_police` … `yes` / `no` / `unknown`) and its check date (`crisis_police_checked_on`,
 * null without a check). A filter is `crisis_<fact> = 'no'` (with `freshOnly`, also
 * `crisis_<fact>_checked_on >= <today − staleDays>`): exactly `passesCrisisFilters`.
 */
export function crisisColumns(policy: CrisisPolicy): {
  readonly values: Record<CrisisFact, FactValue>;
  readonly checkedOn: Record<CrisisFact, string | null>;
} {
  const pick = <T>(f: (fact: Fact) => T) =>
    Object.fromEntries(CRISIS_FACTS.map((k) => [k, f(policy.facts[k])])) as Record<CrisisFact, T>;
  return { values: pick((f) => f.value), checkedOn: pick((f) => f.check?.checkedOn ?? null) };
}
