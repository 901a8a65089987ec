import { describe as group, expect, it } from 'vitest';
import { describe } from '../vault/describe';
import { registerPlanDescribers } from './describe';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

group('plan items on the conflict and export pages', () => {
  registerPlanDescribers();

  it('shows a section by its title and words', () => {
    expect(
      describe('plan.section', bytes({ title: 'What helps', kind: 'text', body: 'Tea, quiet' })),
    ).toEqual({ title: 'What helps', text: 'Tea, quiet' });
    expect(
      describe(
        'plan.section',
        bytes({
          title: 'People',
          kind: 'people',
          entries: [{ id: 'e1', name: 'Sam', reach: '0123', role: '', involve: 'yes' }],
        }),
      ),
    ).toEqual({ title: 'People', text: '- Sam · 0123' });
    expect(
      describe(
        'plan.section',
        bytes({
          title: 'Who',
          kind: 'people',
          entries: [{ id: 'e1', name: 'Jo', reach: '', role: '', involve: 'no' }],
        }),
      ).text,
    ).toBe('- Jo · must not be involved');
  });

  it('shows a plan and a version; anything unreadable falls back without throwing', () => {
    expect(describe('plan', bytes({ title: 'Crisis plan', sectionIds: ['a', 'b'] }))).toEqual({
      title: 'Crisis plan',
      text: '2 sections',
    });
    const version = describe(
      'plan.version',
      bytes({
        savedAt: '2026-11-24T10:00:00.000Z',
        snapshot: { plan: { title: 'P' }, sections: [{ title: 'S', body: 'words' }] },
      }),
    );
    expect(version.title).toBe('P (2026-11-24T10:00:00.000Z)');
    expect(version.text).toBe('## S\nwords');
    expect(describe('plan.section', new Uint8Array([0xff, 0xfe])).title).toBe('');
  });
});
