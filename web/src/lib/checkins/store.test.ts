// Check-ins through a real Vault against the real server (in-process, fake IndexedDB per device).
import { describe, expect, it } from 'vitest';
import { CHECKIN_COLLECTION, valueOn, type Checkin } from '$core/checkins/index';
import { synced, useServer } from '../vault/sync/test-support/server';
import {
  deleteItem,
  saveCheckin,
  saveJournal,
  scanCheckins,
  tableOf,
  trackersOrDefaults,
} from './store';

const NOW = '2026-11-24T09:00:00.000Z';
const bytes = (s: string) => new TextEncoder().encode(s);

const checkin = (id: string, at: string, values: Checkin['values']): Checkin => ({
  v: 1,
  id,
  at,
  values,
  updatedAt: NOW,
});

describe('check-ins store', () => {
  const fx = useServer();

  it('adds the default trackers once, and a second device adds the same ones', async () => {
    const a = await fx.device();
    const first = await trackersOrDefaults(a.vault, NOW);
    expect(first.added).toBe(true);
    expect(first.trackers.map((t) => t.id)).toContain('sleepHours');
    const again = await trackersOrDefaults(a.vault, NOW);
    expect(again.added).toBe(false);
    expect(again.trackers.map((t) => t.id)).toEqual(first.trackers.map((t) => t.id));

    await synced(a.vault);
    const b = await fx.device();
    await synced(b.vault);
    const onB = await trackersOrDefaults(b.vault, NOW);
    expect(onB.added).toBe(false);
    expect(onB.trackers).toEqual(first.trackers);

    // A third device asking before its first sync gets them from the server, not a second set.
    const c = await fx.device();
    const onC = await trackersOrDefaults(c.vault, '2026-11-25T09:00:00.000Z');
    expect(onC.added).toBe(false);
    expect(onC.trackers).toEqual(first.trackers);
    expect((await scanCheckins(c.vault)).pending.size).toBe(0);
  });

  it('keeps a check-in made offline and syncs it later; newest first; days in the zone', async () => {
    const a = await fx.device();
    const { trackers } = await trackersOrDefaults(a.vault, NOW);
    a.d.online = false;
    expect(
      await saveCheckin(a.vault, checkin('c1', '2026-11-22T23:30:00.000Z', { sleepHours: 5 })),
    ).toEqual({ ok: true });
    expect(
      await saveCheckin(a.vault, checkin('c2', '2026-11-23T08:00:00.000Z', { sleepHours: 7 })),
    ).toEqual({ ok: true });
    const offline = await scanCheckins(a.vault);
    expect(offline.checkins.map((c) => c.id)).toEqual(['c2', 'c1']);
    expect(offline.pending.has('c1')).toBe(true);

    // 23:30 UTC on the 22nd is the 23rd in Berlin: both check-ins fall on one day there.
    const berlin = tableOf({ checkins: offline.checkins, trackers }, { timeZone: 'Europe/Berlin' });
    expect(berlin.length).toBe(1);
    expect(valueOn(berlin, 'sleepHours', '2026-11-23')).toBe(6);
    const utc = tableOf({ checkins: offline.checkins, trackers }, { timeZone: 'UTC' });
    expect(valueOn(utc, 'sleepHours', '2026-11-22')).toBe(5);

    a.d.online = true;
    await synced(a.vault);
    const b = await fx.device();
    await synced(b.vault);
    const onB = await scanCheckins(b.vault);
    expect(onB.checkins.map((c) => c.id)).toEqual(['c2', 'c1']);
    expect(onB.pending.size).toBe(0);
  });

  it('refuses an invalid item before it reaches the vault, and reports unreadable ones', async () => {
    const a = await fx.device();
    const bad = await saveJournal(a.vault, {
      v: 1,
      id: 'j1',
      at: 'yesterday',
      body: 'x',
      updatedAt: NOW,
    });
    expect(bad).toEqual({ ok: false, error: 'invalid' });
    expect((await scanCheckins(a.vault)).journal).toEqual([]);

    await a.vault.put(CHECKIN_COLLECTION, 'checkin', 'odd', bytes('{"v":2}'));
    // An item of a type this Tend doesn't know, from another device (a newer Tend).
    const newerTend = await fx.device();
    await newerTend.vault.put(CHECKIN_COLLECTION, 'checkin.future', 'future', bytes('{}'));
    await newerTend.vault.sync();
    await a.vault.sync();
    const s = await scanCheckins(a.vault);
    expect(s.problems.map((p) => [p.itemId, p.kind])).toEqual([
      ['odd', 'invalid'],
      ['future', 'unreadable'],
    ]);
    // Only when every type was read can an item be known to open as none of them.
    expect((await scanCheckins(a.vault, ['checkin'])).problems.map((p) => p.itemId)).toEqual([
      'odd',
    ]);
    // Problems are kept, untouched.
    expect((await a.vault.get(CHECKIN_COLLECTION, 'checkin.future', 'future')).ok).toBe(true);
    expect(await deleteItem(a.vault, 'future')).toEqual({ ok: true });
    expect(await deleteItem(a.vault, 'odd')).toEqual({ ok: true });
    expect(await deleteItem(a.vault, 'odd')).toEqual({ ok: true });
    expect((await scanCheckins(a.vault)).problems).toEqual([]);
  });
});
