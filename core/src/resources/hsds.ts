/**
 * Tend resources ⇄ Open Referral HSDS 3 (docs/RESOURCES.md, "HSDS"). One Tend resource is one
 * HSDS **service**, exported in HSDS's "full" form: its organization, phones, schedules, service
 * area, languages, cost option, kind attributes and service_at_locations (each with its location
 * and address) embedded. A directory is a page of such services, as an HSDS API's `/services`
 * answers (`{ total_items, …, contents: [service…] }`), or the tabular form (one row list per CSV
 * file, keyed by file name as HSDS's `tabular.json`).
 *
 * What HSDS has no field for travels in **extension fields**, all prefixed `tend_` (HSDS 3's JSON
 * Schemas do not forbid additional properties; a prefix keeps them apart from future HSDS fields):
 *
 * | where | field | holds |
 * | --- | --- | --- |
 * | service | `tend_kinds` | Tend kind ids (also exported as attributes in taxonomy `tend-resource-kind`) |
 * | service | `tend_crisis_policy` | `{ facts: { police_without_consent, involuntary_hold, traces_calls, shares_without_consent }: { value, checked_on, checked_by, source, note }, confidentiality: { text, checked_on, checked_by, source } \| null, words }` |
 * | service | `tend_checked_on` | when the whole entry was last checked, `YYYY-MM-DD` |
 * | service | `tend_chat_url` | a web chat |
 * | service | `tend_cost` | `{ kind: free \| donation \| sliding-scale \| paid, note }` (also a cost_option) |
 * | service | `tend_hours` | `{ time_zone, note }`, or null when hours are not known |
 * | schedule | `tend_timezone` | the IANA zone of `opens_at` / `closes_at` (local wall-clock times) |
 * | schedule | `tend_closed` | `true` on a closure (no opening starts from `valid_from` to `valid_to`) |
 *
 * In CSV the object-valued extensions are JSON text in their cell. Tend → HSDS → Tend is lossless
 * (tested); ids HSDS needs and Tend does not keep (languages, addresses, attributes, service_at_
 * location, cost option, service area) are derived from the resource's id, so an export is
 * stable. Reading someone else's HSDS keeps what Tend can hold and says what it left out
 * (warnings); a service Tend cannot hold at all is an error with where it is, and one error refuses
 * the whole import (the server writes nothing).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { RRuleTemporal } from 'rrule-temporal';
import { z } from 'zod';
import { roundCentre } from '../aid/areas.js';
import { normaliseTimeZone } from '../groups/recurrence-rule.js';
import { err, ok, type Result } from '../result.js';
import {
  RESOURCE_LIMITS,
  type COST_KINDS,
  resourceSchema,
  type Resource,
  type ResourceContent,
} from './api.js';
import { CRISIS_FACTS, unknownPolicy, type CrisisFact, type CrisisPolicy } from './crisis.js';
import { WEEKDAYS, type Hours } from './hours.js';

export const TEND_KIND_TAXONOMY = 'tend-resource-kind';
/** The HSDS version Tend writes and reads. */
export const HSDS_VERSION = '3.0';

type Json = Record<string, unknown>;

// ─── Derived ids ────────────────────────────────────────────────────────────────────────────────

/** A stable UUID (RFC 9562 version 8) from names: sha-256, first 16 bytes, version and variant set. */
export function derivedId(...parts: string[]): string {
  const b = sha256(new TextEncoder().encode(`tend:${parts.join('/')}`)).slice(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ─── Crisis policy ⇄ snake case ─────────────────────────────────────────────────────────────────

const FACT_KEYS: Record<CrisisFact, string> = {
  policeWithoutConsent: 'police_without_consent',
  involuntaryHold: 'involuntary_hold',
  tracesCalls: 'traces_calls',
  sharesWithoutConsent: 'shares_without_consent',
};

function crisisToHsds(p: CrisisPolicy): Json {
  const facts: Json = {};
  for (const f of CRISIS_FACTS) {
    const fact = p.facts[f];
    facts[FACT_KEYS[f]] = {
      value: fact.value,
      checked_on: fact.check?.checkedOn ?? null,
      checked_by: fact.check?.checkedBy ?? null,
      source: fact.check?.source ?? null,
      note: fact.note,
    };
  }
  return {
    facts,
    confidentiality: p.confidentiality && {
      text: p.confidentiality.text,
      checked_on: p.confidentiality.check.checkedOn,
      checked_by: p.confidentiality.check.checkedBy,
      source: p.confidentiality.check.source,
    },
    words: p.words,
  };
}

const checkFrom = (o: Json) =>
  o.checked_on === null || o.checked_on === undefined
    ? null
    : { checkedOn: o.checked_on, checkedBy: o.checked_by, source: o.source };

function crisisFromHsds(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Json;
  const factsIn = (o.facts ?? {}) as Json;
  const facts: Json = {};
  for (const f of CRISIS_FACTS) {
    const x = factsIn[FACT_KEYS[f]];
    facts[f] =
      typeof x === 'object' && x !== null
        ? { value: (x as Json).value, check: checkFrom(x as Json), note: (x as Json).note ?? null }
        : { value: 'unknown', check: null, note: null };
  }
  const c = o.confidentiality as Json | null | undefined;
  return {
    facts,
    confidentiality: c ? { text: c.text, check: checkFrom(c) } : null,
    words: o.words ?? null,
  };
}

// ─── Export ─────────────────────────────────────────────────────────────────────────────────────

type ZonedDateTime = ReturnType<RRuleTemporal['all']>[number];
let zonedClass: { from(s: string): ZonedDateTime } | undefined;
/** The zone's UTC offset in hours at an instant (for HSDS's numeric `timezone`). */
function offsetHours(timeZone: string, atMs: number): number {
  zonedClass ??= new RRuleTemporal({
    rruleString: 'DTSTART;TZID=UTC:20000101T000000\nRRULE:FREQ=DAILY;COUNT=1',
  }).options().dtstart.constructor as unknown as { from(s: string): ZonedDateTime };
  const z = zonedClass.from(`${new Date(atMs).toISOString()}[${timeZone}]`);
  return z.offsetNanoseconds / 3_600_000_000_000;
}

const omitNull = (o: Json): Json =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

export interface ExportOptions {
  /** The instant whose UTC offsets fill HSDS's numeric `timezone` (default now). */
  readonly nowMs?: number;
}

/** One Tend resource as an HSDS 3 service in full form, with the `tend_` extensions. */
export function toHsdsService(r: Resource, options: ExportOptions = {}): Json {
  const nowMs = options.nowMs ?? Date.now();
  const sid = r.id;
  const hours = r.hours;
  const tz = hours?.timeZone;
  const offset = tz ? offsetHours(tz, nowMs) : null;
  const schedules: Json[] = [];
  for (const w of hours?.weekly ?? []) {
    schedules.push(
      omitNull({
        id: w.id,
        service_id: sid,
        freq: 'WEEKLY',
        interval: 1,
        byday: w.days.join(','),
        opens_at: w.opensAt,
        closes_at: w.closesAt,
        valid_from: w.validFrom,
        valid_to: w.validTo,
        timezone: offset,
        tend_timezone: tz,
      }),
    );
  }
  for (const c of hours?.closures ?? []) {
    schedules.push(
      omitNull({
        id: c.id,
        service_id: sid,
        valid_from: c.from,
        valid_to: c.to,
        description: c.note,
        notes: 'Closed',
        timezone: offset,
        tend_timezone: tz,
        tend_closed: true,
      }),
    );
  }
  const languages = (codes: readonly string[], owner: Json, ...idParts: string[]) =>
    codes.map((code) => ({ id: derivedId(sid, ...idParts, 'language', code), ...owner, code }));
  return omitNull({
    id: sid,
    organization_id: r.organization.id,
    name: r.name,
    alternate_name: r.alternateName,
    description: r.description,
    url: r.url,
    email: r.email,
    status: r.status,
    fees_description: r.cost?.note ?? null,
    organization: omitNull({
      id: r.organization.id,
      name: r.organization.name,
      // HSDS requires a description; Tend's may be unknown (null ⇄ "").
      description: r.organization.description ?? '',
      website: r.organization.website,
    }),
    phones: r.phones.map((p) =>
      omitNull({
        id: p.id,
        service_id: sid,
        number: p.number,
        type: p.type,
        description: p.description,
        languages: languages(p.languages, { phone_id: p.id }, 'phone', p.id),
      }),
    ),
    schedules,
    service_areas: r.serviceArea
      ? [
          omitNull({
            id: derivedId(sid, 'service_area'),
            service_id: sid,
            name: r.serviceArea.name,
            description: r.serviceArea.description,
          }),
        ]
      : [],
    service_at_locations: r.locations.map((l) => ({
      id: derivedId(sid, 'service_at_location', l.id),
      service_id: sid,
      location_id: l.id,
      location: omitNull({
        id: l.id,
        location_type: l.type,
        organization_id: r.organization.id,
        name: l.name,
        description: l.description,
        url: l.url,
        latitude: l.lat,
        longitude: l.lon,
        addresses: l.address
          ? [
              {
                id: derivedId(sid, 'address', l.id),
                location_id: l.id,
                address_1: l.address.address1,
                ...omitNull({ address_2: l.address.address2, region: l.address.region }),
                city: l.address.city,
                // Required by HSDS; Tend's may be unknown (null ⇄ "").
                state_province: l.address.stateProvince ?? '',
                postal_code: l.address.postalCode ?? '',
                country: l.address.country,
                address_type: 'physical',
              },
            ]
          : [],
      }),
    })),
    languages: languages(r.languages, { service_id: sid }),
    cost_options: r.cost
      ? [
          omitNull({
            id: derivedId(sid, 'cost_option'),
            service_id: sid,
            option: r.cost.kind,
            amount_description: r.cost.note,
          }),
        ]
      : [],
    attributes: r.kinds.map((kind) => ({
      id: derivedId(sid, 'attribute', kind),
      link_id: sid,
      link_type: 'service',
      link_entity: 'service',
      taxonomy_term_id: derivedId('kind', kind),
      value: kind,
      taxonomy_term: {
        id: derivedId('kind', kind),
        code: kind,
        name: kind,
        description: 'A kind of resource in Tend',
        taxonomy: TEND_KIND_TAXONOMY,
      },
    })),
    tend_kinds: r.kinds,
    tend_crisis_policy: crisisToHsds(r.crisis),
    tend_checked_on: r.checkedOn,
    tend_chat_url: r.chatUrl,
    tend_cost: r.cost ? { kind: r.cost.kind, note: r.cost.note } : null,
    tend_hours: hours ? { time_zone: hours.timeZone, note: hours.note } : null,
  });
}

/** A directory as an HSDS page of full services (one page holding everything). */
export function toHsdsPage(resources: readonly Resource[], options: ExportOptions = {}): Json {
  return {
    total_items: resources.length,
    total_pages: 1,
    page_number: 1,
    size: resources.length,
    first_page: true,
    last_page: true,
    empty: resources.length === 0,
    contents: resources.map((r) => toHsdsService(r, options)),
  };
}

// ─── Import ─────────────────────────────────────────────────────────────────────────────────────

/** One thing said about an import: where (`services[3]`, `services.csv line 5`), the field, what. */
export interface ImportIssue {
  readonly where: string;
  readonly path: string;
  readonly message: string;
}

export interface ImportOptions {
  /** For services with no `tend_kinds` and no kind attribute; else such a service is an error. */
  readonly defaultKind?: string | null;
  /** For schedules with no `tend_timezone`, numeric `timezone` or offset in `opens_at`. */
  readonly defaultTimeZone?: string | null;
}

export interface Imported {
  readonly resources: Resource[];
  readonly warnings: ImportIssue[];
}

/**
 * The subset of an HSDS service Tend reads, checked for type before mapping (the whole HSDS 3
 * schema is checked in tests with ajv; the server does not ship the specification's files).
 * Unknown fields are allowed, as HSDS allows them.
 */
const str = z.string().nullish();
const num = z.number().nullish();
const arr = <T extends z.ZodType>(t: T) => z.array(t).nullish();
const languageIn = z.looseObject({ code: str, name: str });
const scheduleIn = z.looseObject({
  id: z.string(),
  freq: str,
  interval: num,
  byday: str,
  byweekno: str,
  bymonthday: str,
  byyearday: str,
  count: num,
  until: str,
  opens_at: str,
  closes_at: str,
  valid_from: str,
  valid_to: str,
  timezone: num,
  description: str,
  tend_timezone: str,
  tend_closed: z.boolean().nullish(),
});
const locationIn = z.looseObject({
  id: z.string(),
  location_type: z.string(),
  name: str,
  description: str,
  url: str,
  latitude: num,
  longitude: num,
  addresses: arr(
    z.looseObject({
      address_1: z.string(),
      address_2: str,
      city: z.string(),
      region: str,
      state_province: str,
      postal_code: str,
      country: z.string(),
      address_type: str,
    }),
  ),
  schedules: arr(scheduleIn),
});
export const hsdsServiceInSchema = z.looseObject({
  id: z.string(),
  organization_id: str,
  name: z.string(),
  alternate_name: str,
  description: str,
  url: str,
  email: str,
  status: z.string(),
  fees_description: str,
  organization: z
    .looseObject({ id: z.string(), name: z.string(), description: str, website: str })
    .nullish(),
  phones: arr(
    z.looseObject({
      id: z.string(),
      number: z.string(),
      type: str,
      description: str,
      languages: arr(languageIn),
    }),
  ),
  schedules: arr(scheduleIn),
  service_areas: arr(z.looseObject({ name: str, description: str })),
  service_at_locations: arr(
    z.looseObject({ location: locationIn.nullish(), schedules: arr(scheduleIn) }),
  ),
  languages: arr(languageIn),
  cost_options: arr(z.looseObject({ option: str, amount: num, amount_description: str })),
  attributes: arr(
    z.looseObject({
      value: str,
      taxonomy_term: z.looseObject({ code: str, taxonomy: str }).nullish(),
    }),
  ),
  tend_kinds: z.array(z.string()).nullish(),
  tend_crisis_policy: z.unknown().optional(),
  tend_checked_on: str,
  tend_chat_url: str,
  tend_cost: z.looseObject({ kind: z.string(), note: str }).nullish(),
  tend_hours: z.looseObject({ time_zone: z.string(), note: str }).nullish(),
});
type ServiceIn = z.infer<typeof hsdsServiceInSchema>;
type ScheduleIn = z.infer<typeof scheduleIn>;

const nn = <T>(v: T | null | undefined): T | null =>
  v === undefined || v === null || v === '' ? null : v;

/** A URL as the URL parser writes it (`http://example.com` → `http://example.com/`). */
function normaliseUrl(v: string | null | undefined): string | null {
  const s = nn(v);
  if (s === null) return null;
  try {
    return new URL(s.trim()).href;
  } catch {
    return s;
  }
}

/** Quotes and spaces some exports leave around a phone number. */
const cleanNumber = (n: string) => n.replace(/^["'\s]+|["'\s]+$/g, '');

/** `10:00`, `10:00:00`, `10:00Z`, `09:00-05:00` → the local time and any offset in minutes. */
function readTime(v: string): { time: string; offsetMinutes: number | null } | null {
  const m = /^(\d{2}):(\d{2})(?::00(?:\.0+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v.trim());
  if (!m) return null;
  let offsetMinutes: number | null = null;
  if (m[3] === 'Z') offsetMinutes = 0;
  else if (m[3]) {
    const sign = m[3].startsWith('-') ? -1 : 1;
    const digits = m[3].slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  return { time: `${m[1]}:${m[2]}`, offsetMinutes };
}

/** A fixed UTC offset in whole hours as an IANA zone (`+3` → `Etc/GMT-3`: the sign is POSIX's). */
function zoneForOffsetHours(hours: number): string | null {
  if (!Number.isInteger(hours) || Math.abs(hours) > 14) return null;
  if (hours === 0) return 'UTC';
  return normaliseTimeZone(`Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`);
}

function readHours(
  s: ServiceIn,
  schedules: ScheduleIn[],
  options: ImportOptions,
  issue: (kind: 'error' | 'warning', path: string, message: string) => void,
): Hours | null {
  const own = s.tend_hours;
  if (schedules.length === 0) {
    return own ? { timeZone: own.time_zone, weekly: [], closures: [], note: nn(own.note) } : null;
  }
  let timeZone: string | null = own?.time_zone ?? null;
  const weekly: Hours['weekly'][number][] = [];
  const closures: Hours['closures'][number][] = [];
  const words: string[] = [];
  schedules.forEach((x, i) => {
    const path = `schedules[${i}]`;
    const zone =
      nn(x.tend_timezone) ??
      (typeof x.timezone === 'number' ? zoneForOffsetHours(x.timezone) : null);
    if (x.tend_closed) {
      if (!x.valid_from) return issue('error', path, 'a closure needs valid_from');
      closures.push({
        id: x.id,
        from: x.valid_from,
        to: nn(x.valid_to) ?? x.valid_from,
        note: nn(x.description),
      });
      timeZone ??= zone;
      return;
    }
    const unsupported = (['byweekno', 'bymonthday', 'byyearday', 'until'] as const).filter(
      (k) => nn(x[k]) !== null,
    );
    const opens = x.opens_at ? readTime(x.opens_at) : null;
    const closes = x.closes_at ? readTime(x.closes_at) : null;
    const days = (x.byday ?? '')
      .split(',')
      .map((d) => d.trim().toUpperCase())
      .filter(Boolean);
    const plainWeekly =
      (x.freq ?? 'WEEKLY') === 'WEEKLY' &&
      (x.interval ?? 1) === 1 &&
      x.count === undefined &&
      unsupported.length === 0 &&
      opens !== null &&
      closes !== null &&
      days.length > 0 &&
      days.every((d) => (WEEKDAYS as readonly string[]).includes(d));
    if (!plainWeekly) {
      timeZone ??= zone;
      const said = [nn(x.description), nn(x.notes as string | null | undefined)].filter(Boolean);
      if (said.length) words.push(said.join(' '));
      issue(
        'warning',
        path,
        'kept only in words: Tend reads weekly openings on named days (freq WEEKLY, byday, opens_at, closes_at)',
      );
      return;
    }
    const offset = opens.offsetMinutes ?? closes.offsetMinutes;
    const z =
      zone ??
      (offset !== null && offset % 60 === 0 ? zoneForOffsetHours(offset / 60) : null) ??
      nn(options.defaultTimeZone ?? null);
    if (!z) {
      return issue(
        'error',
        path,
        'no time zone: add tend_timezone (an IANA zone such as Europe/London) or choose a default time zone for the import',
      );
    }
    if (timeZone && z !== timeZone) {
      return issue('error', path, `a second time zone (${z}; the others are ${timeZone})`);
    }
    timeZone = z;
    weekly.push({
      id: x.id,
      days: days as Hours['weekly'][number]['days'],
      opensAt: opens.time,
      closesAt: closes.time,
      validFrom: nn(x.valid_from),
      validTo: nn(x.valid_to),
    });
  });
  if (!timeZone) {
    timeZone = nn(options.defaultTimeZone ?? null);
    if (!timeZone) {
      if (weekly.length === 0 && closures.length === 0) return null;
      issue('error', 'schedules', 'no time zone for these hours');
      return null;
    }
  }
  const note = nn(own?.note) ?? (words.length ? words.join(' ').slice(0, 500) : null);
  return { timeZone, weekly, closures, note };
}

const PHONE_TYPE_IN: Record<string, 'voice' | 'text' | 'textphone' | 'video' | undefined> = {
  voice: 'voice',
  cell: 'voice',
  text: 'text',
  textphone: 'textphone',
  video: 'video',
};

/** Reads one HSDS service into a Tend resource, or says why it cannot. */
export function fromHsdsService(
  input: unknown,
  where: string,
  options: ImportOptions = {},
): { resource: Resource | null; errors: ImportIssue[]; warnings: ImportIssue[] } {
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const issue = (kind: 'error' | 'warning', path: string, message: string) =>
    (kind === 'error' ? errors : warnings).push({ where, path, message });
  const parsed = hsdsServiceInSchema.safeParse(input);
  if (!parsed.success) {
    for (const i of parsed.error.issues) issue('error', i.path.join('.'), i.message);
    return { resource: null, errors, warnings };
  }
  const s = parsed.data;

  // Kinds: Tend's own field, else Tend's kind attributes, else the import's default.
  let kinds = s.tend_kinds ?? [];
  if (kinds.length === 0) {
    kinds = (s.attributes ?? [])
      .filter((a) => a.taxonomy_term?.taxonomy === TEND_KIND_TAXONOMY)
      .map((a) => a.taxonomy_term?.code ?? a.value ?? '')
      .filter(Boolean);
  }
  if (kinds.length === 0 && options.defaultKind) kinds = [options.defaultKind];
  if (kinds.length === 0) {
    issue('error', 'tend_kinds', 'no kind: add tend_kinds or choose a default kind for the import');
  }

  let organization: ResourceContent['organization'];
  if (s.organization) {
    organization = {
      id: s.organization.id.toLowerCase(),
      name: s.organization.name,
      description: nn(s.organization.description),
      website: normaliseUrl(s.organization.website),
    };
  } else {
    issue('warning', 'organization', 'no organization embedded: named after the service');
    organization = {
      id: (nn(s.organization_id) ?? derivedId(s.id, 'organization')).toLowerCase(),
      name: s.name,
      description: null,
      website: null,
    };
  }

  const phones: ResourceContent['phones'] = [];
  (s.phones ?? []).forEach((p, i) => {
    const type = PHONE_TYPE_IN[(p.type ?? 'voice').toLowerCase()];
    if (!type) return issue('warning', `phones[${i}]`, `left out: a ${p.type} number`);
    phones.push({
      id: p.id.toLowerCase(),
      number: cleanNumber(p.number),
      type,
      description: nn(p.description),
      languages: [
        ...new Set((p.languages ?? []).flatMap((l) => (l.code ? [l.code.toLowerCase()] : []))),
      ],
    });
  });

  const locations: ResourceContent['locations'] = [];
  const locationSchedules: ScheduleIn[] = [];
  (s.service_at_locations ?? []).forEach((sal, i) => {
    const l = sal.location;
    if (!l) return issue('warning', `service_at_locations[${i}]`, 'left out: no location embedded');
    if (l.location_type !== 'physical' && l.location_type !== 'virtual') {
      return issue(
        'warning',
        `service_at_locations[${i}].location`,
        `left out: a ${l.location_type} location`,
      );
    }
    const a = (l.addresses ?? []).find((x) => (x.address_type ?? 'physical') === 'physical');
    const centre =
      typeof l.latitude === 'number' && typeof l.longitude === 'number'
        ? roundCentre(l.latitude, l.longitude)
        : null;
    locations.push({
      id: l.id.toLowerCase(),
      type: l.location_type,
      name: nn(l.name),
      description: nn(l.description),
      address: a
        ? {
            address1: a.address_1,
            address2: nn(a.address_2),
            city: a.city,
            region: nn(a.region),
            stateProvince: nn(a.state_province),
            postalCode: nn(a.postal_code),
            country: a.country.toUpperCase(),
          }
        : null,
      lat: centre?.lat ?? null,
      lon: centre?.lon ?? null,
      url: normaliseUrl(l.url),
    });
    locationSchedules.push(...(sal.schedules ?? []), ...(l.schedules ?? []));
  });

  const serviceSchedules = s.schedules ?? [];
  const hours = readHours(
    s,
    serviceSchedules.length ? serviceSchedules : locationSchedules,
    options,
    issue,
  );

  let cost: ResourceContent['cost'] = null;
  if (s.tend_cost) {
    cost = { kind: s.tend_cost.kind as (typeof COST_KINDS)[number], note: nn(s.tend_cost.note) };
  } else if ((s.cost_options ?? []).some((c) => c.amount === 0)) {
    cost = { kind: 'free', note: nn(s.fees_description) };
  }

  const area = s.service_areas?.[0];
  const crisis =
    s.tend_crisis_policy === undefined || s.tend_crisis_policy === null
      ? unknownPolicy()
      : crisisFromHsds(s.tend_crisis_policy);

  const candidate = {
    id: s.id.toLowerCase(),
    name: s.name,
    alternateName: nn(s.alternate_name),
    description: nn(s.description),
    kinds,
    status: s.status,
    organization,
    url: normaliseUrl(s.url),
    email: nn(s.email),
    chatUrl: normaliseUrl(s.tend_chat_url),
    phones,
    locations,
    languages: [
      ...new Set((s.languages ?? []).flatMap((l) => (l.code ? [l.code.toLowerCase()] : []))),
    ],
    cost,
    serviceArea: area?.name ? { name: area.name, description: nn(area.description) } : null,
    hours,
    crisis,
    checkedOn: nn(s.tend_checked_on),
  };
  if (errors.length) return { resource: null, errors, warnings };
  const checked = resourceSchema.safeParse(candidate);
  if (!checked.success) {
    for (const i of checked.error.issues) issue('error', i.path.join('.'), i.message);
    return { resource: null, errors, warnings };
  }
  return { resource: checked.data, errors, warnings };
}

/** The services of an HSDS JSON document: a page (`contents`), an array, or one service. */
function servicesOf(data: unknown): unknown[] | null {
  if (Array.isArray(data)) return data as unknown[];
  if (typeof data !== 'object' || data === null) return null;
  const o = data as Json;
  if (Array.isArray(o.contents)) return o.contents as unknown[];
  if (typeof o.id === 'string' && typeof o.name === 'string') return [data];
  return null;
}

/**
 * Reads an HSDS JSON document: every service, or every problem (all or nothing). Repeated ids
 * are an error.
 */
export function readHsdsJson(
  data: unknown,
  options: ImportOptions = {},
): Result<Imported, { issues: ImportIssue[] }> {
  const services = servicesOf(data);
  if (!services) {
    return err({
      issues: [
        {
          where: 'the file',
          path: '',
          message:
            'not HSDS services: expected a page with contents, an array of services, or a service',
        },
      ],
    });
  }
  return readAll(
    services.map((s, i) => ({ service: s, where: `services[${i}]` })),
    options,
  );
}

function readAll(
  services: { service: unknown; where: string }[],
  options: ImportOptions,
): Result<Imported, { issues: ImportIssue[] }> {
  if (services.length > RESOURCE_LIMITS.importResources) {
    return err({
      issues: [
        {
          where: 'the file',
          path: '',
          message: `more than ${RESOURCE_LIMITS.importResources} services: split the file`,
        },
      ],
    });
  }
  const issues: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const resources: Resource[] = [];
  const seen = new Map<string, string>();
  for (const { service, where } of services) {
    const r = fromHsdsService(service, where, options);
    issues.push(...r.errors);
    warnings.push(...r.warnings);
    if (!r.resource) continue;
    const before = seen.get(r.resource.id);
    if (before) issues.push({ where, path: 'id', message: `the same id as ${before}` });
    seen.set(r.resource.id, where);
    resources.push(r.resource);
  }
  return issues.length ? err({ issues }) : ok({ resources, warnings });
}

// ─── Tabular (the CSV data package) ─────────────────────────────────────────────────────────────

/** Each HSDS CSV file Tend writes, with its columns (HSDS's, then Tend's extensions). */
export const TABULAR_COLUMNS = {
  'organizations.csv': ['id', 'name', 'description', 'website'],
  'services.csv': [
    'id',
    'organization_id',
    'name',
    'alternate_name',
    'description',
    'url',
    'email',
    'status',
    'fees_description',
    'tend_kinds',
    'tend_crisis_policy',
    'tend_checked_on',
    'tend_chat_url',
    'tend_cost',
    'tend_hours',
  ],
  'locations.csv': [
    'id',
    'location_type',
    'url',
    'organization_id',
    'name',
    'description',
    'latitude',
    'longitude',
  ],
  'addresses.csv': [
    'id',
    'location_id',
    'address_1',
    'address_2',
    'city',
    'region',
    'state_province',
    'postal_code',
    'country',
    'address_type',
  ],
  'service_at_location.csv': ['id', 'service_id', 'location_id'],
  'phones.csv': ['id', 'service_id', 'number', 'type', 'description'],
  'schedules.csv': [
    'id',
    'service_id',
    'valid_from',
    'valid_to',
    'timezone',
    'freq',
    'interval',
    'byday',
    'description',
    'opens_at',
    'closes_at',
    'notes',
    'tend_timezone',
    'tend_closed',
  ],
  'languages.csv': ['id', 'service_id', 'phone_id', 'code'],
  'cost_options.csv': ['id', 'service_id', 'option', 'amount_description'],
  'service_areas.csv': ['id', 'service_id', 'name', 'description'],
  'attributes.csv': ['id', 'link_id', 'taxonomy_term_id', 'link_type', 'link_entity', 'value'],
  'taxonomy_terms.csv': ['id', 'code', 'name', 'description', 'taxonomy'],
} as const;
export type TabularFile = keyof typeof TABULAR_COLUMNS;
/** Rows per file; every cell is text ("" for none), as a CSV reader gives them. */
export type Tabular = Partial<Record<TabularFile, Record<string, string>[]>>;

const JSON_COLUMNS = new Set(['tend_kinds', 'tend_crisis_policy', 'tend_cost', 'tend_hours']);
const NUMBER_COLUMNS = new Set([
  'latitude',
  'longitude',
  'timezone',
  'interval',
  'amount',
  'count',
]);
const BOOLEAN_COLUMNS = new Set(['tend_closed']);

function cell(column: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function row(file: TabularFile, o: Json): Record<string, string> {
  return Object.fromEntries(TABULAR_COLUMNS[file].map((c) => [c, cell(c, o[c])]));
}

/** A directory as HSDS tables (one row list per CSV file). */
export function toTabular(resources: readonly Resource[], options: ExportOptions = {}): Tabular {
  const out: Record<TabularFile, Record<string, string>[]> = Object.fromEntries(
    Object.keys(TABULAR_COLUMNS).map((f) => [f, []]),
  ) as unknown as Record<TabularFile, Record<string, string>[]>;
  const orgs = new Set<string>();
  const terms = new Set<string>();
  for (const r of resources) {
    const s = toHsdsService(r, options);
    const org = s.organization as Json;
    if (!orgs.has(org.id as string)) {
      orgs.add(org.id as string);
      out['organizations.csv'].push(row('organizations.csv', org));
    }
    out['services.csv'].push(row('services.csv', s));
    for (const p of s.phones as Json[]) {
      out['phones.csv'].push(row('phones.csv', p));
      for (const l of p.languages as Json[]) out['languages.csv'].push(row('languages.csv', l));
    }
    for (const l of s.languages as Json[]) out['languages.csv'].push(row('languages.csv', l));
    for (const x of s.schedules as Json[]) out['schedules.csv'].push(row('schedules.csv', x));
    for (const x of s.service_areas as Json[])
      out['service_areas.csv'].push(row('service_areas.csv', x));
    for (const x of s.cost_options as Json[])
      out['cost_options.csv'].push(row('cost_options.csv', x));
    for (const sal of s.service_at_locations as Json[]) {
      out['service_at_location.csv'].push(row('service_at_location.csv', sal));
      const l = sal.location as Json;
      out['locations.csv'].push(row('locations.csv', l));
      for (const a of l.addresses as Json[]) out['addresses.csv'].push(row('addresses.csv', a));
    }
    for (const a of s.attributes as Json[]) {
      out['attributes.csv'].push(row('attributes.csv', a));
      const t = a.taxonomy_term as Json;
      if (!terms.has(t.id as string)) {
        terms.add(t.id as string);
        out['taxonomy_terms.csv'].push(row('taxonomy_terms.csv', t));
      }
    }
  }
  return out;
}

/** A CSV cell back to its JSON value: "" is absent; numbers, booleans and Tend's JSON columns. */
function typed(column: string, v: string, where: string, issues: ImportIssue[]): unknown {
  if (v === '') return undefined;
  if (JSON_COLUMNS.has(column)) {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      issues.push({ where, path: column, message: 'is not JSON' });
      return undefined;
    }
  }
  if (NUMBER_COLUMNS.has(column)) {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) {
      issues.push({ where, path: column, message: 'is not a number' });
      return undefined;
    }
    return n;
  }
  if (BOOLEAN_COLUMNS.has(column)) return v === 'true' || v === '1';
  return v;
}

/**
 * Reads HSDS tables (rows per CSV file, every cell text) into resources, all or nothing. Rows are
 * named by file and line (`schedules.csv line 4`: the header is line 1). Rows are joined by the
 * HSDS foreign keys (`service_id`, `location_id`, `organization_id`, `phone_id`, `link_id`,
 * `taxonomy_term_id`).
 */
export function readHsdsTabular(
  files: Record<string, unknown>,
  options: ImportOptions = {},
): Result<Imported, { issues: ImportIssue[] }> {
  const issues: ImportIssue[] = [];
  const table = (file: string): (Json & { _where: string })[] => {
    const rows = files[file];
    if (rows === undefined) return [];
    if (!Array.isArray(rows)) {
      issues.push({ where: file, path: '', message: 'must be a list of rows' });
      return [];
    }
    return rows.map((r: unknown, i) => {
      const where = `${file} line ${i + 2}`;
      const o: Json & { _where: string } = { _where: where };
      if (typeof r !== 'object' || r === null) {
        issues.push({ where, path: '', message: 'is not a row' });
        return o;
      }
      for (const [k, v] of Object.entries(r as Json)) {
        if (typeof v === 'number' || typeof v === 'boolean') o[k] = v;
        else if (typeof v === 'string') {
          const t = typed(k, v, where, issues);
          if (t !== undefined) o[k] = t;
        }
      }
      return o;
    });
  };
  const services = table('services.csv');
  if (!files['services.csv']) {
    issues.push({ where: 'services.csv', path: '', message: 'is missing' });
  }
  const by = (rows: Json[], key: string) => {
    const m = new Map<string, Json[]>();
    for (const r of rows) {
      const k = r[key];
      if (typeof k !== 'string') continue;
      m.set(k, [...(m.get(k) ?? []), r]);
    }
    return m;
  };
  const strip = ({ _where: _w, ...rest }: Json) => rest;
  const orgs = new Map(table('organizations.csv').map((o) => [o.id as string, o]));
  const locations = new Map(table('locations.csv').map((o) => [o.id as string, o]));
  const addresses = by(table('addresses.csv'), 'location_id');
  const sals = by(table('service_at_location.csv'), 'service_id');
  const phones = by(table('phones.csv'), 'service_id');
  const languageRows = table('languages.csv');
  const languagesByService = by(languageRows, 'service_id');
  const languagesByPhone = by(languageRows, 'phone_id');
  const schedules = by(table('schedules.csv'), 'service_id');
  const schedulesByLocation = by(table('schedules.csv'), 'location_id');
  const costs = by(table('cost_options.csv'), 'service_id');
  const areas = by(table('service_areas.csv'), 'service_id');
  const terms = new Map(table('taxonomy_terms.csv').map((t) => [t.id as string, t]));
  const attributes = by(table('attributes.csv'), 'link_id');
  if (issues.length) return err({ issues });

  const assembled = services.map((s) => {
    const id = s.id as string;
    const org = orgs.get(s.organization_id as string);
    const full: Json = {
      ...strip(s),
      organization: org ? strip(org) : undefined,
      phones: (phones.get(id) ?? []).map((p) => ({
        ...strip(p),
        languages: (languagesByPhone.get(p.id as string) ?? []).map(strip),
      })),
      schedules: (schedules.get(id) ?? []).map(strip),
      service_areas: (areas.get(id) ?? []).map(strip),
      service_at_locations: (sals.get(id) ?? []).map((sal) => {
        const l = locations.get(sal.location_id as string);
        return {
          ...strip(sal),
          location: l && {
            ...strip(l),
            addresses: (addresses.get(l.id as string) ?? []).map(strip),
            schedules: (schedulesByLocation.get(l.id as string) ?? []).map(strip),
          },
        };
      }),
      languages: (languagesByService.get(id) ?? []).filter((l) => !l.phone_id).map(strip),
      cost_options: (costs.get(id) ?? []).map(strip),
      attributes: (attributes.get(id) ?? []).map((a) => ({
        ...strip(a),
        taxonomy_term: terms.has(a.taxonomy_term_id as string)
          ? strip(terms.get(a.taxonomy_term_id as string)!)
          : undefined,
      })),
    };
    return { service: full, where: s._where };
  });
  return readAll(assembled, options);
}
