// The data export from a real vault synced with the real server in-process: items of every
// collection, this device's unsynced changes, both sides of a conflict, and items that do not open.
import { describe, expect, it } from 'vitest';
import { buildExport } from './export';
import { useServer } from './sync/test-support/server';

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('export of a real vault', () => {
  const fx = useServer();
  const device = () => fx.device();

  it('holds every item, the unsynced ones and both versions of a conflict', async () => {
    const a = await device();
    const b = await device();
    await a.vault.put('plans', 'plan', 'p1', json({ title: 'When I feel low', v: 1 }));
    await a.vault.put('files', 'blob', 'f1', new Uint8Array([0, 1, 255]));
    await a.vault.sync();
    await b.vault.sync();

    a.d.online = false;
    await a.vault.put('plans', 'plan', 'p1', json({ title: 'When I feel low', v: 'from A' }));
    await b.vault.put('plans', 'plan', 'p1', json({ title: 'When I feel low', v: 'from B' }));
    await b.vault.sync();
    a.d.online = true;
    await a.vault.sync();
    await a.vault.put('notes', 'note', 'n1', json('not synced yet'));
    a.d.online = false;

    const progress: [number, number][] = [];
    const data = await buildExport(
      a.vault,
      { handle: 'ada', email: null, createdAt: 'then', fingerprint: '1 2 3' },
      (done, total) => progress.push([done, total]),
    );
    expect(data.format).toBe('tend-export');
    expect(data.items).toEqual([
      {
        collection: 'files',
        type: 'blob',
        itemId: 'f1',
        revision: 1,
        pending: false,
        content: { base64url: 'AAH_' },
      },
      {
        collection: 'notes',
        type: 'note',
        itemId: 'n1',
        revision: 1,
        pending: true,
        content: 'not synced yet',
      },
      {
        collection: 'plans',
        type: 'plan',
        itemId: 'p1',
        revision: 2,
        pending: false,
        content: { title: 'When I feel low', v: 'from B' },
      },
    ]);
    expect(data.conflicts).toEqual([
      expect.objectContaining({
        collection: 'plans',
        type: 'plan',
        itemId: 'p1',
        mine: { content: { title: 'When I feel low', v: 'from A' } },
        theirs: { revision: 2, content: { title: 'When I feel low', v: 'from B' } },
      }),
    ]);
    expect(data.failures).toEqual([]);
    expect(progress.at(-1)).toEqual([3, 3]);
  });
});
