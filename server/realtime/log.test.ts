import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { EventType } from '../../core/src/circles/api.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { appendEvents, readEventsAfter, type NewEvent } from './log.js';

const b64 = (n: number) => randomBytes(n).toString('base64url');

describeEachEngine('appendEvents', (engine) => {
  let t: TestApp;
  const clock = new Date('2026-11-24T12:00:00Z');

  beforeEach(async () => {
    t = await createTestApp(engine, { now: () => clock });
  });
  afterEach(async () => {
    await t.close();
  });

  /** `n` accounts written straight into the database (ids of mixed case, `-` and `_`). */
  const accounts = async (n: number): Promise<string[]> => {
    const at = clock.toISOString();
    const ids = Array.from({ length: n }, () => b64(16));
    for (let i = 0; i < n; i += 200) {
      await t.handle.db
        .insertInto('accounts')
        .values(
          ids.slice(i, i + 200).map((id) => ({
            id,
            handle: `h${id.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 20),
            email: null,
            role: 'member' as const,
            kdf: '{}',
            salt_seed: b64(32),
            auth_public_key: b64(32),
            recovery_auth_public_key: b64(32),
            master_key_by_passphrase: b64(73),
            master_key_by_recovery: b64(73),
            public_key_bundle: '{}',
            wrapped_identity_x25519: b64(73),
            wrapped_identity_ed25519: b64(73),
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();
    }
    return ids;
  };
  const append = (events: readonly NewEvent[]) =>
    t.handle.db.transaction().execute((trx) => appendEvents(trx, events, clock));
  const ev = (accountId: string, n: string, type: EventType = 'circle.changed'): NewEvent => ({
    accountId,
    type,
    data: { n },
  });
  const seqOf = async (id: string) =>
    Number(
      (
        await t.handle.db
          .selectFrom('accounts')
          .select('event_seq')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).event_seq,
    );

  it('numbers each account’s events from its own sequence, in the order given, and stores them', async () => {
    const [ana, ben] = (await accounts(2)) as [string, string];
    await append([ev(ana, 'first')]);
    const stored = await append([
      ev(ben, 'b1'),
      ev(ana, 'a1', 'group.mention'),
      ev(ben, 'b2'),
      ev(ana, 'a2'),
      ev(ben, 'b3'),
    ]);
    const mine = (id: string) => stored.filter((s) => s.accountId === id);
    expect(mine(ana).map((s) => [s.seq, s.data.n, s.type])).toEqual([
      [2, 'a1', 'group.mention'],
      [3, 'a2', 'circle.changed'],
    ]);
    expect(mine(ben).map((s) => [s.seq, s.data.n])).toEqual([
      [1, 'b1'],
      [2, 'b2'],
      [3, 'b3'],
    ]);
    // Returned grouped by account id, each account's in order.
    expect(stored.map((s) => s.accountId)).toEqual(
      ana < ben ? [ana, ana, ben, ben, ben] : [ben, ben, ben, ana, ana],
    );
    expect(stored.every((s) => s.at === clock.toISOString())).toBe(true);
    expect(await seqOf(ana)).toBe(3);
    expect(await seqOf(ben)).toBe(3);
    const read = await readEventsAfter(t.handle.db, ana, 0, 10);
    expect(read.map((e) => [e.seq, e.type, e.data])).toEqual([
      [1, 'circle.changed', { n: 'first' }],
      [2, 'group.mention', { n: 'a1' }],
      [3, 'circle.changed', { n: 'a2' }],
    ]);
  });

  it('skips an account that no longer exists, and writes nothing for no events', async () => {
    const [ana] = (await accounts(1)) as [string];
    const stored = await append([ev(b64(16), 'gone'), ev(ana, 'here')]);
    expect(stored.map((s) => [s.accountId, s.seq])).toEqual([[ana, 1]]);
    expect(await append([])).toEqual([]);
    const count = await t.handle.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('stores one event for each of 2,500 accounts (more than one statement’s worth), each numbered', async () => {
    const ids = await accounts(2500);
    await append([ev(ids[7]!, 'earlier')]);
    const stored = await append([...ids.map((id) => ev(id, 'post')), ev(ids[7]!, 'mention')]);
    expect(stored).toHaveLength(2501);
    const seven = stored.filter((s) => s.accountId === ids[7]);
    expect(seven.map((s) => [s.seq, s.data.n])).toEqual([
      [2, 'post'],
      [3, 'mention'],
    ]);
    const rest = stored.filter((s) => s.accountId !== ids[7]);
    expect(rest.every((s) => s.seq === 1)).toBe(true);
    expect(new Set(rest.map((s) => s.accountId)).size).toBe(2499);
    const count = await t.handle.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2502);
  });

  // A transaction that inserted a row referencing an account (a post by its author) holds a KEY
  // SHARE lock on that account until it commits; telling that account must not wait for it, or two
  // concurrent posts in one thread deadlock (each waits for the other's thread row or author).
  // (Declared for PostgreSQL only: SQLite has no row locks to wait on.)
  if (engine === 'postgres')
    it('does not wait for a transaction that only references the account (PostgreSQL)', async () => {
      const [ana] = (await accounts(1)) as [string];
      let release: () => void = () => {};
      const held = new Promise<void>((r) => (release = r));
      let locked: () => void = () => {};
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = t.handle.db.transaction().execute(async (trx) => {
        await sql`select id from accounts where id = ${ana} for key share`.execute(trx);
        locked();
        await held;
      });
      await isLocked;
      const outcome = await Promise.race([
        append([ev(ana, 'while referenced')]).then((s) => s.length),
        new Promise<'waited'>((r) => setTimeout(() => r('waited'), 3000)),
      ]);
      release();
      await holder;
      expect(outcome).toBe(1);
    });

  it('concurrent transactions telling overlapping people all commit, with no number used twice', async () => {
    const ids = await accounts(60);
    const reversed = [...ids].reverse();
    const shuffled = [...ids].sort((a, b) => (a.slice(3) < b.slice(3) ? -1 : 1));
    const lists = [ids, reversed, shuffled, ids.slice(10, 40), reversed.slice(0, 30)];
    for (let round = 0; round < 5; round += 1) {
      await Promise.all(lists.map((list) => append(list.map((id) => ev(id, String(round))))));
    }
    const rows = await t.handle.db
      .selectFrom('events')
      .select(['account_id', 'seq'])
      .orderBy('account_id')
      .orderBy('seq')
      .execute();
    const perAccount = new Map<string, number[]>();
    for (const r of rows) {
      perAccount.set(r.account_id, [...(perAccount.get(r.account_id) ?? []), Number(r.seq)]);
    }
    for (const id of ids) {
      const seqs = perAccount.get(id) ?? [];
      // 1, 2, …, n without gaps or repeats, and the account's sequence at n.
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(await seqOf(id)).toBe(seqs.length);
    }
    const told = (id: string) => lists.filter((l) => l.includes(id)).length * 5;
    expect(ids.map((id) => perAccount.get(id)?.length)).toEqual(ids.map(told));
  });
});
