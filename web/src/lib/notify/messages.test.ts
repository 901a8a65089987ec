import { describe, expect, it } from 'vitest';
import { clinicalWordsIn } from '$core/test-support/clinical-words';
import en from './messages/en.json';

describe('notification words', () => {
  it('are plain: no clinical words, streaks, scores or guilt', () => {
    expect(clinicalWordsIn(en)).toEqual([]);
    const all = JSON.stringify(en).toLowerCase();
    for (const word of ['streak', 'missed', 'you must', 'hurry', 'urgent']) {
      expect(all).not.toContain(word);
    }
  });
});
