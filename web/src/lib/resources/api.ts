/**
 * The resource directory's HTTP calls (core/src/resources/api.ts), typed, each answer checked
 * against its core schema. Every call returns an ApiResult: expected failures (offline, a stale
 * version, a closed suggestion) are values, never exceptions.
 *
 * The directory is shared knowledge, readable by the server (docs/RESOURCES.md). What a person
 * saves never travels here: the saved list is a vault item, refreshed from the whole directory's
 * changes feed (`changes`), never by asking for "my saved resources".
 */
import { z } from 'zod';
import {
  changesResponseSchema,
  directoryRolesSchema,
  flagResponseSchema,
  flagsResponseSchema,
  historyResponseSchema,
  importResultSchema,
  keepersResponseSchema,
  kindsResponseSchema,
  kindWireSchema,
  resourcePageSchema,
  resourceResponseSchema,
  revisionResponseSchema,
  suggestionResponseSchema,
  suggestionsResponseSchema,
  type EXPORT_FILES,
  type FLAG_REASONS,
  type IMPORT_FORMATS,
  type ResourceContent,
  type ResourceWire,
  type SUGGESTION_STATUSES,
} from '$core/resources/api';
import { api, type ApiClient, type ApiResult } from '../api/client';

export type { ResourceContent, ResourceWire };
export type ResourcePage = z.infer<typeof resourcePageSchema>;
export type ChangesWire = z.infer<typeof changesResponseSchema>;
export type KindWire = z.infer<typeof kindWireSchema>;
export type RevisionWire = z.infer<typeof historyResponseSchema>['revisions'][number];
export type RevisionWithContent = z.infer<typeof revisionResponseSchema>['revision'];
export type SuggestionWire = z.infer<typeof suggestionResponseSchema>['suggestion'];
export type SuggestionsPage = z.infer<typeof suggestionsResponseSchema>;
export type FlagWire = z.infer<typeof flagResponseSchema>['flag'];
export type FlagsPage = z.infer<typeof flagsResponseSchema>;
export type KeeperWire = z.infer<typeof keepersResponseSchema>['keepers'][number];
export type DirectoryRoles = z.infer<typeof directoryRolesSchema>;
export type ImportResult = z.infer<typeof importResultSchema>;
export type FlagReason = (typeof FLAG_REASONS)[number];
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];
export type ExportFile = (typeof EXPORT_FILES)[number];
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * A search as the page holds it; lists are sent comma-separated, only what is set. `near` is
 * "lat,lon" already rounded to 0.01° on the device (see `roundNear`).
 */
export interface SearchParams {
  readonly q?: string;
  readonly kind?: readonly string[];
  readonly language?: readonly string[];
  readonly cost?: readonly string[];
  readonly reach?: readonly string[];
  readonly near?: string;
  readonly area?: string;
  readonly withinKm?: number;
  readonly inPersonOnly?: boolean;
  readonly openNow?: boolean;
  readonly at?: string;
  readonly crisis?: readonly string[];
  readonly fresh?: boolean;
  readonly status?: 'current' | 'all';
  readonly cursor?: string;
  readonly limit?: number;
}

/** Any query's values: text, numbers, flags and lists. */
export type QueryValues = Readonly<
  Record<string, string | number | boolean | readonly string[] | undefined>
>;

/** The query string values for a search: lists joined by commas, empty and false ones left out. */
export function searchQuery(p: SearchParams | QueryValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(p) as [string, unknown][]) {
    if (value === undefined || value === '' || value === false) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) out[key] = value.join(',');
    } else if (typeof value === 'string' || typeof value === 'number' || value === true) {
      out[key] = String(value);
    }
  }
  return out;
}

/** A device position rounded to 0.01° (about a kilometre) before it leaves the device. */
export function roundNear(lat: number, lon: number): string {
  const r = (n: number) => (Math.round(n * 100) / 100).toFixed(2);
  return `${r(lat)},${r(lon)}`;
}

const BASE = '/api/v1/resources';
const seg = (value: string) => encodeURIComponent(value);
const resource = (id: string) => `${BASE}/${seg(id)}`;
const suggestion = (id: string) => `${BASE}/suggestions/${seg(id)}`;

/** Where the browser downloads an export file (same origin, the session cookie). */
export const exportPath = (file: ExportFile): string => `${BASE}/export/${file}`;

const starterResultSchema = z.object({ created: z.int(), unchanged: z.int() }).loose();
export type StarterResult = z.infer<typeof starterResultSchema>;

const notifyChoiceResponseSchema = z.object({ dailySuggestions: z.boolean() }).loose();
export type NotifyChoice = { dailySuggestions: boolean };

/** Typed calls for every directory route, through one API client (the app's by default). */
export function resourcesApi(client: ApiClient = api) {
  return {
    me: (): Promise<ApiResult<DirectoryRoles>> => client.get(`${BASE}/me`, directoryRolesSchema),
    search: (p: SearchParams): Promise<ApiResult<ResourcePage>> =>
      client.get(BASE, resourcePageSchema, searchQuery(p)),
    changes: (since?: string, limit?: number): Promise<ApiResult<ChangesWire>> =>
      client.get(`${BASE}/changes`, changesResponseSchema, {
        ...(since === undefined ? {} : { since }),
        ...(limit === undefined ? {} : { limit: String(limit) }),
      }),
    get: (id: string) => client.get(resource(id), resourceResponseSchema),

    // Keepers' own edits
    create: (body: { id: string; content: ResourceContent; note: string | null }) =>
      client.request('POST', BASE, { body, schema: resourceResponseSchema }),
    update: (
      id: string,
      body: { baseVersion: number; content: ResourceContent; note: string | null },
    ) => client.request('PUT', resource(id), { body, schema: resourceResponseSchema }),
    checked: (id: string, body: { baseVersion: number; note: string | null }) =>
      client.request('POST', `${resource(id)}/checked`, { body, schema: resourceResponseSchema }),
    retire: (id: string, body: { retired: boolean; note: string | null }) =>
      client.request('POST', `${resource(id)}/retire`, { body, schema: resourceResponseSchema }),

    // History
    history: (id: string) => client.get(`${resource(id)}/history`, historyResponseSchema),
    revision: (id: string, version: number) =>
      client.get(`${resource(id)}/history/${String(version)}`, revisionResponseSchema),

    // Suggestions
    suggest: (body: {
      id: string;
      resourceId: string | null;
      baseVersion: number | null;
      content: ResourceContent;
      note: string | null;
      source: string | null;
    }) => client.request('POST', `${BASE}/suggestions`, { body, schema: suggestionResponseSchema }),
    suggestions: (q: {
      status?: SuggestionStatus;
      mine?: boolean;
      resourceId?: string;
      cursor?: string;
    }): Promise<ApiResult<SuggestionsPage>> =>
      client.get(`${BASE}/suggestions`, suggestionsResponseSchema, searchQuery(q)),
    suggestion: (id: string) => client.get(suggestion(id), suggestionResponseSchema),
    publish: (id: string, body: { content?: ResourceContent; note: string | null }) =>
      client.request('POST', `${suggestion(id)}/publish`, { body, schema: resourceResponseSchema }),
    decline: (id: string, note: string | null) =>
      client.request('POST', `${suggestion(id)}/decline`, {
        body: { note },
        schema: suggestionResponseSchema,
      }),
    withdraw: (id: string) =>
      client.request('POST', `${suggestion(id)}/withdraw`, {
        body: {},
        schema: suggestionResponseSchema,
      }),

    // Out-of-date flags
    flag: (resourceId: string, body: { reason: FlagReason; note: string | null }) =>
      client.request('POST', `${resource(resourceId)}/flags`, { body, schema: flagResponseSchema }),
    flags: (q: {
      status?: 'open' | 'resolved';
      resourceId?: string;
      cursor?: string;
    }): Promise<ApiResult<FlagsPage>> =>
      client.get(`${BASE}/flags`, flagsResponseSchema, searchQuery(q)),
    resolveFlag: (flagId: string, note: string | null) =>
      client.request('POST', `${BASE}/flags/${seg(flagId)}/resolve`, {
        body: { note },
        schema: flagResponseSchema,
      }),

    // Kinds and keepers
    kinds: () => client.get(`${BASE}/kinds`, kindsResponseSchema),
    createKind: (body: { id: string; label: string }) =>
      client.request('POST', `${BASE}/kinds`, { body, schema: kindWireSchema }),
    changeKind: (id: string, body: { label?: string; retired?: boolean }) =>
      client.request('PATCH', `${BASE}/kinds/${seg(id)}`, { body, schema: kindWireSchema }),
    keepers: () => client.get(`${BASE}/keepers`, keepersResponseSchema),
    addKeeper: (accountId: string): Promise<ApiResult<undefined>> =>
      client.request('PUT', `${BASE}/keepers/${seg(accountId)}`, { body: {} }),
    removeKeeper: (accountId: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', `${BASE}/keepers/${seg(accountId)}`),

    // Import, starter set
    import: (body: {
      format: ImportFormat;
      data: unknown;
      options?: { defaultKind: string | null; defaultTimeZone: string | null };
      dryRun: boolean;
    }) => client.request('POST', `${BASE}/import`, { body, schema: importResultSchema }),
    starter: (): Promise<ApiResult<StarterResult>> =>
      client.request('POST', `${BASE}/starter`, { body: {}, schema: starterResultSchema }),

    // Keepers' daily notice of new suggestions
    notify: (): Promise<ApiResult<NotifyChoice>> =>
      client.get(`${BASE}/notify`, notifyChoiceResponseSchema),
    setNotify: (body: NotifyChoice): Promise<ApiResult<NotifyChoice>> =>
      client.request('PUT', `${BASE}/notify`, { body, schema: notifyChoiceResponseSchema }),
  };
}

export type ResourcesApi = ReturnType<typeof resourcesApi>;
