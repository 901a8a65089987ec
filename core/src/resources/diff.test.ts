import { describe, expect, it } from 'vitest';
import type { ResourceContent } from './api.js';
import { diffResources, rebaseSuggestion } from './diff.js';
import { sampleResource } from './test-support/sample.js';

function content(): ResourceContent {
  const { id: _id, ...c } = sampleResource();
  return c;
}

describe('diffResources', () => {
  it('nothing changed is no change', () => {
    expect(diffResources(content(), content())).toEqual([]);
  });

  it('a changed number is one change at the phone’s id, and text changes word by word', () => {
    const after = content();
    after.phones = after.phones.map((p, i) => (i === 0 ? { ...p, number: '01632 960999' } : p));
    after.description = 'A phone line run by people with lived experience.\nA short wait.';
    const changes = diffResources(content(), after);
    expect(changes.map((c) => [c.path, c.change])).toEqual([
      ['description', 'changed'],
      ['phones[id=11111111-2222-4333-8444-555555555555].number', 'changed'],
    ]);
    const words = changes[0]!.words!;
    expect(
      words
        .filter((w) => w.op === 'removed')
        .map((w) => w.text)
        .join(''),
    ).toMatch(/waiting/);
    expect(
      words
        .filter((w) => w.op === 'added')
        .map((w) => w.text)
        .join(''),
    ).toMatch(/short/);
    expect(
      words
        .filter((w) => w.op === 'same')
        .map((w) => w.text)
        .join(''),
    ).toMatch(/lived experience/);
  });

  it('a crisis fact that changed from unknown to no says so, with its check', () => {
    const after = content();
    after.crisis = {
      ...after.crisis,
      facts: {
        ...after.crisis.facts,
        involuntaryHold: {
          value: 'no',
          check: { checkedOn: '2026-11-01', checkedBy: 'Ana', source: 'Their website' },
          note: null,
        },
      },
    };
    const paths = diffResources(content(), after).map((c) => `${c.path} ${c.change}`);
    expect(paths).toEqual([
      'crisis.facts.involuntaryHold.value changed',
      'crisis.facts.involuntaryHold.check.checkedOn added',
      'crisis.facts.involuntaryHold.check.checkedBy added',
      'crisis.facts.involuntaryHold.check.source added',
    ]);
  });

  it('a removed phone, a reordered list, and a new resource', () => {
    const fewer = content();
    fewer.phones = fewer.phones.slice(0, 1);
    expect(diffResources(content(), fewer).every((c) => c.change === 'removed')).toBe(true);
    const swapped = content();
    swapped.phones = [...swapped.phones].reverse();
    expect(diffResources(content(), swapped).map((c) => c.path)).toEqual(['phones#order']);
    const created = diffResources(null, content());
    expect(created.every((c) => c.change === 'added')).toBe(true);
    expect(created.map((c) => c.path)).toContain('name');
  });
});

describe('rebaseSuggestion', () => {
  it('keeps what changed since, takes what the suggestion changed, and names conflicts', () => {
    const base = content();
    const suggested = { ...base, name: 'Riverton Night Line', url: null };
    const current = { ...base, email: null, url: 'https://riverton.example/new' };
    const r = rebaseSuggestion(base, suggested, current);
    expect(r.content).toEqual({ ...current, name: 'Riverton Night Line', url: null });
    expect(r.conflicts).toEqual(['url']);
  });
});
