import { describe, expect, it } from 'vitest';
import {
  CRISIS_FACTS,
  CRISIS_FILTER_IDS,
  crisisColumns,
  crisisPolicySchema,
  factSchema,
  isStale,
  passesCrisisFilters,
  unknownPolicy,
  viewFact,
  type CrisisPolicy,
  type Fact,
} from './crisis.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const check = (checkedOn: string) => ({
  checkedOn,
  checkedBy: 'Sam, directory keeper',
  source: 'https://example.org/confidentiality',
});
const fact = (value: Fact['value'], checkedOn: string | null = '2026-10-01'): Fact => ({
  value,
  check: checkedOn ? check(checkedOn) : null,
  note: null,
});
function policy(facts: Partial<Record<(typeof CRISIS_FACTS)[number], Fact>>): CrisisPolicy {
  const p = unknownPolicy();
  return crisisPolicySchema.parse({ ...p, facts: { ...p.facts, ...facts } });
}

describe('crisis facts', () => {
  it('a yes or a no must say who checked it, when and the source; unknown need not', () => {
    expect(factSchema.safeParse({ value: 'no', check: null, note: null }).success).toBe(false);
    expect(factSchema.safeParse({ value: 'yes', check: null, note: null }).success).toBe(false);
    expect(factSchema.safeParse({ value: 'unknown', check: null, note: null }).success).toBe(true);
    expect(factSchema.safeParse(fact('no')).success).toBe(true);
    expect(
      factSchema.safeParse({
        value: 'no',
        check: { ...check('2026-10-01'), source: ' ' },
        note: null,
      }).success,
    ).toBe(false);
    expect(factSchema.safeParse({ value: 'maybe', check: null, note: null }).success).toBe(false);
  });

  it('a policy names every fact, and nothing else', () => {
    const p = unknownPolicy();
    expect(Object.keys(p.facts)).toEqual([...CRISIS_FACTS]);
    expect(crisisPolicySchema.safeParse(p).success).toBe(true);
    const { policeWithoutConsent: _dropped, ...fewer } = p.facts;
    expect(crisisPolicySchema.safeParse({ ...p, facts: fewer }).success).toBe(false);
    expect(
      crisisPolicySchema.safeParse({ ...p, facts: { ...p.facts, safe: fact('no') } }).success,
    ).toBe(false);
  });
});

describe('staleness', () => {
  it('a check more than a year old is stale, and no check is stale', () => {
    expect(isStale(check('2025-11-25'), NOW)).toBe(false); // exactly 365 days
    expect(isStale(check('2025-11-24'), NOW)).toBe(true);
    expect(isStale(null, NOW)).toBe(true);
    expect(isStale(check('2026-06-01'), NOW, 90)).toBe(true);
  });

  it('unknown is shown as unknown, a stale no keeps its value and says it is stale', () => {
    expect(viewFact(fact('unknown', null), NOW)).toEqual({
      state: 'unknown',
      check: null,
      stale: true,
    });
    expect(viewFact(fact('no', '2024-01-01'), NOW)).toMatchObject({ state: 'no', stale: true });
    expect(viewFact(fact('no'), NOW)).toMatchObject({ state: 'no', stale: false });
    expect(viewFact(fact('yes'), NOW)).toMatchObject({ state: 'yes', stale: false });
  });
});

describe('filters: "does not …" means a known no, never unknown', () => {
  it('no-police passes only a known no', () => {
    expect(passesCrisisFilters(policy({ policeWithoutConsent: fact('no') }), ['no-police'])).toBe(
      true,
    );
    expect(passesCrisisFilters(policy({ policeWithoutConsent: fact('yes') }), ['no-police'])).toBe(
      false,
    );
    expect(passesCrisisFilters(policy({}), ['no-police'])).toBe(false);
    expect(
      passesCrisisFilters(policy({ policeWithoutConsent: fact('unknown', '2026-10-01') }), [
        'no-police',
      ]),
    ).toBe(false);
  });

  it('every chosen filter must pass; none chosen passes everything', () => {
    const p = policy({ policeWithoutConsent: fact('no'), involuntaryHold: fact('unknown', null) });
    expect(passesCrisisFilters(p, ['no-police', 'no-hold'])).toBe(false);
    expect(passesCrisisFilters(p, [])).toBe(true);
    const all = policy(Object.fromEntries(CRISIS_FACTS.map((f) => [f, fact('no')])));
    expect(passesCrisisFilters(all, CRISIS_FILTER_IDS)).toBe(true);
  });

  it('a stale no passes unless fresh facts only are asked for', () => {
    const p = policy({ policeWithoutConsent: fact('no', '2024-06-01') });
    expect(passesCrisisFilters(p, ['no-police'])).toBe(true);
    expect(passesCrisisFilters(p, ['no-police'], { freshOnly: true, nowMs: NOW })).toBe(false);
    const fresh = policy({ policeWithoutConsent: fact('no', '2026-06-01') });
    expect(passesCrisisFilters(fresh, ['no-police'], { freshOnly: true, nowMs: NOW })).toBe(true);
  });

  it('the SQL columns give the same answer as the predicate, for every value', () => {
    for (const value of ['yes', 'no', 'unknown'] as const) {
      const p = policy({ tracesCalls: fact(value, value === 'unknown' ? null : '2026-01-02') });
      const cols = crisisColumns(p);
      expect(cols.values.tracesCalls === 'no').toBe(passesCrisisFilters(p, ['no-tracing']));
      expect(cols.checkedOn.tracesCalls).toBe(value === 'unknown' ? null : '2026-01-02');
    }
  });
});
