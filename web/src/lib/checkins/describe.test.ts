import { describe as group, expect, it } from 'vitest';
import { describe } from '../vault/describe';
import { registerCheckinDescribers } from './describe';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

group('check-in items on the conflict and export pages', () => {
  registerCheckinDescribers();

  it('shows a check-in by its moment, values and note', () => {
    expect(
      describe(
        'checkin',
        bytes({
          at: '2026-11-24T08:00:00Z',
          values: { sleepHours: 6.5, walked: true, did: ['garden', 'bus'] },
          note: 'slow start',
        }),
      ),
    ).toEqual({
      title: 'Check-in 2026-11-24T08:00:00Z',
      text: 'sleepHours: 6.5\nwalked: yes\ndid: garden, bus\nslow start',
    });
  });

  it('shows a journal entry with its content warning in the title', () => {
    expect(
      describe(
        'checkin.journal',
        bytes({ at: '2026-11-24T08:00:00Z', body: 'A hard *day*', contentWarning: 'grief' }),
      ),
    ).toEqual({ title: 'Journal 2026-11-24T08:00:00Z (grief)', text: 'A hard *day*' });
  });

  it('shows trackers, experiments and watched patterns in words', () => {
    expect(
      describe(
        'checkin.tracker',
        bytes({ name: 'Sleep', kind: 'number', unit: 'hours', archived: true }),
      ),
    ).toEqual({ title: 'Sleep', text: 'number · hours · archived' });
    expect(
      describe(
        'checkin.experiment',
        bytes({ title: 'Walk daily', startsOn: '2026-11-01', days: 14 }),
      ),
    ).toEqual({ title: 'Walk daily', text: 'From 2026-11-01 for 14 days' });
    expect(
      describe('checkin.watch', bytes({ label: 'Short sleep', steps: ['Call Sam', 'Rest'] })),
    ).toEqual({ title: 'Short sleep', text: '- Call Sam\n- Rest' });
  });
});
