/**
 * Areas of the mutual aid board (docs/AID.md, "Areas"): coarse zones an instance defines
 * ("Northside", a postcode district), each with a centre rounded to AREA_PRECISION. A post names a
 * zone, never a location; distances are great-circle distances between zone centres only.
 *
 * Centres are stored as whole hundredths of a degree (`lat_centi`, `lon_centi`: integers, so both
 * database engines keep them exactly). 0.01° is about 1.1 km north–south and at most 1.1 km
 * east–west; a zone is meant to be a neighbourhood, so its centre says nothing about anyone in it.
 */

/** Degrees a centre is rounded to. */
export const AREA_PRECISION = 0.01;
/** Hundredths of a degree in one degree. */
const CENTI = 100;
/** Mean Earth radius (IUGG), km. */
export const EARTH_RADIUS_KM = 6371.0088;

export interface Centre {
  /** Degrees north, −90 … 90, a multiple of 0.01. */
  readonly lat: number;
  /** Degrees east, −180 (inclusive) … 180 (exclusive), a multiple of 0.01. */
  readonly lon: number;
}

/** A centre as stored: whole hundredths of a degree. */
export interface CentiCentre {
  readonly latCenti: number;
  readonly lonCenti: number;
}

const noNegativeZero = (n: number): number => (n === 0 ? 0 : n);

/**
 * A zone's centre rounded to 0.01°, as stored: latitude clamped to ±90, longitude wrapped into
 * [−180, 180) (180° is −180°), and at a pole the longitude is 0 (every longitude is the same point
 * there). Throws on a non-finite coordinate (the API schema refuses those first).
 */
export function toCenti(lat: number, lon: number): CentiCentre {
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) {
    throw new RangeError('a coordinate is not a finite number');
  }
  const latCenti = Math.max(-90 * CENTI, Math.min(90 * CENTI, Math.round(lat * CENTI)));
  let lonCenti = Math.round(lon * CENTI) % (360 * CENTI);
  if (lonCenti < -180 * CENTI) lonCenti += 360 * CENTI;
  if (lonCenti >= 180 * CENTI) lonCenti -= 360 * CENTI;
  if (Math.abs(latCenti) === 90 * CENTI) lonCenti = 0;
  return { latCenti: noNegativeZero(latCenti), lonCenti: noNegativeZero(lonCenti) };
}

export function fromCenti(c: CentiCentre): Centre {
  return { lat: noNegativeZero(c.latCenti / CENTI), lon: noNegativeZero(c.lonCenti / CENTI) };
}

/** A centre rounded to AREA_PRECISION (see toCenti). */
export function roundCentre(lat: number, lon: number): Centre {
  return fromCenti(toCenti(lat, lon));
}

const rad = (deg: number): number => (deg * Math.PI) / 180;

/**
 * The great-circle distance between two centres in km (haversine, on a sphere of the mean Earth
 * radius; within 0.5 % of the ellipsoid, far finer than a zone). Identical centres are 0; the
 * antimeridian needs no special case (the formula uses the difference of longitudes).
 */
export function distanceKm(a: Centre, b: Centre): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  // Rounding can put h a hair outside [0, 1]; asin would then be NaN.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1, Math.max(0, h))));
}

/** Whether two centres are at most `km` apart (`km` ≥ 0; identical centres always are). */
export function withinKm(a: Centre, b: Centre, km: number): boolean {
  return distanceKm(a, b) <= km;
}

export interface Zone {
  readonly id: string;
  readonly centre: Centre;
}

/**
 * The ids of the zones whose centre is at most `km` from `centre` (the zone itself included),
 * nearest first. The server uses it to turn "within N km of a zone" into `area_id IN (…)` before
 * asking the database: an instance has hundreds or a few thousand zones, so this is a quick scan.
 */
export function zonesWithin(zones: readonly Zone[], centre: Centre, km: number): string[] {
  return zones
    .map((z) => ({ id: z.id, d: distanceKm(centre, z.centre) }))
    .filter((z) => z.d <= km)
    .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((z) => z.id);
}
