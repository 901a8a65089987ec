import {
  collectionKeysResponseSchema,
  conflictBodySchema,
  err,
  errorBodySchema,
  ok,
  pullResponseSchema,
  pushResponseSchema,
  type Result,
  type ServerItem,
} from './core';

/** The part of a fetch Response the vault reads. */
export interface ResponseLike {
  readonly status: number;
  json(): Promise<unknown>;
}

export interface RequestInitLike {
  method: string;
  headers: Record<string, string>;
  body?: string;
  credentials: 'same-origin';
}

/** `fetch`, or anything that answers like it (the app's API client, a test transport). */
export type FetchLike = (url: string, init: RequestInitLike) => Promise<ResponseLike>;

/** Why an API call did not get the answer it wanted. */
export type ApiError =
  /** no answer at all: offline, DNS, connection reset (retry later) */
  | { readonly kind: 'network' }
  /** an answer that is not what the API promises */
  | { readonly kind: 'bad_response'; readonly status: number }
  | { readonly kind: 'http'; readonly status: number; readonly code: string };

export interface PushChangeWire {
  readonly collection: string;
  readonly itemId: string;
  readonly baseRevision: number;
  readonly envelope: string | null;
}

export type PushOutcome =
  | {
      readonly type: 'applied';
      readonly applied: readonly {
        itemId: string;
        collection: string;
        revision: number;
        seq: number;
      }[];
    }
  | { readonly type: 'conflict'; readonly conflicts: readonly ServerItem[] }
  | { readonly type: 'stale_key' };

export interface PulledPage {
  readonly changes: readonly ServerItem[];
  readonly cursor: number;
  readonly more: boolean;
}

export interface WrappedCollectionKey {
  readonly collection: string;
  readonly keyId: number;
  readonly wrappedKey: string;
}

const CSRF_HEADER = 'x-csrf-token';

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** The vault endpoints of the Tend API, with typed results and the CSRF token handled. */
export class VaultApi {
  #csrf: string | undefined;
  /** Called as a plain function: the browser's `fetch` refuses any other `this`. */
  private readonly fetch: FetchLike;

  constructor(
    fetch: FetchLike = (url, init) => globalThis.fetch(url, init),
    private readonly baseUrl = '',
  ) {
    this.fetch = (url, init) => fetch(url, init);
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const init: RequestInitLike = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (method === 'POST') headers[CSRF_HEADER] = await this.csrfToken();
    const res = await this.fetch(this.baseUrl + path, init);
    const parsed: unknown = await res.json().catch(() => undefined);
    return { status: res.status, body: parsed };
  }

  private async csrfToken(): Promise<string> {
    if (this.#csrf === undefined) {
      const res = await this.fetch(`${this.baseUrl}/api/v1/csrf`, {
        method: 'GET',
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      const body: unknown = await res.json().catch(() => undefined);
      const token =
        typeof body === 'object' && body !== null && 'token' in body ? body.token : undefined;
      if (typeof token !== 'string') throw new TypeError('no CSRF token');
      this.#csrf = token;
    }
    return this.#csrf;
  }

  /** Sends a request; network failures become `network`; one retry with a fresh CSRF token. */
  private async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<Result<Answer, ApiError>> {
    try {
      let answer = await this.call(method, path, body);
      if (method === 'POST' && answer.status === 403 && errorCode(answer.body) === 'csrf_failed') {
        this.#csrf = undefined;
        answer = await this.call(method, path, body);
      }
      return ok(answer);
    } catch {
      return err({ kind: 'network' });
    }
  }

  async keys(): Promise<Result<WrappedCollectionKey[], ApiError>> {
    const res = await this.request('GET', '/api/v1/vault/keys');
    if (!res.ok) return res;
    if (res.value.status !== 200) return err(failure(res.value));
    const parsed = collectionKeysResponseSchema.safeParse(res.value.body);
    if (!parsed.success) return err({ kind: 'bad_response', status: res.value.status });
    return ok(parsed.data.keys);
  }

  /** Adds a collection key: `created`, or `conflict` when the collection already has that id. */
  async addKey(key: WrappedCollectionKey): Promise<Result<'created' | 'conflict', ApiError>> {
    const res = await this.request('POST', '/api/v1/vault/keys', key);
    if (!res.ok) return res;
    if (res.value.status === 201) return ok('created');
    if (res.value.status === 409) return ok('conflict');
    return err(failure(res.value));
  }

  async push(changes: readonly PushChangeWire[]): Promise<Result<PushOutcome, ApiError>> {
    const res = await this.request('POST', '/api/v1/vault/changes', { changes });
    if (!res.ok) return res;
    const { status, body } = res.value;
    if (status === 200) {
      const parsed = pushResponseSchema.safeParse(body);
      return parsed.success
        ? ok({ type: 'applied', applied: parsed.data.applied })
        : err({ kind: 'bad_response', status });
    }
    if (status === 409 && errorCode(body) === 'stale_key') return ok({ type: 'stale_key' });
    if (status === 409) {
      const parsed = conflictBodySchema.safeParse(body);
      return parsed.success
        ? ok({ type: 'conflict', conflicts: parsed.data.conflicts })
        : err({ kind: 'bad_response', status });
    }
    return err(failure(res.value));
  }

  async pull(since: number, limit: number): Promise<Result<PulledPage, ApiError>> {
    const res = await this.request('GET', `/api/v1/vault/changes?since=${since}&limit=${limit}`);
    if (!res.ok) return res;
    if (res.value.status !== 200) return err(failure(res.value));
    const parsed = pullResponseSchema.safeParse(res.value.body);
    return parsed.success ? ok(parsed.data) : err({ kind: 'bad_response', status: 200 });
  }
}

function errorCode(body: unknown): string | undefined {
  const parsed = errorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.error.code : undefined;
}

function failure(answer: Answer): ApiError {
  const code = errorCode(answer.body);
  return code === undefined
    ? { kind: 'bad_response', status: answer.status }
    : { kind: 'http', status: answer.status, code };
}
