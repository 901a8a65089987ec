import type { InjectOptions, LightMyRequestResponse as Response } from 'fastify';
import type { App } from '../app.js';
import { csrfHeader } from '../http/session.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'TRACE';

/**
 * A browser stand-in for API tests: keeps cookies between requests and, for state-changing
 * requests, fetches a CSRF token first and sends it, as the web app does.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  #csrf: string | undefined;

  constructor(readonly app: App) {}

  async csrfToken(): Promise<string> {
    if (this.#csrf === undefined) {
      const res = await this.send('GET', '/api/v1/csrf');
      this.#csrf = res.json<{ token: string }>().token;
    }
    return this.#csrf;
  }

  /** Sends a request; `csrf: false` leaves the CSRF header off (to test that it is required). */
  async send(
    method: Method,
    url: string,
    opts: { body?: unknown; headers?: Record<string, string>; csrf?: boolean } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...opts.headers };
    // The token first: fetching it sets the CSRF secret cookie this request must carry.
    if (!['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method) && opts.csrf !== false) {
      headers[csrfHeader] = await this.csrfToken();
    }
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const inject: InjectOptions = { method, url, headers };
    if (opts.body !== undefined) inject.payload = opts.body as InjectOptions['payload'];
    const res = await this.app.inject(inject);
    for (const c of res.cookies as {
      name: string;
      value: string;
      expires?: Date;
      maxAge?: number;
    }[]) {
      const gone =
        c.value === '' ||
        (c.expires !== undefined && c.expires.getTime() <= Date.now()) ||
        c.maxAge === 0;
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get(url: string, headers?: Record<string, string>) {
    return this.send('GET', url, headers === undefined ? {} : { headers });
  }
  post(
    url: string,
    body?: unknown,
    opts: { csrf?: boolean; headers?: Record<string, string> } = {},
  ) {
    return this.send('POST', url, { ...opts, body });
  }
  put(url: string, body?: unknown, opts: { csrf?: boolean } = {}) {
    return this.send('PUT', url, { ...opts, body });
  }
  delete(url: string, opts: { csrf?: boolean } = {}) {
    return this.send('DELETE', url, opts);
  }
}
