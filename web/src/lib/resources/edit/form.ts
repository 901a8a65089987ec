/**
 * The resource editor's form as plain state (docs/RESOURCES.md, "A resource"): every input is a
 * string or a list of strings while the person types, so nothing they typed is ever lost to a
 * parse; `draftToContent` turns the draft into a `ResourceContent` candidate (empty → null, URLs
 * written out as the URL parser writes them, coordinates rounded to 0.01°), and `checkDraft`
 * validates it with `resourceContentSchema`, giving each problem the id of the field it belongs
 * to. Pure: the editor binds its inputs to a `ResourceDraft` and calls these.
 */
import { resourceContentSchema, type ResourceContent } from '$core/resources/api';
import { CRISIS_FACTS, type CrisisFact, type FactValue } from '$core/resources/crisis';

export const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

export interface PhoneDraft {
  id: string;
  number: string;
  type: 'voice' | 'text' | 'textphone' | 'video';
  description: string;
  /** Language codes separated by commas or spaces. */
  languages: string;
}

export interface AddressDraft {
  address1: string;
  address2: string;
  city: string;
  region: string;
  stateProvince: string;
  postalCode: string;
  country: string;
}

export interface LocationDraft {
  id: string;
  type: 'physical' | 'virtual';
  name: string;
  description: string;
  hasAddress: boolean;
  address: AddressDraft;
  lat: string;
  lon: string;
  url: string;
}

export interface OpeningDraft {
  id: string;
  days: string[];
  opensAt: string;
  closesAt: string;
  validFrom: string;
  validTo: string;
}

export interface ClosureDraft {
  id: string;
  from: string;
  to: string;
  note: string;
}

export interface CheckDraft {
  checkedOn: string;
  checkedBy: string;
  source: string;
}

export interface FactDraft extends CheckDraft {
  value: FactValue;
  note: string;
}

export interface ResourceDraft {
  name: string;
  alternateName: string;
  description: string;
  kinds: string[];
  status: ResourceContent['status'];
  organization: { id: string; name: string; description: string; website: string };
  url: string;
  email: string;
  chatUrl: string;
  phones: PhoneDraft[];
  locations: LocationDraft[];
  /** Language codes separated by commas or spaces. */
  languages: string;
  /** '' = not known. */
  costKind: '' | NonNullable<ResourceContent['cost']>['kind'];
  costNote: string;
  serviceAreaName: string;
  serviceAreaDescription: string;
  hoursKnown: boolean;
  timeZone: string;
  weekly: OpeningDraft[];
  closures: ClosureDraft[];
  hoursNote: string;
  facts: Record<CrisisFact, FactDraft>;
  confidentiality: CheckDraft & { text: string };
  words: string;
  checkedOn: string;
}

/** Makes a fresh lower-case UUID (the schema wants lower case). */
export type MakeId = () => string;
export const randomId: MakeId = () => crypto.randomUUID().toLowerCase();

const s = (v: string | null | undefined) => v ?? '';
const emptyCheck = (): CheckDraft => ({ checkedOn: '', checkedBy: '', source: '' });

export function emptyAddress(): AddressDraft {
  return {
    address1: '',
    address2: '',
    city: '',
    region: '',
    stateProvince: '',
    postalCode: '',
    country: '',
  };
}

export const newPhone = (makeId: MakeId = randomId): PhoneDraft => ({
  id: makeId(),
  number: '',
  type: 'voice',
  description: '',
  languages: '',
});

export const newLocation = (makeId: MakeId = randomId): LocationDraft => ({
  id: makeId(),
  type: 'physical',
  name: '',
  description: '',
  hasAddress: true,
  address: emptyAddress(),
  lat: '',
  lon: '',
  url: '',
});

export const newOpening = (makeId: MakeId = randomId): OpeningDraft => ({
  id: makeId(),
  days: [],
  opensAt: '',
  closesAt: '',
  validFrom: '',
  validTo: '',
});

export const newClosure = (makeId: MakeId = randomId): ClosureDraft => ({
  id: makeId(),
  from: '',
  to: '',
  note: '',
});

/** The draft of a resource's content; a new one (null) gets a new organisation id. */
export function contentToDraft(
  c: ResourceContent | null,
  deviceTimeZone: string,
  makeId: MakeId = randomId,
): ResourceDraft {
  const facts = Object.fromEntries(
    CRISIS_FACTS.map((f) => {
      const fact = c?.crisis.facts[f];
      return [
        f,
        {
          value: fact?.value ?? 'unknown',
          checkedOn: s(fact?.check?.checkedOn),
          checkedBy: s(fact?.check?.checkedBy),
          source: s(fact?.check?.source),
          note: s(fact?.note),
        },
      ];
    }),
  ) as Record<CrisisFact, FactDraft>;
  const conf = c?.crisis.confidentiality ?? null;
  return {
    name: s(c?.name),
    alternateName: s(c?.alternateName),
    description: s(c?.description),
    kinds: [...(c?.kinds ?? [])],
    status: c?.status ?? 'active',
    organization: {
      id: c?.organization.id ?? makeId(),
      name: s(c?.organization.name),
      description: s(c?.organization.description),
      website: s(c?.organization.website),
    },
    url: s(c?.url),
    email: s(c?.email),
    chatUrl: s(c?.chatUrl),
    phones: (c?.phones ?? []).map((p) => ({
      id: p.id,
      number: p.number,
      type: p.type,
      description: s(p.description),
      languages: p.languages.join(', '),
    })),
    locations: (c?.locations ?? []).map((l) => ({
      id: l.id,
      type: l.type,
      name: s(l.name),
      description: s(l.description),
      hasAddress: l.address !== null,
      address: l.address
        ? {
            address1: l.address.address1,
            address2: s(l.address.address2),
            city: l.address.city,
            region: s(l.address.region),
            stateProvince: s(l.address.stateProvince),
            postalCode: s(l.address.postalCode),
            country: l.address.country,
          }
        : emptyAddress(),
      lat: l.lat === null ? '' : String(l.lat),
      lon: l.lon === null ? '' : String(l.lon),
      url: s(l.url),
    })),
    languages: (c?.languages ?? []).join(', '),
    costKind: c?.cost?.kind ?? '',
    costNote: s(c?.cost?.note),
    serviceAreaName: s(c?.serviceArea?.name),
    serviceAreaDescription: s(c?.serviceArea?.description),
    hoursKnown: c ? c.hours !== null : true,
    timeZone: c?.hours?.timeZone ?? deviceTimeZone,
    weekly: (c?.hours?.weekly ?? []).map((o) => ({
      id: o.id,
      days: [...o.days],
      opensAt: o.opensAt,
      closesAt: o.closesAt,
      validFrom: s(o.validFrom),
      validTo: s(o.validTo),
    })),
    closures: (c?.hours?.closures ?? []).map((x) => ({
      id: x.id,
      from: x.from,
      to: x.to,
      note: s(x.note),
    })),
    hoursNote: s(c?.hours?.note),
    facts,
    confidentiality: conf ? { text: conf.text, ...conf.check } : { text: '', ...emptyCheck() },
    words: s(c?.crisis.words),
    checkedOn: s(c?.checkedOn),
  };
}

/** Trimmed text, or null when empty. */
export const orNull = (v: string): string | null => (v.trim() === '' ? null : v.trim());

/**
 * A web address as the URL parser writes it (`riverton.example` → `https://riverton.example/`);
 * what cannot be read is passed on as typed, so the schema names the problem.
 */
export function normaliseUrl(v: string): string | null {
  const t = v.trim();
  if (t === '') return null;
  const attempt = (x: string) => {
    try {
      return new URL(x).href;
    } catch {
      return null;
    }
  };
  if (/^[a-z][a-z0-9+.-]*:/i.test(t)) return attempt(t) ?? t;
  return attempt(`https://${t}`) ?? t;
}

/** Language codes from "en, cy pt-BR" → ['en', 'cy', 'pt-br'] (repeats dropped). */
export function parseLanguages(v: string): string[] {
  const codes = v
    .split(/[\s,;]+/)
    .map((x) => x.trim().toLowerCase())
    .filter((x) => x !== '');
  return [...new Set(codes)];
}

/**
 * A coordinate as typed, rounded to 0.01° (about 1 km: the directory never places anything more
 * precisely); null when empty; NaN when it is not a number (the schema refuses it).
 */
export function parseCoordinate(v: string): number | null {
  const t = v.trim().replace(',', '.');
  if (t === '') return null;
  const n = Number(t);
  if (!Number.isFinite(n)) return Number.NaN;
  return Math.round(n * 100) / 100;
}

function checkOrNull(
  c: CheckDraft,
): { checkedOn: string; checkedBy: string; source: string } | null {
  if (c.checkedOn.trim() === '' && c.checkedBy.trim() === '' && c.source.trim() === '') return null;
  return { checkedOn: c.checkedOn.trim(), checkedBy: c.checkedBy.trim(), source: c.source.trim() };
}

/** The content the draft stands for (not yet checked: `checkDraft` does that). */
export function draftToContent(d: ResourceDraft): ResourceContent {
  const facts = Object.fromEntries(
    CRISIS_FACTS.map((f) => {
      const x = d.facts[f];
      const check = checkOrNull(x);
      return [
        f,
        {
          value: x.value,
          // A yes or a no always carries its check, so an empty one is named field by field.
          check:
            x.value === 'unknown' ? check : (check ?? { checkedOn: '', checkedBy: '', source: '' }),
          note: orNull(x.note),
        },
      ];
    }),
  ) as ResourceContent['crisis']['facts'];
  const confCheck = checkOrNull(d.confidentiality);
  const confText = orNull(d.confidentiality.text);
  return {
    name: d.name.trim(),
    alternateName: orNull(d.alternateName),
    description: orNull(d.description),
    kinds: [...d.kinds],
    status: d.status,
    organization: {
      id: d.organization.id,
      name: d.organization.name.trim(),
      description: orNull(d.organization.description),
      website: normaliseUrl(d.organization.website),
    },
    url: normaliseUrl(d.url),
    email: orNull(d.email),
    chatUrl: normaliseUrl(d.chatUrl),
    phones: d.phones.map((p) => ({
      id: p.id,
      number: p.number.trim(),
      type: p.type,
      description: orNull(p.description),
      languages: parseLanguages(p.languages),
    })),
    locations: d.locations.map((l) => ({
      id: l.id,
      type: l.type,
      name: orNull(l.name),
      description: orNull(l.description),
      address:
        l.type === 'physical' && l.hasAddress
          ? {
              address1: l.address.address1.trim(),
              address2: orNull(l.address.address2),
              city: l.address.city.trim(),
              region: orNull(l.address.region),
              stateProvince: orNull(l.address.stateProvince),
              postalCode: orNull(l.address.postalCode),
              country: l.address.country.trim().toUpperCase(),
            }
          : null,
      lat: parseCoordinate(l.lat),
      lon: parseCoordinate(l.lon),
      url: normaliseUrl(l.url),
    })),
    languages: parseLanguages(d.languages),
    cost: d.costKind === '' ? null : { kind: d.costKind, note: orNull(d.costNote) },
    serviceArea:
      d.serviceAreaName.trim() === '' && d.serviceAreaDescription.trim() === ''
        ? null
        : { name: d.serviceAreaName.trim(), description: orNull(d.serviceAreaDescription) },
    hours: d.hoursKnown
      ? {
          timeZone: d.timeZone.trim(),
          weekly: d.weekly.map((o) => ({
            id: o.id,
            days: DAYS.filter((day) => o.days.includes(day)),
            opensAt: o.opensAt,
            closesAt: o.closesAt,
            validFrom: orNull(o.validFrom),
            validTo: orNull(o.validTo),
          })),
          closures: d.closures.map((x) => ({
            id: x.id,
            from: x.from,
            to: x.to,
            note: orNull(x.note),
          })),
          note: orNull(d.hoursNote),
        }
      : null,
    crisis: {
      facts,
      confidentiality:
        confText === null && confCheck === null
          ? null
          : {
              text: confText ?? '',
              check: confCheck ?? { checkedOn: '', checkedBy: '', source: '' },
            },
      words: orNull(d.words),
    },
    checkedOn: orNull(d.checkedOn),
  };
}

/** What went wrong with one field, in words the page looks up (`resources.edit.errors.*`). */
export interface FieldProblem {
  /** The editor's field key (the input's id is `re-` + key). */
  readonly field: string;
  readonly code: 'required' | 'tooLong' | 'tooMany' | 'tooFew' | 'invalid';
  readonly max?: number;
  /** The schema's own words, for `invalid`. */
  readonly detail?: string;
}

/**
 * Where a schema path is shown in the editor: list items by index (`phones.0.number`); a fact's
 * missing check on its "checked by" field; a confidentiality check on its fields; an issue about
 * a whole object on its first field.
 */
export function fieldFor(path: readonly PropertyKey[]): string {
  const p = path.map(String);
  const joined = p.join('.');
  if (p[0] === 'crisis' && p[1] === 'facts' && p[2] !== undefined) {
    const fact = p[2];
    if (p[3] === 'check') return `facts.${fact}.${p[4] ?? 'checkedBy'}`;
    if (p[3] === 'note') return `facts.${fact}.note`;
    return `facts.${fact}.value`;
  }
  if (p[0] === 'crisis' && p[1] === 'confidentiality') {
    if (p[2] === 'check') return `confidentiality.${p[3] ?? 'checkedBy'}`;
    return 'confidentiality.text';
  }
  if (p[0] === 'crisis' && p[1] === 'words') return 'words';
  if (p[0] === 'hours') {
    if (p[1] === 'weekly' && p[2] !== undefined) return `weekly.${p[2]}.${p[3] ?? 'days'}`;
    if (p[1] === 'closures' && p[2] !== undefined) return `closures.${p[2]}.${p[3] ?? 'from'}`;
    if (p[1] === 'timeZone') return 'timeZone';
    if (p[1] === 'note') return 'hoursNote';
    return 'timeZone';
  }
  if (p[0] === 'cost') return p[1] === 'note' ? 'costNote' : 'costKind';
  if (p[0] === 'serviceArea')
    return p[1] === 'description' ? 'serviceAreaDescription' : 'serviceAreaName';
  if (p[0] === 'phones' && p[1] !== undefined) return `phones.${p[1]}.${p[2] ?? 'number'}`;
  if (p[0] === 'locations' && p[1] !== undefined) {
    if (p[2] === 'address') return `locations.${p[1]}.address.${p[3] ?? 'address1'}`;
    return `locations.${p[1]}.${p[2] ?? 'name'}`;
  }
  if (p[0] === 'organization') return `organization.${p[1] ?? 'name'}`;
  if (p[0] === 'kinds') return 'kinds';
  if (p[0] === 'languages') return 'languages';
  return joined === '' ? 'name' : (p[0] ?? 'name');
}

interface IssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly origin?: string;
  readonly input?: unknown;
}

/** One schema issue as a field problem. */
export function problemFor(issue: IssueLike): FieldProblem {
  const field = fieldFor(issue.path);
  if (issue.code === 'too_small') {
    if (issue.origin === 'array') return { field, code: 'tooFew' };
    return { field, code: 'required' };
  }
  if (issue.code === 'too_big') {
    const max = typeof issue.maximum === 'number' ? issue.maximum : undefined;
    return {
      field,
      code: issue.origin === 'array' ? 'tooMany' : 'tooLong',
      ...(max === undefined ? {} : { max }),
    };
  }
  if (issue.code === 'invalid_format' && issue.input === '') return { field, code: 'required' };
  if (issue.code === 'invalid_type' && (issue.input === undefined || issue.input === null))
    return { field, code: 'required' };
  return { field, code: 'invalid', detail: issue.message };
}

export type DraftCheck =
  | { readonly ok: true; readonly content: ResourceContent }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

/** The draft checked with `resourceContentSchema`: the content, or each problem by field. */
export function checkDraft(d: ResourceDraft): DraftCheck {
  const candidate = draftToContent(d);
  const parsed = resourceContentSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, content: parsed.data };
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const issue of parsed.error.issues) {
    const p = problemFor(issue);
    if (seen.has(p.field)) continue;
    seen.add(p.field);
    problems.push(p);
  }
  return { ok: false, problems };
}

/** Problems keyed by field, for the editor to show next to each input. */
export function problemsByField(problems: readonly FieldProblem[]): Record<string, FieldProblem> {
  return Object.fromEntries(problems.map((p) => [p.field, p]));
}
