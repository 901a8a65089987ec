import { describe, expect, it } from 'vitest';
import { DEFAULT_QUICK_EXIT_URL } from '../quick-exit/url';
import { fetchMeta, META_STORAGE_KEY, parseMeta, readStoredMeta, storeMeta } from './meta';

class MemoryStore {
  map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

describe('parseMeta', () => {
  it('keeps valid fields', () => {
    expect(
      parseMeta({ name: 'Tend', version: '0.1.0', quickExitUrl: 'https://example.org/', x: 1 }),
    ).toEqual({ name: 'Tend', version: '0.1.0', quickExitUrl: 'https://example.org/' });
  });

  it('defaults an unsafe or missing exit URL', () => {
    expect(parseMeta({ quickExitUrl: 'javascript:alert(1)' })?.quickExitUrl).toBe(
      DEFAULT_QUICK_EXIT_URL,
    );
    expect(parseMeta({})).toEqual({
      name: 'Tend',
      version: '',
      quickExitUrl: DEFAULT_QUICK_EXIT_URL,
    });
  });

  it('rejects non-objects', () => {
    expect(parseMeta(null)).toBeNull();
    expect(parseMeta('Tend')).toBeNull();
  });
});

describe('stored meta', () => {
  it('round-trips through storage', () => {
    const store = new MemoryStore();
    const meta = { name: 'Tend', version: '1.2.3', quickExitUrl: 'https://example.org/' };
    storeMeta(store, meta);
    expect(readStoredMeta(store)).toEqual(meta);
  });

  it('survives missing, corrupt or throwing storage', () => {
    expect(readStoredMeta(undefined)).toBeNull();
    const store = new MemoryStore();
    store.setItem(META_STORAGE_KEY, '{not json');
    expect(readStoredMeta(store)).toBeNull();
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(readStoredMeta(throwing)).toBeNull();
    expect(() => storeMeta(throwing, parseMeta({})!)).not.toThrow();
  });
});

describe('fetchMeta', () => {
  it('parses a good answer', async () => {
    const fake = (() =>
      Promise.resolve(
        new Response(JSON.stringify({ name: 'Tend', version: '0.1.0' }), { status: 200 }),
      )) as typeof fetch;
    expect(await fetchMeta(fake)).toMatchObject({ version: '0.1.0' });
  });

  it('is null when offline or on an error status', async () => {
    const offline = (() => Promise.reject(new TypeError('offline'))) as typeof fetch;
    expect(await fetchMeta(offline)).toBeNull();
    const missing = (() => Promise.resolve(new Response('nope', { status: 404 }))) as typeof fetch;
    expect(await fetchMeta(missing)).toBeNull();
    const html = (() => Promise.resolve(new Response('<html>', { status: 200 }))) as typeof fetch;
    expect(await fetchMeta(html)).toBeNull();
  });
});
