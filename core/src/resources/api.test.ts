import { describe, expect, it } from 'vitest';
import { errorCodes } from '../errors.js';
import { createSuggestionSchema, reachWays, resourceSchema, searchQuerySchema } from './api.js';
import { sampleResource } from './test-support/sample.js';

describe('resource schema', () => {
  it('takes the sample resource as it is', () => {
    expect(resourceSchema.parse(sampleResource())).toEqual(sampleResource());
  });

  it('refuses coordinates finer than 0.01°, one coordinate alone, and unknown fields', () => {
    const r = sampleResource();
    const loc = r.locations[0]!;
    const withLoc = (l: object) => ({ ...r, locations: [{ ...loc, ...l }] });
    expect(resourceSchema.safeParse(withLoc({ lat: 51.4901 })).success).toBe(false);
    expect(resourceSchema.safeParse(withLoc({ lat: null })).success).toBe(false);
    expect(resourceSchema.safeParse(withLoc({ lat: null, lon: null })).success).toBe(true);
    expect(resourceSchema.safeParse({ ...r, diagnosis: 'x' }).success).toBe(false);
  });

  it('refuses no kind, repeated kinds, a javascript: URL and a phone number with letters', () => {
    const r = sampleResource();
    expect(resourceSchema.safeParse({ ...r, kinds: [] }).success).toBe(false);
    expect(resourceSchema.safeParse({ ...r, kinds: ['food', 'food'] }).success).toBe(false);
    expect(resourceSchema.safeParse({ ...r, url: 'javascript:alert(1)' }).success).toBe(false);
    const phone = { ...r.phones[0]!, number: '0800 CALL NOW' };
    expect(resourceSchema.safeParse({ ...r, phones: [phone] }).success).toBe(false);
    expect(resourceSchema.safeParse({ ...r, phones: [{ ...phone, number: '988' }] }).success).toBe(
      true,
    );
  });

  it('derives the ways to reach it', () => {
    expect(reachWays(sampleResource())).toEqual([
      'call',
      'text',
      'chat',
      'in-person',
      'email',
      'web',
    ]);
    expect(
      reachWays(
        sampleResource({ phones: [], chatUrl: null, email: null, url: null, locations: [] }),
      ),
    ).toEqual([]);
  });
});

describe('search query', () => {
  it('reads lists, the point and the flags', () => {
    const q = searchQuerySchema.parse({
      kind: 'peer-line,warmline',
      crisis: 'no-police,no-tracing',
      reach: 'call',
      near: '51.49,-2.65',
      withinKm: '25',
      openNow: 'true',
    });
    expect(q).toMatchObject({
      kind: ['peer-line', 'warmline'],
      crisis: ['no-police', 'no-tracing'],
      reach: ['call'],
      near: { lat: 51.49, lon: -2.65 },
      withinKm: 25,
      openNow: true,
      status: 'current',
      limit: 20,
    });
  });

  it('refuses a precise position, unknown filters, and a distance without a place', () => {
    expect(searchQuerySchema.safeParse({ near: '51.4912,-2.65' }).success).toBe(false);
    expect(searchQuerySchema.safeParse({ crisis: 'safe' }).success).toBe(false);
    expect(searchQuerySchema.safeParse({ withinKm: '5' }).success).toBe(false);
    expect(searchQuerySchema.safeParse({ near: '51.49,-2.65', area: 'northside' }).success).toBe(
      false,
    );
  });
});

describe('suggestions', () => {
  it('a correction names its base version, a new resource does not', () => {
    const { id: _id, ...content } = sampleResource();
    const base = { id: '44444444-5555-4666-8777-888888888888', content, note: null, source: null };
    expect(
      createSuggestionSchema.safeParse({ ...base, resourceId: null, baseVersion: null }).success,
    ).toBe(true);
    expect(
      createSuggestionSchema.safeParse({ ...base, resourceId: sampleResource().id, baseVersion: 3 })
        .success,
    ).toBe(true);
    expect(
      createSuggestionSchema.safeParse({
        ...base,
        resourceId: sampleResource().id,
        baseVersion: null,
      }).success,
    ).toBe(false);
  });
});

it('the directory’s error codes are in core/src/errors.ts', () => {
  for (const code of [
    'unknown_kind',
    'kind_taken',
    'resource_changed',
    'no_change',
    'suggestion_closed',
    'already_flagged',
    'flag_closed',
    'resource_retired',
    'hsds_invalid',
  ]) {
    expect(errorCodes).toContain(code);
  }
});
