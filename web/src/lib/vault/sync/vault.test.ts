import { describe, expect, it } from 'vitest';
import { synced, useServer } from './test-support/server';
import { dumpDatabase, containsBytes } from './test-support/dump';
import { databaseName } from '../store/open';
import type { Vault } from './vault';
import { toBase64url, wrapKey, generateKey } from './core';
import { VaultApi } from './http';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Reads one item's text, failing the test on any error. */
async function read(vault: Vault, itemId: string, collection = 'plans', type = 'plan') {
  const r = await vault.get(collection, type, itemId);
  if (!r.ok) throw new Error(`get failed: ${r.error}`);
  return r.value === undefined ? undefined : text(r.value.plaintext);
}

describe('vault sync against the real server', () => {
  const fx = useServer();
  const device = () => fx.device();

  it('round trip: a put on one device is read, updated and deleted on another', async () => {
    const a = await device();
    const b = await device();
    expect((await a.vault.put('plans', 'plan', 'p1', bytes('call Sam when low'))).ok).toBe(true);
    expect(await read(a.vault, 'p1')).toBe('call Sam when low');
    expect((await synced(a.vault)).pushed).toBe(1);

    expect((await synced(b.vault)).pulled).toBe(1);
    expect(await read(b.vault, 'p1')).toBe('call Sam when low');
    const listed = await b.vault.list('plans', 'plan');
    expect(listed.items.map((i) => [i.itemId, text(i.plaintext), i.revision, i.pending])).toEqual([
      ['p1', 'call Sam when low', 1, false],
    ]);

    await b.vault.put('plans', 'plan', 'p1', bytes('call Sam or Jo'));
    await synced(b.vault);
    await synced(a.vault);
    expect(await read(a.vault, 'p1')).toBe('call Sam or Jo');

    expect((await a.vault.delete('plans', 'p1')).ok).toBe(true);
    expect(await read(a.vault, 'p1')).toBeUndefined();
    await synced(a.vault);
    await synced(b.vault);
    expect(await read(b.vault, 'p1')).toBeUndefined();
    expect((await b.vault.list('plans', 'plan')).items).toEqual([]);
  });

  it('lists only items of the asked type, not trying items known to be of another type', async () => {
    const a = await device();
    await a.vault.put('plans', 'plan', 'p1', bytes('the plan'));
    await a.vault.put('plans', 'plan.section', 's1', bytes('a section'));
    await synced(a.vault);
    await a.vault.put('plans', 'plan.section', 's2', bytes('pending section'));
    const plans = await a.vault.list('plans', 'plan');
    expect(plans.items.map((i) => i.itemId)).toEqual(['p1']);
    expect(plans.failures).toEqual([]);
    const sections = await a.vault.list('plans', 'plan.section');
    expect(sections.items.map((i) => [i.itemId, text(i.plaintext)])).toEqual([
      ['s1', 'a section'],
      ['s2', 'pending section'],
    ]);
    // A device that has not opened them yet tries them, and says which did not open.
    const b = await device();
    await synced(b.vault);
    const blind = await b.vault.list('plans', 'plan');
    expect(blind.items.map((i) => i.itemId)).toEqual(['p1']);
    expect(blind.failures).toEqual([{ itemId: 's1', error: 'auth_failed' }]);
  });

  it('batches more than 100 changes and pages pulls', async () => {
    const a = await device();
    const b = await device();
    for (let i = 0; i < 130; i++)
      await a.vault.put('checkins', 'checkin', `c${i}`, bytes(`day ${i}`));
    expect((await synced(a.vault)).pushed).toBe(130);
    expect((await synced(b.vault)).pulled).toBe(130);
    const listed = await b.vault.list('checkins', 'checkin');
    expect(listed.items).toHaveLength(130);
    expect(listed.failures).toEqual([]);
  });

  it('offline edits on two devices: one wins, the other keeps both versions as a conflict', async () => {
    const a = await device();
    const b = await device();
    await a.vault.put('plans', 'plan', 'p1', bytes('v1'));
    await synced(a.vault);
    await synced(b.vault);

    a.d.online = false;
    b.d.online = false;
    await a.vault.put('plans', 'plan', 'p1', bytes('from A'));
    await b.vault.put('plans', 'plan', 'p1', bytes('from B'));
    expect(await a.vault.sync()).toEqual({ ok: false, error: { kind: 'offline' } });
    a.d.online = true;
    b.d.online = true;

    expect((await synced(a.vault)).pushed).toBe(1);
    const report = await synced(b.vault);
    expect(report.conflicts).toBe(1);
    // B now shows the server's version and offers both.
    const current = await b.vault.get('plans', 'plan', 'p1');
    expect(
      current.ok && current.value && [text(current.value.plaintext), current.value.conflicted],
    ).toEqual(['from A', true]);
    const [conflict, ...none] = await b.vault.conflicts();
    expect(none).toEqual([]);
    expect(conflict?.mine.ok && conflict.mine.value && text(conflict.mine.value)).toBe('from B');
    expect(conflict?.theirs.ok && conflict.theirs.value && text(conflict.theirs.value)).toBe(
      'from A',
    );

    // "Keep mine": B's text goes on top of A's revision, and A gets it.
    expect((await b.vault.resolve(conflict?.id ?? -1, 'mine')).ok).toBe(true);
    expect(await b.vault.conflicts()).toEqual([]);
    await synced(b.vault);
    await synced(a.vault);
    expect(await read(a.vault, 'p1')).toBe('from B');
  });

  it('"keep both" saves the local version as a new item; "keep theirs" drops it', async () => {
    const a = await device();
    const b = await device();
    await a.vault.put('plans', 'plan', 'p1', bytes('v1'));
    await a.vault.put('plans', 'plan', 'p2', bytes('w1'));
    await synced(a.vault);
    await synced(b.vault);
    await a.vault.put('plans', 'plan', 'p1', bytes('A1'));
    await a.vault.put('plans', 'plan', 'p2', bytes('A2'));
    await b.vault.put('plans', 'plan', 'p1', bytes('B1'));
    await b.vault.put('plans', 'plan', 'p2', bytes('B2'));
    await synced(a.vault);
    expect((await synced(b.vault)).conflicts).toBe(2);
    const conflicts = await b.vault.conflicts();
    const byItem = new Map(conflicts.map((c) => [c.itemId, c.id]));

    const both = await b.vault.resolve(byItem.get('p1') ?? -1, 'both');
    expect(both.ok).toBe(true);
    const newId = both.ok ? both.value.itemId : '';
    expect(newId).not.toBe('p1');
    expect((await b.vault.resolve(byItem.get('p2') ?? -1, 'theirs')).ok).toBe(true);
    await synced(b.vault);
    await synced(a.vault);
    const listed = await a.vault.list('plans', 'plan');
    expect(new Map(listed.items.map((i) => [i.itemId, text(i.plaintext)]))).toEqual(
      new Map([
        ['p1', 'A1'],
        ['p2', 'A2'],
        [newId, 'B1'],
      ]),
    );
  });

  it('keeps the outbox across a reload and sends it once back online', async () => {
    const a = fx.server.device();
    a.online = false;
    const first = await a.open();
    await first.put('journal', 'journal.entry', 'j1', bytes('written on the bus'));
    await first.put('journal', 'journal.entry', 'j1', bytes('written on the bus, edited'));
    expect((await first.sync()).ok).toBe(false);
    first.close();

    const reloaded = await a.open();
    fx.track(reloaded);
    let pending = -1;
    reloaded.subscribe((s) => (pending = s.pending))();
    expect(pending).toBe(2);
    expect(await read(reloaded, 'j1', 'journal', 'journal.entry')).toBe(
      'written on the bus, edited',
    );
    a.online = true;
    expect((await synced(reloaded)).pushed).toBe(2);

    const b = await device();
    await synced(b.vault);
    expect(await read(b.vault, 'j1', 'journal', 'journal.entry')).toBe(
      'written on the bus, edited',
    );
  });

  it('a push whose answer was lost counts as applied on retry, not as a conflict', async () => {
    const a = await device();
    await a.vault.put('plans', 'plan', 'p1', bytes('v1'));
    await synced(a.vault);
    await a.vault.put('plans', 'plan', 'p1', bytes('v2'));
    // The server applies the push, then the connection drops before the answer arrives.
    a.d.tamper = (method, url, _status, body) => {
      if (method === 'POST' && url.endsWith('/vault/changes')) {
        a.d.tamper = undefined;
        throw new TypeError('connection reset');
      }
      return body;
    };
    expect(await a.vault.sync()).toEqual({ ok: false, error: { kind: 'offline' } });
    const retry = await synced(a.vault);
    expect([retry.pushed, retry.conflicts]).toEqual([1, 0]);
    expect(await a.vault.conflicts()).toEqual([]);
    const item = await a.vault.get('plans', 'plan', 'p1');
    expect(
      item.ok &&
        item.value && [text(item.value.plaintext), item.value.revision, item.value.pending],
    ).toEqual(['v2', 2, false]);
  });

  it('puts of one item made at once each build on the one before: no conflict, the last one kept', async () => {
    const a = await device();
    await a.vault.put('plans', 'plan', 'p1', bytes('v0'));
    await synced(a.vault);
    const writes = await Promise.all(
      ['v1', 'v2', 'v3'].map((v) => a.vault.put('plans', 'plan', 'p1', bytes(v))),
    );
    expect(writes.map((w) => w.ok && w.value.revision)).toEqual([2, 3, 4]);
    const after = await synced(a.vault);
    expect([after.pushed, after.conflicts]).toEqual([3, 0]);
    expect(await a.vault.conflicts()).toEqual([]);
    expect(await read(a.vault, 'p1')).toBe('v3');
  });

  it('a put made while a push is on its way builds on what the push makes: no conflict', async () => {
    const a = await device();
    await a.vault.put('plans', 'plan', 'p1', bytes('v1'));
    await synced(a.vault);
    await a.vault.put('plans', 'plan', 'p1', bytes('v2'));
    // As the server's answer to the push arrives, the person saves again.
    let during: Promise<unknown> | undefined;
    a.d.tamper = (method, url, _status, body) => {
      if (method === 'POST' && url.endsWith('/vault/changes')) {
        a.d.tamper = undefined;
        during = a.vault.put('plans', 'plan', 'p1', bytes('v3'));
      }
      return body;
    };
    await synced(a.vault);
    await during;
    const after = await synced(a.vault);
    expect(after.conflicts).toBe(0);
    expect(await a.vault.conflicts()).toEqual([]);
    expect(await read(a.vault, 'p1')).toBe('v3');
    const b = await device();
    await synced(b.vault);
    expect(await read(b.vault, 'p1')).toBe('v3');
  });

  it('two devices making a new collection offline: the losing key is re-sealed under the winner', async () => {
    const a = await device();
    const b = await device();
    await synced(a.vault);
    await synced(b.vault);
    a.d.online = false;
    b.d.online = false;
    await a.vault.put('moods', 'mood', 'm1', bytes('calm'));
    await b.vault.put('moods', 'mood', 'm2', bytes('tired'));
    a.d.online = true;
    b.d.online = true;
    await synced(a.vault);
    expect((await synced(b.vault)).pushed).toBe(1);
    await synced(a.vault);
    expect(await read(a.vault, 'm2', 'moods', 'mood')).toBe('tired');
    expect(await read(b.vault, 'm1', 'moods', 'mood')).toBe('calm');
  });

  it('after a re-key elsewhere (stale_key), re-seals under the new key and retries', async () => {
    const a = await device();
    await a.vault.put('plans', 'plan', 'p1', bytes('v1'));
    await synced(a.vault);
    // Another device re-keys the collection: key 2, wrapped under the master key.
    const other = fx.server.device();
    const api = new VaultApi(other.fetch);
    const key2 = wrapKey(fx.server.masterKey, generateKey(), {
      kind: 'collection',
      ownerId: fx.server.accountId,
      collectionId: 'plans',
      keyId: 2,
    });
    const added = await api.addKey({
      collection: 'plans',
      keyId: 2,
      wrappedKey: toBase64url(key2),
    });
    expect(added).toEqual({ ok: true, value: 'created' });

    await a.vault.put('plans', 'plan', 'p1', bytes('v2'));
    expect((await synced(a.vault)).pushed).toBe(1);
    const b = await device();
    await synced(b.vault);
    expect(await read(b.vault, 'p1')).toBe('v2');
  });

  it('refuses a replayed or mislabelled older version and keeps the newer local one', async () => {
    const a = await device();
    await a.vault.put('plans', 'plan', 'p1', bytes('old'));
    await synced(a.vault);
    let oldEnvelope = '';
    a.d.tamper = (method, url, _status, body) => {
      const page = body as { changes: { envelope: string | null }[] };
      if (method === 'GET' && url.includes('/vault/changes') && page.changes[0]) {
        oldEnvelope ||= page.changes[0].envelope ?? '';
      }
      return body;
    };
    const b = await device();
    b.d.tamper = a.d.tamper;
    await synced(b.vault);
    await a.vault.put('plans', 'plan', 'p1', bytes('new'));
    await synced(a.vault);
    await synced(b.vault);
    expect(await read(b.vault, 'p1')).toBe('new');
    expect(oldEnvelope).not.toBe('');

    // A fresh pull (cursor 0) from a server serving the old revision 1 of p1.
    const c = fx.server.device();
    const replay =
      (revision: number) => (method: string, url: string, _s: number, body: unknown) => {
        if (method !== 'GET' || !url.includes('/vault/changes')) return body;
        const page = body as { changes: { itemId: string; revision: number; envelope: string }[] };
        return {
          ...page,
          changes: page.changes.map((ch) =>
            ch.itemId === 'p1' ? { ...ch, revision, envelope: oldEnvelope } : ch,
          ),
        };
      };
    const vault = await c.open();
    fx.track(vault);
    await synced(vault);
    expect(await read(vault, 'p1')).toBe('new');

    // Same device, server now rolls p1 back: revision 1 with the old envelope, from cursor 0.
    const reset = indexedDbCursorReset(c.indexedDB, fx.server.accountId);
    await reset;
    c.tamper = replay(1);
    const stale = await synced(vault);
    expect(stale.rejected).toEqual([
      { collection: 'plans', itemId: 'p1', revision: 1, reason: 'stale_sequence' },
    ]);
    c.tamper = replay(3);
    await indexedDbCursorReset(c.indexedDB, fx.server.accountId);
    const lie = await synced(vault);
    expect(lie.rejected).toEqual([
      { collection: 'plans', itemId: 'p1', revision: 3, reason: 'wrong_binding' },
    ]);
    expect(await read(vault, 'p1')).toBe('new');
  });

  it('stores no plaintext in IndexedDB (items, outbox, conflicts, keys, meta)', async () => {
    const secrets = ['I felt like giving up today', 'my safe person is Robin', 'B side secret'];
    const a = await device();
    const b = await device();
    await a.vault.put('journal', 'journal.entry', 'j1', bytes(secrets[0] ?? ''));
    await synced(a.vault);
    await synced(b.vault);
    a.d.online = false;
    await a.vault.put('journal', 'journal.entry', 'j2', bytes(secrets[1] ?? ''));
    await b.vault.put('journal', 'journal.entry', 'j1', bytes(secrets[2] ?? ''));
    await a.vault.put('journal', 'journal.entry', 'j1', bytes(`${secrets[0]} again`));
    a.d.online = true;
    await synced(b.vault);
    await synced(a.vault); // j1 conflicts on A: A holds both versions, sealed
    expect((await a.vault.conflicts()).length).toBe(1);
    a.d.online = false;
    await a.vault.put('journal', 'journal.entry', 'j3', bytes(secrets[1] ?? '')); // stays in the outbox

    for (const d of [a.d, b.d]) {
      const values = await dumpDatabase(d.indexedDB, databaseName(fx.server.accountId));
      expect(values.stores.sort()).toEqual([
        'conflicts',
        'items',
        'keys',
        'meta',
        'outbox',
        'pendingKeys',
      ]);
      for (const secret of secrets) {
        const s = bytes(secret);
        expect(values.strings.some((v) => v.includes(secret))).toBe(false);
        expect(values.binaries.some((v) => containsBytes(v, s))).toBe(false);
        expect(
          values.binaries.some((v) => containsBytes(v, bytes(toBase64url(s).slice(0, 16)))),
        ).toBe(false);
      }
      // The stored data is there (the scan looked at something).
      expect(values.binaries.length).toBeGreaterThanOrEqual(2);
    }
    // And it still reads.
    expect(await read(a.vault, 'j3', 'journal', 'journal.entry')).toBe(secrets[1]);
  });

  it('ignores keys that do not unwrap and refuses a tampered item of a known type', async () => {
    const a = await device();
    await a.vault.put('plans', 'plan', 'p1', bytes('v1'));
    await synced(a.vault);
    await a.vault.put('plans', 'plan', 'p1', bytes('v2'));
    await synced(a.vault);

    const c = fx.server.device();
    c.tamper = (method, url, _status, body) => {
      if (method === 'GET' && url.endsWith('/vault/keys')) {
        const keys = (body as { keys: unknown[] }).keys;
        const forged = toBase64url(
          wrapKey(generateKey(), generateKey(), {
            kind: 'collection',
            ownerId: fx.server.accountId,
            collectionId: 'plans',
            keyId: 9,
          }),
        );
        return {
          keys: [...keys, { collection: 'plans', keyId: 9, wrappedKey: forged, createdAt: '' }],
        };
      }
      return body;
    };
    const vault = await c.open();
    fx.track(vault);
    await synced(vault);
    expect(await read(vault, 'p1')).toBe('v2');
    // The forged key 9 was not taken: new writes still use key 1, which the server accepts.
    await vault.put('plans', 'plan', 'p2', bytes('w'));
    expect((await synced(vault)).pushed).toBe(1);

    // Now the server flips a bit in a newer revision of p1, whose type this device knows.
    await a.vault.put('plans', 'plan', 'p1', bytes('v3'));
    await synced(a.vault);
    c.tamper = (method, url, _status, body) => {
      if (method !== 'GET' || !url.includes('/vault/changes')) return body;
      const page = body as { changes: { itemId: string; envelope: string }[] };
      return {
        ...page,
        changes: page.changes.map((ch) => {
          if (ch.itemId !== 'p1') return ch;
          const b = Buffer.from(ch.envelope, 'base64url');
          b[b.length - 1] = (b[b.length - 1] ?? 0) ^ 1;
          return { ...ch, envelope: b.toString('base64url') };
        }),
      };
    };
    const report = await synced(vault);
    expect(report.rejected).toEqual([
      { collection: 'plans', itemId: 'p1', revision: 3, reason: 'auth_failed' },
    ]);
    expect(await read(vault, 'p1')).toBe('v2');
  });

  it('an edit against a deletion elsewhere is a conflict; "keep mine" brings the item back', async () => {
    const a = await device();
    const b = await device();
    await a.vault.put('plans', 'plan', 'p1', bytes('v1'));
    await synced(a.vault);
    await synced(b.vault);
    await a.vault.delete('plans', 'p1');
    await b.vault.put('plans', 'plan', 'p1', bytes('still needed'));
    await synced(a.vault);
    const states: number[] = [];
    const stop = b.vault.subscribe((s) => states.push(s.conflicts));
    await synced(b.vault);
    stop();
    expect(states.at(-1)).toBe(1);
    const [conflict] = await b.vault.conflicts();
    expect(conflict?.theirs).toEqual({ ok: true, value: null });
    expect(await read(b.vault, 'p1')).toBeUndefined();
    await b.vault.resolve(conflict?.id ?? -1, 'mine');
    await synced(b.vault);
    await synced(a.vault);
    expect(await read(a.vault, 'p1')).toBe('still needed');
  });

  it('splits a push the server finds too big as a whole (BODY_LIMIT) and sends every change', async () => {
    await fx.restart({ BODY_LIMIT: '12000' });
    const a = await device();
    for (let i = 0; i < 6; i++) {
      await a.vault.put('plans', 'plan', `p${String(i)}`, bytes(String(i).repeat(3000)));
    }
    const report = await synced(a.vault);
    expect([report.pushed, report.tooLarge]).toEqual([6, []]);
    const b = await device();
    await synced(b.vault);
    expect(await read(b.vault, 'p5')).toBe('5'.repeat(3000));
  });

  it('keeps a change the server finds too large in the outbox and sends the others', async () => {
    await fx.restart({ VAULT_ITEM_MAX_BYTES: '2048' });
    const a = await device();
    await a.vault.put('plans', 'plan', 'small1', bytes('a'));
    await a.vault.put('plans', 'plan', 'big', bytes('x'.repeat(3000)));
    await a.vault.put('plans', 'plan', 'small2', bytes('b'));
    const report = await synced(a.vault);
    expect([report.pushed, report.tooLarge]).toEqual([2, [{ collection: 'plans', itemId: 'big' }]]);
    let pending = -1;
    a.vault.subscribe((s) => (pending = s.pending))();
    expect(pending).toBe(1);
    expect(await read(a.vault, 'big')).toBe('x'.repeat(3000));
    const b = await device();
    await synced(b.vault);
    expect((await b.vault.list('plans', 'plan')).items.map((i) => i.itemId)).toEqual([
      'small1',
      'small2',
    ]);
  });

  it('all() opens every item of every collection, with progress, pending and failures', async () => {
    const a = await device();
    await a.vault.put('plans', 'plan', 'p1', bytes('plan one'));
    await a.vault.put('checkins', 'checkin', 'c1', bytes('rested'));
    await a.vault.put('checkins', 'checkin', 'c2', bytes('gone soon'));
    await synced(a.vault);
    await a.vault.delete('checkins', 'c2');
    await a.vault.put('journal', 'entry', 'j1', bytes('not synced yet'));

    const progress: [number, number][] = [];
    const mine = await a.vault.all([], (done, total) => progress.push([done, total]));
    expect(
      mine.items.map((i) => [i.collection, i.type, i.itemId, text(i.plaintext), i.pending]),
    ).toEqual([
      ['checkins', 'checkin', 'c1', 'rested', false],
      ['journal', 'entry', 'j1', 'not synced yet', true],
      ['plans', 'plan', 'p1', 'plan one', false],
    ]);
    expect(mine.failures).toEqual([]);
    expect(progress.at(-1)).toEqual([4, 4]);

    // A second device has pulled items it never opened: it does not know their types until it is
    // told which types exist; items of types it is not told about are listed, not dropped.
    await synced(a.vault);
    const b = await device();
    await synced(b.vault);
    const blind = await b.vault.all(['plan']);
    expect(blind.items.map((i) => i.itemId)).toEqual(['p1']);
    expect(blind.failures).toEqual([
      { collection: 'checkins', itemId: 'c1', type: null, error: 'unknown_type' },
      { collection: 'journal', itemId: 'j1', type: null, error: 'unknown_type' },
    ]);
    const told = await b.vault.all(['plan', 'checkin', 'entry']);
    expect(told.items.map((i) => [i.itemId, i.type, text(i.plaintext)])).toEqual([
      ['c1', 'checkin', 'rested'],
      ['j1', 'entry', 'not synced yet'],
      ['p1', 'plan', 'plan one'],
    ]);
    expect(told.failures).toEqual([]);
  });

  it('all() lists an item that fails to open under its known type as a failure', async () => {
    const a = await device();
    await a.vault.put('plans', 'plan', 'p1', bytes('v1'));
    await synced(a.vault);
    const c = fx.server.device();
    const vault = await c.open();
    fx.track(vault);
    await synced(vault);
    expect(await read(vault, 'p1')).toBe('v1');
    // p1 changes elsewhere and arrives tampered; the accepted version stays readable.
    await a.vault.put('plans', 'plan', 'p2', bytes('fine'));
    await synced(a.vault);
    const { VaultStore } = await import('../store/store');
    const store = await VaultStore.open(fx.server.accountId, c.indexedDB);
    const item = await store.getItem('plans', 'p1');
    if (item?.envelope === undefined || item.envelope === null) throw new Error('no stored item');
    const broken = Uint8Array.from(item.envelope);
    broken[broken.length - 1] = (broken[broken.length - 1] ?? 0) ^ 1;
    await store.applyPulled([{ ...item, envelope: broken }], await store.cursor());
    store.close();
    const everything = await vault.all(['plan']);
    expect(everything.items.map((i) => i.itemId)).toEqual([]);
    expect(everything.failures).toEqual([
      { collection: 'plans', itemId: 'p1', type: 'plan', error: 'auth_failed' },
    ]);
  });

  it('destroy() removes the device copy', async () => {
    const d = fx.server.device();
    const vault = await d.open();
    await vault.put('plans', 'plan', 'p1', bytes('x'));
    await vault.destroy();
    const names = (await d.indexedDB.databases()).map((x) => x.name);
    expect(names).not.toContain(databaseName(fx.server.accountId));
  });
});

/** Sets the stored pull cursor back to 0 (as if this device pulled from scratch). */
async function indexedDbCursorReset(factory: IDBFactory, accountId: string): Promise<void> {
  const { VaultStore } = await import('../store/store');
  const store = await VaultStore.open(accountId, factory);
  await store.applyPulled([], 0);
  store.close();
}
