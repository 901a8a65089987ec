import { describe, expect, it } from 'vitest';
import { diffResources } from '$core/resources/diff';
import type { ResourceContent } from '$core/resources/api';
import { sampleResource } from '$core/resources/test-support/sample';
import { changeViews, parsePath, pathWords, valueWords, type Translate } from './diff-view';
import en from './messages/en.json';
import shared from '../messages/en.json';

function content(): ResourceContent {
  const { id: _id, ...c } = sampleResource();
  return c;
}

/** A stand-in translator that reads the real English words and fills {placeholders}. */
const t: Translate = (id, values = {}) => {
  const look = (tree: unknown): unknown =>
    id.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], tree);
  const found = look(en) ?? look(shared);
  if (typeof found !== 'string') return `?${id}`;
  return found.replace(/\{(\w+)\}/g, (_m, k: string) => values[k] ?? '');
};

describe('a change in words', () => {
  it('reads paths with ids', () => {
    expect(parsePath('phones[id=abc].number')).toEqual({
      tokens: [
        { name: 'phones', id: 'abc' },
        { name: 'number', id: null },
      ],
      order: false,
    });
    expect(parsePath('hours.weekly#order').order).toBe(true);
  });

  it('names a phone by its number, an opening by its days and a fact by its question', () => {
    const before = content();
    const after = content();
    after.phones[0] = { ...after.phones[0]!, number: '01632 960999' };
    after.hours = {
      ...after.hours!,
      weekly: [{ ...after.hours!.weekly[0]!, closesAt: '03:00', days: ['MO', 'TU'] }],
    };
    after.crisis.facts.tracesCalls = { ...after.crisis.facts.tracesCalls, note: 'Never' };
    const views = changeViews(diffResources(before, after), t, after, before);
    const where = views.map((v) => v.where);
    expect(where).toContain('Phone 01632 960999: number');
    expect(where).toContain('Opening hours: Opening Monday, Tuesday 18:00–03:00: closes');
    expect(where).toContain('Traces calls or messages?: note');
    expect(views.every((v) => !v.where.includes('?resources'))).toBe(true);
  });

  it('words values: kinds, status, fact answers and empty', () => {
    expect(valueWords(['peer-line', 'own-kind'], t, 'kinds')).toBe('Peer line, own-kind');
    expect(valueWords('temporarily closed', t, 'status')).toBe('Temporarily closed');
    expect(valueWords('unknown', t, 'crisis.facts.tracesCalls.value')).toBe('Not known');
    expect(valueWords(null, t, 'email')).toBe('');
    expect(valueWords(51.49, t, 'locations[id=x].lat')).toBe('51.49');
  });

  it('every top-level field has words', () => {
    for (const key of Object.keys(content())) {
      expect(pathWords(key, t, content(), null)).not.toMatch(/^\?/);
    }
  });
});
