import { describe, expect, it } from 'vitest';
import { allPages } from './all-pages';

describe('allPages', () => {
  it('follows cursors to the end', async () => {
    const pages: Record<string, { items: number[]; next: string | null }> = {
      '': { items: [1, 2], next: 'a' },
      a: { items: [3], next: 'b' },
      b: { items: [4], next: null },
    };
    const r = await allPages((c) =>
      Promise.resolve({ ok: true, status: 200, value: pages[c ?? '']! }),
    );
    expect(r.ok && r.value).toEqual([1, 2, 3, 4]);
  });

  it('stops at a failure and at the page limit', async () => {
    const failed = await allPages<number>(() =>
      Promise.resolve({ ok: false, status: 0, code: 'network', message: '' }),
    );
    expect(failed.ok).toBe(false);
    let calls = 0;
    const capped = await allPages<number>(() => {
      calls++;
      return Promise.resolve({ ok: true, status: 200, value: { items: [calls], next: 'x' } });
    }, 3);
    expect(capped.ok && capped.value).toEqual([1, 2, 3]);
  });
});
