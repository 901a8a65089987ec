import { describe, expect, it } from 'vitest';
import {
  defaultDescriber,
  describe as describeVersion,
  describedTypes,
  registerDescriber,
} from './describe';
import { buildExport, exportContent, exportFileName } from './export';
import type { Vault } from './sync';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('describing a version', () => {
  it('shows UTF-8 JSON pretty-printed, with its title, and anything else as unshowable', () => {
    expect(defaultDescriber(bytes('{"title":"Morning","steps":["walk"]}'))).toEqual({
      title: 'Morning',
      text: '{\n  "title": "Morning",\n  "steps": [\n    "walk"\n  ]\n}',
    });
    expect(defaultDescriber(new Uint8Array([0xff, 0xfe]))).toEqual({
      title: '',
      text: "(a version that can't be shown)",
    });
    expect(defaultDescriber(bytes('not json')).text).toBe("(a version that can't be shown)");
  });

  it('uses a registered describer for its type, falling back when it throws', () => {
    registerDescriber('test-note', (p) => ({ title: 'Note', text: new TextDecoder().decode(p) }));
    registerDescriber('test-broken', () => {
      throw new Error('no');
    });
    expect(describedTypes()).toEqual(expect.arrayContaining(['test-note', 'test-broken']));
    expect(describeVersion('test-note', bytes('hello'))).toEqual({ title: 'Note', text: 'hello' });
    expect(describeVersion('test-broken', bytes('[1]')).text).toBe('[\n  1\n]');
    expect(describeVersion(null, bytes('2')).text).toBe('2');
  });
});

describe('the data export', () => {
  it('holds items, both sides of conflicts and failures, with JSON or base64url content', async () => {
    const fake: Pick<Vault, 'all' | 'conflicts'> = {
      all: (_types, onProgress) => {
        onProgress?.(2, 2);
        return Promise.resolve({
          items: [
            {
              collection: 'plans',
              itemId: 'p1',
              type: 'plan',
              plaintext: bytes('{"title":"Mine"}'),
              revision: 2,
              pending: false,
              conflicted: true,
            },
            {
              collection: 'files',
              itemId: 'f1',
              type: 'blob',
              plaintext: new Uint8Array([0, 1, 255]),
              revision: 1,
              pending: true,
              conflicted: false,
            },
          ],
          failures: [{ collection: 'x', itemId: 'x1', type: null, error: 'unknown_type' }],
        });
      },
      conflicts: () =>
        Promise.resolve([
          {
            id: 1,
            collection: 'plans',
            itemId: 'p1',
            type: 'plan',
            mine: { ok: true, value: bytes('{"title":"Here"}') },
            theirs: { ok: false, error: 'auth_failed' },
            theirRevision: 2,
            theirUpdatedAt: '2026-01-01T00:00:00.000Z',
            createdAt: '2026-01-01T00:00:00.000Z',
          },
        ]),
    };
    const progress: number[] = [];
    const data = await buildExport(
      fake,
      { handle: 'ada', email: null, createdAt: 'c', fingerprint: 'f' },
      (done) => progress.push(done),
      () => new Date('2026-11-24T12:00:00.000Z'),
    );
    expect(progress).toEqual([2]);
    expect(data).toEqual({
      format: 'tend-export',
      version: 1,
      exportedAt: '2026-11-24T12:00:00.000Z',
      account: { handle: 'ada', email: null, createdAt: 'c', fingerprint: 'f' },
      items: [
        {
          collection: 'plans',
          type: 'plan',
          itemId: 'p1',
          revision: 2,
          pending: false,
          content: { title: 'Mine' },
        },
        {
          collection: 'files',
          type: 'blob',
          itemId: 'f1',
          revision: 1,
          pending: true,
          content: { base64url: 'AAH_' },
        },
      ],
      conflicts: [
        {
          collection: 'plans',
          type: 'plan',
          itemId: 'p1',
          createdAt: '2026-01-01T00:00:00.000Z',
          mine: { content: { title: 'Here' } },
          theirs: { revision: 2, error: 'auth_failed' },
        },
      ],
      failures: [{ collection: 'x', itemId: 'x1', type: null, error: 'unknown_type' }],
    });
    expect(exportContent(null)).toBeNull();
    expect(exportFileName('a.b/c', new Date('2026-11-24T12:00:00Z'))).toBe(
      'tend-export-a_b_c-2026-11-24.json',
    );
  });
});
