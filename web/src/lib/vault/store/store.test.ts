import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { expect, it } from 'vitest';
import { databaseName, upgrade } from './open';
import { VaultStore } from './store';

const env = (n: number) => Uint8Array.of(1, 0, 0, 0, 1, n);
const entry = (itemId: string, baseRevision: number, n: number) => ({
  collection: 'plans',
  itemId,
  type: 'plan',
  baseRevision,
  envelope: env(n),
  createdAt: new Date(0).toISOString(),
});

it('keeps the outbox in order across reopening, and removes only applied entries', async () => {
  const factory = new IDBFactory();
  const store = await VaultStore.open('acct', factory);
  await store.addOutbox(entry('a', 0, 1));
  await store.addOutbox(entry('b', 0, 2));
  await store.addOutbox(entry('a', 1, 3));
  store.close();

  const again = await VaultStore.open('acct', factory);
  const outbox = await again.outbox();
  expect(outbox.map((e) => [e.itemId, e.baseRevision])).toEqual([
    ['a', 0],
    ['b', 0],
    ['a', 1],
  ]);
  const first = outbox[0];
  if (first === undefined) throw new Error('empty');
  await again.applyPushed([{ entry: first, revision: 1, seq: 7, keyId: 1 }]);
  expect((await again.outbox()).map((e) => [e.itemId, e.baseRevision])).toEqual([
    ['b', 0],
    ['a', 1],
  ]);
  expect(await again.getItem('plans', 'a')).toMatchObject({
    revision: 1,
    seq: 7,
    maxSequence: 1,
    maxKeyId: 1,
    type: 'plan',
    envelope: env(1),
  });
  again.close();
});

it('moves all of an item’s pending changes into one conflict with the newest, beside the server version', async () => {
  const store = await VaultStore.open('acct', new IDBFactory());
  await store.addOutbox(entry('a', 2, 1));
  await store.addOutbox(entry('b', 0, 2));
  await store.addOutbox(entry('a', 3, 3));
  const server = { revision: 5, seq: 9, envelope: env(9), updatedAt: 'now' };
  const record = await store.moveToConflict('plans', 'a', server, undefined);
  expect(record).toMatchObject({ itemId: 'a', local: { envelope: env(3), sequence: 4 }, server });
  expect((await store.outbox()).map((e) => e.itemId)).toEqual(['b']);
  expect(await store.conflicts()).toHaveLength(1);

  await store.resolveConflict(record?.id ?? -1, [entry('a', 5, 4)]);
  expect(await store.conflicts()).toEqual([]);
  expect((await store.outbox()).map((e) => [e.itemId, e.baseRevision])).toEqual([
    ['b', 0],
    ['a', 5],
  ]);
  await store.destroy();
});

it('keeps one database per account and forgets it on destroy', async () => {
  const factory = new IDBFactory();
  const ada = await VaultStore.open('ada', factory);
  const bo = await VaultStore.open('bo', factory);
  await ada.addOutbox(entry('a', 0, 1));
  expect(await bo.outboxCount()).toBe(0);
  await ada.destroy();
  bo.close();
  const names = (await factory.databases()).map((d) => d.name);
  expect(names).toEqual(['tend-vault-bo']);
});

it('upgrades a version 1 database in place: its items keep their types and are found by type', async () => {
  const factory = new IDBFactory();
  const request = factory.open(databaseName('acct'), 1);
  request.onupgradeneeded = (event) =>
    upgrade(request.result, event.oldVersion, request.transaction, 1);
  const v1 = await new Promise<IDBDatabase>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
  });
  const item = (itemId: string, type: string | null) => ({
    collection: 'plans',
    itemId,
    revision: 1,
    seq: 1,
    envelope: env(1),
    maxSequence: 1,
    maxKeyId: 1,
    type,
    updatedAt: new Date(0).toISOString(),
  });
  const tx = v1.transaction('items', 'readwrite');
  for (const i of [item('p1', 'plan'), item('s1', 'plan.section'), item('u1', null)]) {
    tx.objectStore('items').put(i);
  }
  await new Promise<void>((resolve) => (tx.oncomplete = () => resolve()));
  v1.close();

  const store = await VaultStore.open('acct', factory);
  const ids = async (type: string) =>
    (await store.itemsOfType('plans', type)).map((i) => i.itemId).sort();
  // Items of the type asked for, and those of unknown type; never those of another known type.
  expect(await ids('plan')).toEqual(['p1', 'u1']);
  expect(await ids('plan.section')).toEqual(['s1', 'u1']);
  expect(await ids('plan.version')).toEqual(['u1']);
  expect(await store.itemsOfType('checkins', 'plan')).toEqual([]);
  store.close();
});

it('adds a change only while it builds on the item’s head; otherwise answers the head to build on', async () => {
  const factory = new IDBFactory();
  const tab1 = await VaultStore.open('acct', factory);
  const tab2 = await VaultStore.open('acct', factory);
  expect(await tab1.head('plans', 'a')).toMatchObject({ item: undefined, pending: [], base: 0 });
  expect(await tab1.addOutboxAtHead(entry('a', 0, 1))).toBe(true);
  // The other tab read the head before that change and built on 0 too: refused, nothing written.
  expect(await tab2.addOutboxAtHead(entry('a', 0, 2))).toBe(false);
  expect((await tab2.head('plans', 'a')).base).toBe(1);
  expect((await tab2.outbox()).map((e) => e.envelope)).toEqual([env(1)]);
  expect(await tab2.addOutboxAtHead(entry('a', 1, 2))).toBe(true);

  // Once the first change is applied, the head is the item's revision plus what is still pending.
  const [first] = await tab1.outbox();
  if (first === undefined) throw new Error('empty');
  await tab1.applyPushed([{ entry: first, revision: 1, seq: 3, keyId: 1 }]);
  const head = await tab1.head('plans', 'a');
  expect([head.item?.revision, head.pending.map((e) => e.baseRevision), head.base]).toEqual([
    1,
    [1],
    2,
  ]);
  tab1.close();
  tab2.close();
});
