import { describe, expect, it } from 'vitest';
import { clinicalWordsIn } from '$core/test-support/clinical-words';
import en from '../messages/en.json';

describe('circle page words', () => {
  it('are plain: no clinical words, ranks, streaks, scores or guilt', () => {
    expect(clinicalWordsIn(en)).toEqual([]);
    const all = JSON.stringify(en).toLowerCase();
    for (const word of ['streak', 'score', 'rank', 'you must', 'hurry', 'urgent', 'failed to']) {
      expect(all).not.toContain(word);
    }
  });

  it('name every offer kind, ring and reach-out level the pages show', async () => {
    const { OFFER_KINDS, RINGS } = await import('$core/circles/items');
    const { REACHOUT_LEVELS } = await import('$core/circles/api');
    expect(Object.keys(en.circles.offers).sort()).toEqual([...OFFER_KINDS].sort());
    expect(Object.keys(en.circles.rings).sort()).toEqual([...RINGS].sort());
    expect(Object.keys(en.circles.ringShort).sort()).toEqual([...RINGS].sort());
    expect(Object.keys(en.circles.invite.level).sort()).toEqual([...REACHOUT_LEVELS].sort());
  });

  it('name every daily colour', async () => {
    const { DAILY_COLOURS } = await import('$core/circles/items');
    expect(Object.keys(en.circles.settings.colour).sort()).toEqual([...DAILY_COLOURS].sort());
  });
});
