// The saved list through a real Vault against the real server (in-process, fake IndexedDB).
import { describe, expect, it } from 'vitest';
import type { ResourceWire } from '$core/resources/api';
import { SAVED_COLLECTION, SAVED_ITEM_TYPE, encodeSavedList } from '$core/resources/saved';
import { sampleResource } from '$core/resources/test-support/sample';
import { synced, useServer } from '../../vault/sync/test-support/server';
import {
  acknowledgeCrisisChange,
  loadSaved,
  refreshFromChanges,
  saveResource,
  setCrisisView,
  setNote,
  unsave,
  updateCopy,
  type CursorStore,
  type FetchChanges,
} from './store';

const NOW = '2026-11-24T09:00:00.000Z';
const LATER = '2026-11-25T09:00:00.000Z';
const OTHER_ID = '7a1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6b';

function wire(overrides: Partial<ResourceWire> = {}, id = sampleResource().id): ResourceWire {
  const { id: _id, ...content } = sampleResource();
  return {
    id,
    version: 1,
    content,
    retired: false,
    stale: false,
    openFlags: 0,
    flaggedByMe: false,
    createdAt: NOW,
    updatedAt: NOW,
    distanceKm: null,
    ...overrides,
  };
}

function memoryCursors(): CursorStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, get: (id) => map.get(id), set: (id, c) => void map.set(id, c) };
}

/** A fake feed: pages of changes, each with the cursor after it. */
function feed(pages: ResourceWire[][]): FetchChanges & { asked: (string | undefined)[] } {
  const asked: (string | undefined)[] = [];
  const fn = (since: string | undefined) => {
    asked.push(since);
    const at = since === undefined ? 0 : Number(since);
    const changes = pages[at] ?? [];
    return Promise.resolve({
      ok: true as const,
      status: 200,
      value: {
        changes,
        cursor: String(Math.min(at + 1, pages.length)),
        complete: at + 1 >= pages.length,
      },
    });
  };
  return Object.assign(fn, { asked });
}

describe('saved places store', () => {
  const fx = useServer();

  it('saves a place under a random item id, reads it back, and syncs it', async () => {
    const a = await fx.device();
    expect((await loadSaved(a.vault)).itemId).toBeNull();
    const r = await saveResource(a.vault, wire(), NOW);
    expect(r.ok).toBe(true);
    const loaded = await loadSaved(a.vault);
    expect(loaded.itemId).not.toBeNull();
    expect(loaded.itemId).not.toBe(sampleResource().id);
    expect(loaded.list.entries).toHaveLength(1);
    expect(loaded.list.entries[0]).toMatchObject({
      resourceId: sampleResource().id,
      savedAt: NOW,
      note: null,
      inCrisisView: false,
      visibility: 'private',
      crisisChanged: false,
    });

    // Saving again keeps the one entry; a second place goes after it.
    await saveResource(a.vault, wire(), LATER);
    await saveResource(a.vault, wire({}, OTHER_ID), LATER);
    const two = await loadSaved(a.vault);
    expect(two.list.entries.map((e) => e.resourceId)).toEqual([sampleResource().id, OTHER_ID]);
    expect(two.itemId).toBe(loaded.itemId);

    await synced(a.vault);
    const b = await fx.device();
    await synced(b.vault);
    expect((await loadSaved(b.vault)).list.entries).toHaveLength(2);
  });

  it('keeps a note, toggles the crisis view, and removes a place', async () => {
    const a = await fx.device();
    const id = sampleResource().id;
    await saveResource(a.vault, wire(), NOW);
    await setNote(a.vault, id, '  Ask for Jo.  ');
    await setCrisisView(a.vault, id, true);
    let e = (await loadSaved(a.vault)).list.entries[0];
    expect(e?.note).toBe('Ask for Jo.');
    expect(e?.inCrisisView).toBe(true);
    await setNote(a.vault, id, '');
    await setCrisisView(a.vault, id, false);
    e = (await loadSaved(a.vault)).list.entries[0];
    expect(e?.note).toBeNull();
    expect(e?.inCrisisView).toBe(false);
    expect(await setNote(a.vault, id, 'x'.repeat(1001))).toEqual({ ok: false, error: 'invalid' });
    expect(await unsave(a.vault, OTHER_ID)).toEqual({ ok: false, error: 'not_saved' });
    expect((await unsave(a.vault, id)).ok).toBe(true);
    expect((await loadSaved(a.vault)).list.entries).toEqual([]);
  });

  it('refreshes copies from the changes feed, page by page, and marks crisis changes', async () => {
    const a = await fx.device();
    const id = sampleResource().id;
    await saveResource(a.vault, wire(), NOW);
    const v1 = wire();
    const police = { ...v1.content.crisis.facts.policeWithoutConsent, value: 'yes' as const };
    const v2 = wire({
      version: 2,
      content: {
        ...v1.content,
        crisis: {
          ...v1.content.crisis,
          facts: { ...v1.content.crisis.facts, policeWithoutConsent: police },
        },
      },
    });
    const v3retired = { ...v2, version: 3, retired: true };
    const notMine = wire({ version: 5 }, OTHER_ID);
    const cursors = memoryCursors();
    const f = feed([[notMine], [v2]]);
    const r = await refreshFromChanges(a.vault, f, LATER, cursors);
    expect(r.ok && r.value.refreshed).toEqual([id]);
    expect(f.asked).toEqual([undefined, '1']);
    let e = (await loadSaved(a.vault)).list.entries[0];
    expect(e?.copy.version).toBe(2);
    expect(e?.refreshedAt).toBe(LATER);
    expect(e?.crisisChanged).toBe(true);
    expect([...cursors.map.values()]).toEqual(['2']);
    expect((await loadSaved(a.vault)).list.entries.map((x) => x.resourceId)).toEqual([id]);

    await acknowledgeCrisisChange(a.vault, id);
    expect((await loadSaved(a.vault)).list.entries[0]?.crisisChanged).toBe(false);

    // From the kept cursor: only what is new. A retired resource keeps its last copy, retired.
    const g = feed([[], [], [v3retired]]);
    await refreshFromChanges(a.vault, g, LATER, cursors);
    expect(g.asked).toEqual(['2']);
    e = (await loadSaved(a.vault)).list.entries[0];
    expect(e?.copy.retired).toBe(true);
    expect(e?.crisisChanged).toBe(false);

    // Offline: the list is left as it was.
    const offline: FetchChanges = () =>
      Promise.resolve({ ok: false, code: 'network', status: 0, message: 'offline' } as never);
    expect(await refreshFromChanges(a.vault, offline, LATER, cursors)).toEqual({
      ok: false,
      error: 'network',
    });
  });

  it('brings a saved copy up to date from the resource’s page, newer versions only', async () => {
    const a = await fx.device();
    const id = sampleResource().id;
    expect((await updateCopy(a.vault, wire({ version: 2 }), LATER)).ok).toBe(true);
    expect((await loadSaved(a.vault)).itemId).toBeNull();
    await saveResource(a.vault, wire(), NOW);
    const same = await updateCopy(a.vault, wire(), LATER);
    expect(same.ok && same.value.refreshed).toBe(false);
    const v2 = wire({
      version: 2,
      content: { ...wire().content, name: 'Riverton Peer Line (new)' },
    });
    const r = await updateCopy(a.vault, v2, LATER);
    expect(r.ok && r.value.refreshed).toBe(true);
    const e = (await loadSaved(a.vault)).list.entries[0];
    expect(e?.resourceId).toBe(id);
    expect(e?.copy.content.name).toBe('Riverton Peer Line (new)');
    expect(e?.refreshedAt).toBe(LATER);
    expect(e?.crisisChanged).toBe(false);
  });

  it('reads two lists started on two devices as one', async () => {
    const a = await fx.device();
    await saveResource(a.vault, wire(), NOW);
    const other = { v: 1 as const, entries: [] as never[] };
    await a.vault.put(SAVED_COLLECTION, SAVED_ITEM_TYPE, 'zzzzOtherList', encodeSavedList(other));
    const both = await loadSaved(a.vault);
    expect(both.extra).toHaveLength(1);
    await saveResource(a.vault, wire({}, OTHER_ID), NOW);
    const one = await loadSaved(a.vault);
    expect(one.extra).toEqual([]);
    expect(one.list.entries).toHaveLength(2);
  });
});
