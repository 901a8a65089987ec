import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AREA_PRECISION,
  distanceKm,
  EARTH_RADIUS_KM,
  fromCenti,
  roundCentre,
  toCenti,
  withinKm,
  zonesWithin,
} from './areas.js';

const HALF_CIRCUMFERENCE = Math.PI * EARTH_RADIUS_KM;
const centre = fc
  .record({
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
  })
  .map(({ lat, lon }) => roundCentre(lat, lon));

describe('zone centres', () => {
  it('round to 0.01°, stored as whole hundredths', () => {
    expect(AREA_PRECISION).toBe(0.01);
    expect(roundCentre(53.80076, -1.54913)).toEqual({ lat: 53.8, lon: -1.55 });
    expect(toCenti(53.80076, -1.54913)).toEqual({ latCenti: 5380, lonCenti: -155 });
    expect(roundCentre(-0.004, -0.004)).toEqual({ lat: 0, lon: 0 });
    expect(Object.is(roundCentre(-0.004, -0.004).lat, -0)).toBe(false);
  });

  it('wrap longitude into [−180, 180), clamp latitude and pin the poles', () => {
    expect(roundCentre(10, 180)).toEqual({ lat: 10, lon: -180 });
    expect(roundCentre(10, 179.999)).toEqual({ lat: 10, lon: -180 });
    expect(roundCentre(10, -180)).toEqual({ lat: 10, lon: -180 });
    expect(roundCentre(10, 540.5)).toEqual({ lat: 10, lon: -179.5 });
    expect(roundCentre(90, 45)).toEqual({ lat: 90, lon: 0 });
    expect(roundCentre(-89.999, -120)).toEqual({ lat: -90, lon: 0 });
    expect(roundCentre(95, 0)).toEqual({ lat: 90, lon: 0 });
    expect(() => toCenti(Number.NaN, 0)).toThrow(RangeError);
    expect(() => toCenti(0, Infinity)).toThrow(RangeError);
  });

  it('are exact multiples of the precision and move at most half a step (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.double({ min: -179.99, max: 179.99, noNaN: true }),
        (lat, lon) => {
          const c = toCenti(lat, lon);
          expect(Number.isInteger(c.latCenti) && Number.isInteger(c.lonCenti)).toBe(true);
          expect(fromCenti(c)).toEqual(roundCentre(lat, lon));
          expect(Math.abs(c.latCenti / 100 - lat)).toBeLessThanOrEqual(0.005 + 1e-9);
          if (Math.abs(c.latCenti) !== 9000 && Math.abs(lon) < 179.995) {
            expect(Math.abs(c.lonCenti / 100 - lon)).toBeLessThanOrEqual(0.005 + 1e-9);
          }
        },
      ),
    );
  });
});

describe('great-circle distance between zone centres', () => {
  it('is zero for identical zones and known for known places', () => {
    const leeds = roundCentre(53.8, -1.55);
    expect(distanceKm(leeds, leeds)).toBe(0);
    expect(withinKm(leeds, leeds, 0)).toBe(true);
    // London (51.51, −0.13) to Paris (48.86, 2.35): about 343 km.
    expect(distanceKm({ lat: 51.51, lon: -0.13 }, { lat: 48.86, lon: 2.35 })).toBeCloseTo(343.5, 0);
    // One hundredth of a degree of latitude is about 1.11 km.
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 0.01, lon: 0 })).toBeCloseTo(1.112, 3);
  });

  it('is short across the antimeridian', () => {
    const fiji = { lat: -17.71, lon: 179.99 };
    const across = { lat: -17.71, lon: -179.99 };
    expect(distanceKm(fiji, across)).toBeLessThan(2.2);
    expect(withinKm(fiji, across, 5)).toBe(true);
    expect(distanceKm({ lat: 0, lon: 179.5 }, { lat: 0, lon: -179.5 })).toBeCloseTo(111.2, 0);
  });

  it('at the poles, longitude does not matter', () => {
    expect(distanceKm({ lat: 90, lon: 0 }, { lat: 90, lon: 170 })).toBeLessThan(1e-9);
    // Stored centres at a pole are one point exactly.
    expect(distanceKm(roundCentre(90, 0), roundCentre(90, 170))).toBe(0);
    expect(distanceKm({ lat: 89.99, lon: 0 }, { lat: 89.99, lon: 180 })).toBeCloseTo(2.22, 1);
    expect(distanceKm({ lat: 90, lon: 0 }, { lat: -90, lon: 0 })).toBeCloseTo(
      HALF_CIRCUMFERENCE,
      6,
    );
    // Antipodes: half the circumference, not NaN.
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 0, lon: -180 })).toBeCloseTo(
      HALF_CIRCUMFERENCE,
      6,
    );
  });

  it('is symmetric, non-negative, bounded and obeys the triangle inequality (property)', () => {
    fc.assert(
      fc.property(centre, centre, centre, (a, b, c) => {
        const ab = distanceKm(a, b);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(HALF_CIRCUMFERENCE + 1e-6);
        expect(Math.abs(ab - distanceKm(b, a))).toBeLessThan(1e-9);
        expect(distanceKm(a, c)).toBeLessThanOrEqual(ab + distanceKm(b, c) + 1e-6);
        expect(distanceKm(a, a)).toBe(0);
      }),
    );
  });
});

describe('zones within N km', () => {
  const zones = [
    { id: 'northside', centre: { lat: 53.82, lon: -1.55 } },
    { id: 'southside', centre: { lat: 53.78, lon: -1.55 } },
    { id: 'far', centre: { lat: 54.8, lon: -1.55 } },
    { id: 'east-across', centre: { lat: 0, lon: -179.99 } },
    { id: 'west-across', centre: { lat: 0, lon: 179.99 } },
  ];

  it('lists the zone itself and its neighbours, nearest first', () => {
    expect(zonesWithin(zones, zones[0]!.centre, 0)).toEqual(['northside']);
    expect(zonesWithin(zones, zones[0]!.centre, 5)).toEqual(['northside', 'southside']);
    expect(zonesWithin(zones, zones[0]!.centre, 200)).toEqual(['northside', 'southside', 'far']);
    expect(zonesWithin(zones, zones[3]!.centre, 3)).toEqual(['east-across', 'west-across']);
  });

  it('agrees with withinKm for every zone (property)', () => {
    fc.assert(
      fc.property(
        fc.array(centre, { maxLength: 30 }),
        centre,
        fc.integer({ min: 0, max: 3000 }),
        (cs, at, km) => {
          const zs = cs.map((c, i) => ({ id: `z${i}`, centre: c }));
          const found = new Set(zonesWithin(zs, at, km));
          for (const z of zs) expect(found.has(z.id)).toBe(withinKm(at, z.centre, km));
        },
      ),
    );
  });
});
