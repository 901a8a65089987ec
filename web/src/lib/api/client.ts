/**
 * A small typed fetch wrapper for Tend's JSON API. Expected failures (a wrong passphrase, a taken
 * handle, being offline) come back as values, never as exceptions. Every successful response is
 * validated with the schema the caller passes (the core zod schemas): the client checks what the
 * server hands it. This module imports no schema itself, so it stays out of the initial bundle's
 * way.
 */

/** The minimum of a zod schema this client needs (keeps zod out of this module's imports). */
export interface ResponseSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

export type ApiErrorCode =
  /** the server answered with `{ error: { code } }` */
  | (string & {})
  /** no answer at all (offline, server down) */
  | 'network'
  /** the answer was not what the protocol says it must be */
  | 'bad_response';

export interface ApiFailure {
  readonly ok: false;
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly message: string;
  /** Seconds to wait, from `retry-after` (rate limits). */
  readonly retryAfter?: number;
  /** The error's `issues`, when the server lists its problems one by one (an import's lines). */
  readonly issues?: readonly unknown[];
}

export type ApiResult<T> =
  { readonly ok: true; readonly status: number; readonly value: T } | ApiFailure;

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface RequestOptions<T> {
  readonly body?: unknown;
  /** Validates a 2xx JSON body; omit for 204 answers. */
  readonly schema?: ResponseSchema<T>;
  readonly query?: Record<string, string>;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Reads `retry-after` (seconds or an HTTP date) as whole seconds, at least 1. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(1, Math.ceil((date - now) / 1000));
}

/** Turns an error answer into an ApiFailure; tolerates bodies that are not Tend's error shape. */
export function failureFrom(status: number, body: unknown, retryAfter?: number): ApiFailure {
  const error: unknown =
    typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined;
  const record =
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const code = typeof record.code === 'string' ? record.code : `http_${String(status)}`;
  const message = typeof record.message === 'string' ? record.message : '';
  const issues: unknown = record.issues;
  return {
    ok: false,
    status,
    code,
    message,
    ...(retryAfter === undefined ? {} : { retryAfter }),
    ...(Array.isArray(issues) ? { issues: issues as readonly unknown[] } : {}),
  };
}

export class ApiClient {
  #csrf: Promise<string | undefined> | undefined;

  constructor(
    private readonly fetcher: Fetch = (input, init) => fetch(input, init),
    private readonly base = '',
  ) {}

  /** Forgets the CSRF token (after sign-out the cookie it is bound to may change). */
  resetCsrf(): void {
    this.#csrf = undefined;
  }

  private csrfToken(): Promise<string | undefined> {
    this.#csrf ??= this.fetcher(`${this.base}/api/v1/csrf`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    })
      .then(async (res) => {
        if (!res.ok) return undefined;
        const body = (await res.json()) as unknown;
        const token =
          typeof body === 'object' && body !== null
            ? (body as { token?: unknown }).token
            : undefined;
        return typeof token === 'string' ? token : undefined;
      })
      .catch(() => undefined);
    return this.#csrf.then((token) => {
      if (token === undefined) this.#csrf = undefined;
      return token;
    });
  }

  async request<T = undefined>(
    method: string,
    path: string,
    options: RequestOptions<T> = {},
  ): Promise<ApiResult<T>> {
    const first = await this.once(method, path, options);
    // The token is bound to a cookie; if that changed (a new session), fetch a new one once.
    if (!first.ok && first.code === 'csrf_failed' && UNSAFE.has(method)) {
      this.resetCsrf();
      return this.once(method, path, options);
    }
    return first;
  }

  private async once<T>(
    method: string,
    path: string,
    options: RequestOptions<T>,
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (UNSAFE.has(method)) {
      const token = await this.csrfToken();
      if (token !== undefined) headers['x-csrf-token'] = token;
    }
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
    let res: Response;
    try {
      res = await this.fetcher(`${this.base}${path}${query}`, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        ...(body === undefined ? {} : { body }),
      });
    } catch {
      return { ok: false, status: 0, code: 'network', message: '' };
    }
    const text = await res.text().catch(() => '');
    let json: unknown = undefined;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!res.ok) {
      return failureFrom(res.status, json, parseRetryAfter(res.headers.get('retry-after')));
    }
    if (options.schema === undefined) {
      return { ok: true, status: res.status, value: undefined as T };
    }
    const parsed = options.schema.safeParse(json);
    if (!parsed.success) {
      return { ok: false, status: res.status, code: 'bad_response', message: '' };
    }
    return { ok: true, status: res.status, value: parsed.data };
  }

  get<T>(path: string, schema: ResponseSchema<T>, query?: Record<string, string>) {
    return this.request<T>('GET', path, { schema, ...(query ? { query } : {}) });
  }
}

/** The app's one client (same origin, cookie session). */
export const api = new ApiClient();
