// A small HTTP client for benchmarks that act as someone using Tend: cookies, CSRF, JSON; and
// the one way they put sealed items into a vault (as the web vault would: a collection key
// wrapped under the master key, then envelopes with revision 1).
import { sealEnvelope } from '../core/src/crypto/envelope.js';
import { generateKey, wrapKey } from '../core/src/crypto/keys.js';
import { toBase64url } from '../core/src/encoding/base64url.js';
import type { Person } from '../server/test-support/person.js';

export class ApiClient {
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;
  constructor(readonly base: string) {}

  async send(method: 'GET' | 'POST', path: string, body?: unknown) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST') {
      if (this.csrf === undefined) {
        const res = await this.send('GET', '/api/v1/csrf');
        this.csrf = (res.json as { token: string }).token;
      }
      headers['x-csrf-token'] = this.csrf;
    }
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    const res = await fetch(this.base + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const text = await res.text();
    return {
      status: res.status,
      text,
      json: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface PlainItem {
  readonly itemId: string;
  readonly type: string;
  readonly plaintext: Uint8Array;
}

/**
 * Adds the collection's first key and pushes the items (100 a request). Returns the collection
 * key and each item's envelope as sent.
 */
export async function pushSealed(
  client: ApiClient,
  person: Person,
  collection: string,
  items: Iterable<PlainItem>,
): Promise<{ collectionKey: Uint8Array; sealed: Map<string, string> }> {
  const collectionKey = generateKey();
  const wrapped = wrapKey(person.masterKey, collectionKey, {
    kind: 'collection',
    ownerId: person.accountId,
    collectionId: collection,
    keyId: 1,
  });
  const added = await client.send('POST', '/api/v1/vault/keys', {
    collection,
    keyId: 1,
    wrappedKey: toBase64url(wrapped),
  });
  if (added.status !== 201) throw new Error(`POST /vault/keys: ${added.status} ${added.text}`);

  const sealed = new Map<string, string>();
  let batch: { collection: string; itemId: string; baseRevision: 0; envelope: string }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const res = await client.send('POST', '/api/v1/vault/changes', { changes: batch });
    if (res.status !== 200) throw new Error(`push: ${res.status} ${res.text.slice(0, 300)}`);
    batch = [];
  };
  for (const item of items) {
    const envelope = sealEnvelope({
      binding: {
        ownerId: person.accountId,
        collectionId: collection,
        itemId: item.itemId,
        itemType: item.type,
      },
      collectionKey,
      keyId: 1,
      sequence: 1,
      plaintext: item.plaintext,
    });
    if (!envelope.ok) throw new Error(`seal failed: ${envelope.error}`);
    const text = toBase64url(envelope.value);
    sealed.set(item.itemId, text);
    batch.push({ collection, itemId: item.itemId, baseRevision: 0, envelope: text });
    if (batch.length === 100) await flush();
  }
  await flush();
  return { collectionKey, sealed };
}
