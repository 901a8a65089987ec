import { describe, expect, it } from 'vitest';
import { sampleResource } from '$core/resources/test-support/sample';
import { openWords } from './open-state';

const hours = sampleResource().hours;

describe('open state in words', () => {
  it('says open until the closing, in the viewer’s zone and the place’s when they differ', () => {
    // 2026-11-24 20:00 London (GMT): open 18:00–02:00.
    const at = Date.parse('2026-11-24T20:00:00Z');
    expect(openWords(hours, at, 'en-GB', 'Europe/London')).toEqual({
      id: 'resources.open.openUntil',
      values: { time: '02:00' },
      open: true,
    });
    const ny = openWords(hours, at, 'en-GB', 'America/New_York');
    expect(ny.id).toBe('resources.open.openUntilZones');
    expect(ny.values).toEqual({ place: '02:00', mine: '21:00', zone: 'Europe/London' });
  });

  it('says when it opens, unknown hours are never open', () => {
    const at = Date.parse('2026-11-24T12:00:00Z');
    expect(openWords(hours, at, 'en-GB', 'Europe/London')).toEqual({
      id: 'resources.open.opensAt',
      values: { time: '18:00' },
      open: false,
    });
    expect(openWords(null, at, 'en-GB')).toEqual({ id: 'resources.open.unknown', open: null });
    const always = {
      timeZone: 'Europe/London',
      weekly: [
        {
          id: '33333333-4444-4555-8666-777777777777',
          days: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const,
          opensAt: '00:00',
          closesAt: '24:00',
          validFrom: null,
          validTo: null,
        },
      ],
      closures: [],
      note: null,
    };
    expect(
      openWords(
        { ...always, weekly: [{ ...always.weekly[0]!, days: [...always.weekly[0]!.days] }] },
        at,
        'en-GB',
      ).id,
    ).toBe('resources.open.openAllWeek');
  });
});
