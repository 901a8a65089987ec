import { describe, expect, it } from 'vitest';
import type { ShareWire } from '$lib/circles/api';
import { currentCollections, sharedWithMe } from './collections';

const share = (ownerId: string, memberId: string, collection: string): ShareWire => ({
  shareId: `${collection}-${memberId}`,
  ownerId,
  ownerHandle: ownerId,
  memberId,
  memberHandle: memberId,
  collection,
  keyId: 1,
  shareKey: 'k',
  createdAt: '2026-11-24T20:00:00Z',
});

describe('member collections', () => {
  it('the newest generation per member; other collections and mismatches are ignored', () => {
    const map = currentCollections([
      share('o', 'a', 'to-a-1'),
      share('o', 'a', 'to-a-3'),
      share('o', 'a', 'to-a-2'),
      share('o', 'b', 'plans'),
      share('o', 'b', 'to-c-1'),
    ]);
    expect([...map]).toEqual([['a', 'to-a-3']]);
  });

  it('what an owner shares with me', () => {
    const incoming = [share('o', 'me', 'to-me-2'), share('x', 'me', 'to-me-5')];
    expect(sharedWithMe(incoming, 'o', 'me')).toBe('to-me-2');
    expect(sharedWithMe(incoming, 'nobody', 'me')).toBeNull();
  });
});
