// The owner's circle collection through a real Vault against the real server.
import { describe, expect, it } from 'vitest';
import { useServer } from '../vault/sync/test-support/server';
import { checkKeys } from './keys';
import { createPublicKeyBundle, generateIdentityKeys } from '$core/crypto/identity';
import {
  memberCollection,
  readAfterword,
  readGrant,
  readSettings,
  removePerson,
  saveAfterword,
  savePerson,
  saveSettings,
  scanCircle,
  writeItem,
} from './store';

describe('circle store', () => {
  const fx = useServer();

  it('keeps people, settings, pins, grants and notes for afterwards apart, and reads them back', async () => {
    const { vault } = await fx.device();
    const id = await savePerson(vault, undefined, {
      name: 'Sam',
      ring: 'pod',
      offers: ['listen'],
      offerNotes: '',
      availability: 'evenings',
      reach: 'text',
      accountId: 'sam1',
    });
    expect(id).not.toBeNull();
    await saveSettings(vault, {
      levels: { 'check-in': { first: ['sam1'], next: [], afterMinutes: null } },
      reach: 'call me',
      resources: [{ name: 'Warmline', reach: '0800 000' }],
    });
    await checkKeys(vault, {
      accountId: 'sam1',
      publicKeyBundle: createPublicKeyBundle('sam1', generateIdentityKeys()),
    });
    // The grant of the same account: its own item, next to the pin.
    await writeItem(vault, 'circle.grant', 'sam1', {
      memberId: 'sam1',
      sections: [],
      daily: true,
      contact: true,
      generation: 3,
    });
    await saveAfterword(vault, 'r1', 'it helped to be asked', new Date('2026-11-24T10:00:00Z'));
    await writeItem(vault, 'circle.daily', 'daily', { date: '2026-11-24', word: 'tired' });

    const scan = await scanCircle(vault);
    expect(scan.people.map((p) => [p.id, p.name])).toEqual([[id, 'Sam']]);
    expect(scan.settings.reach).toBe('call me');
    expect(scan.pins.get('sam1')?.verifiedAt).toBeNull();
    expect(scan.grants.get('sam1')?.generation).toBe(3);
    expect(scan.afterwords.get('r1')?.text).toBe('it helped to be asked');
    expect(scan.daily).toEqual({ date: '2026-11-24', word: 'tired' });
    expect(scan.problems).toEqual([]);
    expect((await readSettings(vault)).resources).toHaveLength(1);
    expect(await readAfterword(vault, 'r1')).toBe('it helped to be asked');
    expect(await memberCollection(vault, 'sam1')).toBe('to-sam1-3');
    expect(await memberCollection(vault, 'kim1')).toBe('to-kim1-1');
    expect(await readGrant(vault, 'kim1')).toEqual({
      memberId: 'kim1',
      sections: [],
      daily: false,
      contact: false,
      generation: 1,
    });

    expect(await removePerson(vault, id!)).toBe(true);
    expect(await removePerson(vault, id!)).toBe(true);
    expect((await scanCircle(vault)).people).toEqual([]);
  });

  it('reports an item that does not read, and leaves it in the vault', async () => {
    const { vault } = await fx.device();
    await vault.put('circle', 'circle.person', 'odd', new TextEncoder().encode('{"name":""}'));
    const scan = await scanCircle(vault);
    expect(scan.people).toEqual([]);
    expect(scan.problems).toMatchObject([
      { itemId: 'odd', kind: 'invalid', type: 'circle.person' },
    ]);
    expect((await vault.list('circle', 'circle.person')).items).toHaveLength(1);
  });
});
