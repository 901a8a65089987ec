import { describe, expect, it } from 'vitest';
import { addDays, dayTable } from './days.js';
import { experimentResult, insights } from './insights.js';
import type { Tracker } from './schema.js';
import {
  ASSOCIATION_NOTE_EN,
  MANY_COMPARISONS_EN,
  describeExperimentEn,
  describeInsightEn,
} from './words.js';

const T0 = '2026-01-01T00:00:00.000Z';
const t = (id: string, kind: Tracker['kind']): Tracker => ({
  v: 1,
  id,
  name: id,
  kind,
  archived: false,
  createdAt: T0,
  updatedAt: T0,
  ...(kind === 'scale' ? { scale: { min: 1, max: 5 as const } } : {}),
});
const trackers = [t('energy', 'scale'), t('walk', 'yesno'), t('sleep', 'number')];
const rows = [4, 5, 4, 5, 4, 5, 4, 2, 3, 2, 3, 2, 3, 2].map((e, i) => ({
  date: addDays('2026-01-01', i),
  values: { energy: e, walk: i < 7, sleep: (i * 7) % 5 },
}));
const table = dayTable(rows, trackers);
const report = insights(table, trackers, 'energy');
if (!report.ok) throw new Error('report');

const forbidden =
  /diagnos|symptom|dsm|disorder|score|patient|illness|streak|caus(e|ed|es) |improv|helps/i;

describe('English words', () => {
  const sentences = [
    ASSOCIATION_NOTE_EN.replace('not what caused what', ''),
    MANY_COMPARISONS_EN,
    ...report.value.insights.map((i) =>
      describeInsightEn(i, { thing: i.trackerId, outcome: 'energy' }),
    ),
    describeExperimentEn(
      experimentResult(
        {
          tries: { trackerId: 'walk' },
          startsOn: '2026-01-08',
          days: 7,
          outcomeTrackerId: 'energy',
        },
        table,
        '2026-02-01',
      ),
      'energy',
    ),
  ];

  it('say what went together, with the days behind it, and never a cause', () => {
    expect(sentences[2]).toBe(
      'On days with walk, energy was higher by 2.0 on average (likely between 1.4 and 2.6; 7 days with walk, 7 days without).',
    );
    expect(sentences[3]).toBe(
      'Not enough days yet to compare (7 days with walk, 6 days without; 7 of each are needed).',
    );
    expect(sentences.at(-1)).toContain('lower by 2.0 on average than in the days before');
    for (const s of sentences) expect(s).not.toMatch(forbidden);
    expect(ASSOCIATION_NOTE_EN).toContain('not what caused what');
  });
});
