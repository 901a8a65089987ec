import { describe, expect, it } from 'vitest';
import type { ResourceWire } from './api.js';
import {
  crisisViewEntries,
  decodeSavedList,
  encodeSavedList,
  refreshSaved,
  savedListSchema,
  type SavedList,
} from './saved.js';
import { sampleResource } from './test-support/sample.js';

function wire(
  version: number,
  change: (c: ResourceWire['content']) => void = () => {},
): ResourceWire {
  const { id, ...content } = sampleResource();
  change(content);
  return {
    id,
    version,
    content,
    retired: false,
    stale: false,
    openFlags: 0,
    flaggedByMe: false,
    createdAt: '2026-10-01T10:00:00.000Z',
    updatedAt: '2026-10-01T10:00:00.000Z',
    distanceKm: null,
  };
}

const list = (): SavedList => ({
  v: 1,
  entries: [
    {
      resourceId: sampleResource().id,
      savedAt: '2026-11-01T10:00:00.000Z',
      note: 'Ask for Jo',
      inCrisisView: true,
      visibility: 'private',
      copy: wire(2),
      refreshedAt: '2026-11-01T10:00:00.000Z',
      crisisChanged: false,
    },
  ],
});

describe('saved resources in the vault', () => {
  it('encode and decode as the vault item, refusing a resource saved twice', () => {
    const bytes = encodeSavedList(list());
    const back = decodeSavedList(bytes);
    expect(back.ok && back.value).toEqual(list());
    const twice = { ...list(), entries: [...list().entries, ...list().entries] };
    expect(savedListSchema.safeParse(twice).success).toBe(false);
  });

  it('the crisis view holds the entries marked for it', () => {
    expect(crisisViewEntries(list())).toHaveLength(1);
    const off = list();
    off.entries[0]!.inCrisisView = false;
    expect(crisisViewEntries(off)).toEqual([]);
  });

  it('refreshes copies from the changes feed, marking changed crisis facts', () => {
    const now = '2026-11-25T10:00:00.000Z';
    expect(refreshSaved(list(), [wire(2)], now).refreshed).toEqual([]);
    const renamed = refreshSaved(list(), [wire(3, (c) => (c.name = 'Riverton Night Line'))], now);
    expect(renamed.refreshed).toEqual([sampleResource().id]);
    expect(renamed.list.entries[0]).toMatchObject({ refreshedAt: now, crisisChanged: false });
    expect(renamed.list.entries[0]!.copy.content.name).toBe('Riverton Night Line');
    const policeNow = refreshSaved(
      list(),
      [
        wire(4, (c) => {
          c.crisis.facts.policeWithoutConsent = {
            value: 'yes',
            check: { checkedOn: '2026-11-20', checkedBy: 'Ana', source: 'Their new policy' },
            note: null,
          };
        }),
      ],
      now,
    );
    expect(policeNow.list.entries[0]!.crisisChanged).toBe(true);
    // Changes to resources nobody here saved change nothing.
    const other = { ...wire(9), id: '99999999-9999-4999-8999-999999999999' };
    const same = list();
    expect(refreshSaved(same, [other], now).list).toBe(same);
  });
});
