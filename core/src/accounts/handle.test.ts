import { describe, expect, it } from 'vitest';
import { handleSchema, normaliseHandle } from './handle.js';

describe('handles', () => {
  it('normalise case, width of composed characters and surrounding space', () => {
    expect(normaliseHandle('  River.Song ')).toBe('river.song');
    expect(normaliseHandle('A\u030A')).toBe('\u00e5');
  });

  it.each(['abc', 'sam_2', 'a.b-c', 'x'.repeat(32), 'Mixed.Case'])('accepts %s', (h) => {
    expect(handleSchema.safeParse(h).success).toBe(true);
  });

  it.each(['ab', '.abc', 'abc-', 'x'.repeat(33), 'with space', 'émile', 'a/b', '', '<script>'])(
    'refuses %s',
    (h) => {
      expect(handleSchema.safeParse(h).success).toBe(false);
    },
  );
});
