/**
 * Distance from a point to a resource (docs/RESOURCES.md, "Distance"). Points and locations are
 * kept to 0.01° (core/src/aid/areas.ts); distances are great-circle distances between them. The
 * server narrows candidates in SQL with `boxAround` on `resource_locations (lat_centi, lon_centi)`
 * and decides with `nearestKm`.
 */
import { distanceKm, EARTH_RADIUS_KM, toCenti, type Centre } from '../aid/areas.js';
import type { ResourceContent } from './api.js';

/** A range of whole hundredths of a degree; `lon` is two ranges when it crosses the antimeridian. */
export interface CentiBox {
  readonly lat: readonly [min: number, max: number];
  /** Each [min, max] inclusive; empty list never (the whole range is [[-18000, 17999]]). */
  readonly lon: readonly (readonly [min: number, max: number])[];
}

/** Degrees of latitude per km along a meridian on the sphere `distanceKm` uses. */
const DEG_PER_KM = 180 / (Math.PI * EARTH_RADIUS_KM);

/**
 * A box of 0.01° cells holding every stored point within `km` of `centre` (a superset: the
 * caller checks `distanceKm`). It is widened by one cell each way for rounding; near a pole (or
 * when the longitudes would wrap all round) it covers every longitude; across the antimeridian
 * it is two longitude ranges.
 */
export function boxAround(centre: Centre, km: number): CentiBox {
  const dLat = km * DEG_PER_KM;
  const latMin = Math.max(-9000, Math.floor((centre.lat - dLat) * 100) - 1);
  const latMax = Math.min(9000, Math.ceil((centre.lat + dLat) * 100) + 1);
  // The widest longitude span is at the latitude in the box farthest from the equator.
  const maxAbsLat = Math.max(Math.abs(latMin), Math.abs(latMax)) / 100;
  const all = { lat: [latMin, latMax] as const, lon: [[-18000, 17999] as const] };
  if (maxAbsLat >= 89.99) return all;
  const dLon = dLat / Math.cos((maxAbsLat * Math.PI) / 180);
  if (dLon >= 180) return all;
  const lonMin = Math.floor((centre.lon - dLon) * 100) - 1;
  const lonMax = Math.ceil((centre.lon + dLon) * 100) + 1;
  if (lonMin < -18000) {
    return {
      lat: [latMin, latMax],
      lon: [
        [lonMin + 36000, 17999],
        [-18000, lonMax],
      ],
    };
  }
  if (lonMax > 17999) {
    return {
      lat: [latMin, latMax],
      lon: [
        [lonMin, 17999],
        [-18000, lonMax - 36000],
      ],
    };
  }
  return { lat: [latMin, latMax], lon: [[lonMin, lonMax]] };
}

/** Whether a stored point (whole hundredths) is in the box. */
export function inBox(box: CentiBox, latCenti: number, lonCenti: number): boolean {
  return (
    latCenti >= box.lat[0] &&
    latCenti <= box.lat[1] &&
    box.lon.some(([a, b]) => lonCenti >= a && lonCenti <= b)
  );
}

/** The distance in km to the nearest physical location with coordinates, or null (none). */
export function nearestKm(
  from: Centre,
  content: Pick<ResourceContent, 'locations'>,
): number | null {
  let best: number | null = null;
  for (const l of content.locations) {
    if (l.type !== 'physical' || l.lat === null || l.lon === null) continue;
    const d = distanceKm(from, { lat: l.lat, lon: l.lon });
    if (best === null || d < best) best = d;
  }
  return best;
}

/** A distance as shown and answered: one decimal. */
export const roundKm = (km: number): number => Math.round(km * 10) / 10;

export { toCenti };
