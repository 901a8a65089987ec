import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PENDING_JOIN_KEY, pendingJoin, pendingJoinParts, pendingJoinState } from './pending-join';

const TOKEN = 'a'.repeat(21) + '_-' + 'Z9'.repeat(10);
const KEY = 'k'.repeat(40) + '-_0';
const LINK = `/circle/join/${TOKEN}#${KEY}`;

/** This tab's sessionStorage, as a browser has it (Node has none). */
class TabStorage {
  readonly #items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
}

const g = globalThis as { sessionStorage?: unknown };

describe('the invitation link kept in this tab', () => {
  beforeEach(() => {
    g.sessionStorage = new TabStorage();
  });
  afterEach(() => {
    delete g.sessionStorage;
  });

  const keep = (value: string) => (g.sessionStorage as TabStorage).setItem(PENDING_JOIN_KEY, value);

  it('is read back with its key, and split into the token and the fragment', () => {
    expect(TOKEN).toHaveLength(43);
    expect(KEY).toHaveLength(43);
    keep(LINK);
    expect(pendingJoin()).toBe(LINK);
    expect(pendingJoinParts()).toEqual({ token: TOKEN, fragment: `#${KEY}` });
  });

  it('is nothing when none was kept', () => {
    expect(pendingJoin()).toBeNull();
    expect(pendingJoinParts()).toBeNull();
  });

  it.each([
    ['without its key', `/circle/join/${TOKEN}`],
    ['with an empty key', `/circle/join/${TOKEN}#`],
    ['with a short token', `/circle/join/${TOKEN.slice(1)}#${KEY}`],
    ['with a long key', `/circle/join/${TOKEN}#${KEY}x`],
    ['on another site', `//evil.example/circle/join/${TOKEN}#${KEY}`],
    ['with a full address', `https://evil.example/circle/join/${TOKEN}#${KEY}`],
    ['elsewhere in Tend', `/account#${KEY}`],
    ['with a query', `/circle/join/${TOKEN}?next=/account#${KEY}`],
    ['with a path after the token', `/circle/join/${TOKEN}/x#${KEY}`],
  ])('is refused %s', (_what, kept) => {
    keep(kept);
    expect(pendingJoin()).toBeNull();
    expect(pendingJoinParts()).toBeNull();
    expect(pendingJoinParts(kept)).toBeNull();
  });

  it('is nothing when this browser refuses storage', () => {
    g.sessionStorage = {
      getItem() {
        throw new Error('SecurityError: storage is disabled');
      },
    };
    expect(pendingJoin()).toBeNull();
    expect(pendingJoinParts()).toBeNull();
  });

  it('splits a link given directly, without reading storage', () => {
    delete g.sessionStorage;
    expect(pendingJoinParts(LINK)).toEqual({ token: TOKEN, fragment: `#${KEY}` });
    expect(pendingJoinParts(null)).toBeNull();
  });
});

describe('what the server says of the kept invitation', () => {
  const owner = { handle: 'alex' };

  it('is open, from the inviter, while it waits for an answer', () => {
    expect(pendingJoinState({ ok: true, value: { status: 'pending', owner } })).toEqual({
      kind: 'open',
      handle: 'alex',
    });
  });

  it.each(['accepted', 'declined', 'cancelled', 'expired'])('is gone once %s', (status) => {
    expect(pendingJoinState({ ok: true, value: { status, owner } })).toEqual({ kind: 'gone' });
  });

  it.each([404, 410])('is gone when the server answers %i', (status) => {
    expect(pendingJoinState({ ok: false, status })).toEqual({ kind: 'gone' });
  });

  it.each([0, 429, 500, 503])('is unknown (still offered) on %i', (status) => {
    expect(pendingJoinState({ ok: false, status })).toEqual({ kind: 'unknown' });
  });
});
