import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceKm, fromCenti, roundCentre, toCenti } from '../aid/areas.js';
import { clinicalWordsIn } from '../test-support/clinical-words.js';
import { BUILTIN_KINDS, REACH_WAYS, resourceContentSchema } from './api.js';
import { CRISIS_FACTS } from './crisis.js';
import { boxAround, inBox, nearestKm, roundKm } from './distance.js';
import { sampleResource } from './test-support/sample.js';

const centi = fc.record({
  latCenti: fc.integer({ min: -9000, max: 9000 }),
  lonCenti: fc.integer({ min: -18000, max: 17999 }),
});

describe('boxAround', () => {
  it('holds every stored point within the distance (property)', () => {
    let inside = 0;
    const delta = fc.record({
      dLat: fc.integer({ min: -600, max: 600 }),
      dLon: fc.integer({ min: -3000, max: 3000 }),
    });
    fc.assert(
      fc.property(centi, delta, fc.integer({ min: 1, max: 500 }), (a, d, km) => {
        const ca = fromCenti(a);
        // A stored point near a: rounded, latitude clamped, longitude wrapped as stored.
        const stored = toCenti((a.latCenti + d.dLat) / 100, (a.lonCenti + d.dLon) / 100);
        if (distanceKm(ca, fromCenti(stored)) <= km) {
          inside++;
          expect(inBox(boxAround(ca, km), stored.latCenti, stored.lonCenti)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
    expect(inside).toBeGreaterThan(300);
  });

  it('near the antimeridian it wraps, near a pole it takes every longitude', () => {
    const fiji = roundCentre(-17.71, 179.99);
    const box = boxAround(fiji, 50);
    expect(box.lon).toHaveLength(2);
    const across = toCenti(-17.71, -179.9); // about 10 km east, across the line
    expect(inBox(box, across.latCenti, across.lonCenti)).toBe(true);
    expect(boxAround(roundCentre(89.9, 10), 50).lon).toEqual([[-18000, 17999]]);
  });

  it('a narrow box leaves far points out', () => {
    const box = boxAround(roundCentre(51.49, -2.65), 10);
    const london = toCenti(51.51, -0.13);
    expect(inBox(box, london.latCenti, london.lonCenti)).toBe(false);
  });
});

describe('nearestKm', () => {
  it('is the nearest physical location, null without one', () => {
    const r = sampleResource();
    const d = nearestKm(roundCentre(51.5, -2.6), r)!;
    expect(roundKm(d)).toBeCloseTo(3.7, 0);
    expect(nearestKm(roundCentre(51.5, -2.6), { locations: [] })).toBeNull();
    const virtual = { ...r.locations[0]!, type: 'virtual' as const };
    expect(nearestKm(roundCentre(51.5, -2.6), { locations: [virtual] })).toBeNull();
  });
});

describe('no clinical categories', () => {
  it('the model’s field names, kinds, ways to reach and crisis facts use none', () => {
    const { id: _id, ...content } = sampleResource();
    expect(resourceContentSchema.parse(content)).toBeTruthy();
    expect(clinicalWordsIn(content)).toEqual([]);
    expect(clinicalWordsIn([...BUILTIN_KINDS, ...REACH_WAYS, ...CRISIS_FACTS])).toEqual([]);
    expect(clinicalWordsIn(Object.keys(resourceContentSchema.shape))).toEqual([]);
  });
});
