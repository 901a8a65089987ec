import { describe, expect, it } from 'vitest';
import { searchQuerySchema } from '$core/resources/api';
import { roundNear, searchQuery } from './api';

describe('searchQuery', () => {
  it('sends lists comma-separated and leaves out empty, unset and false values', () => {
    expect(
      searchQuery({
        q: 'peer line',
        kind: ['peer-line', 'warmline'],
        language: [],
        openNow: true,
        fresh: false,
        withinKm: 25,
        near: '',
      }),
    ).toEqual({ q: 'peer line', kind: 'peer-line,warmline', openNow: 'true', withinKm: '25' });
  });

  it('writes what the server’s schema reads back as the same search', () => {
    const sent = searchQuery({ kind: ['peer-line'], crisis: ['no-police'], openNow: true });
    const read = searchQuerySchema.parse(sent);
    expect(read.kind).toEqual(['peer-line']);
    expect(read.crisis).toEqual(['no-police']);
    expect(read.openNow).toBe(true);
  });
});

describe('roundNear', () => {
  it('rounds a position to 0.01° before it leaves the device, as the server requires', () => {
    expect(roundNear(51.507351, -0.127758)).toBe('51.51,-0.13');
    expect(roundNear(-33.8688, 151.2093)).toBe('-33.87,151.21');
    expect(() => searchQuerySchema.parse({ near: roundNear(51.507351, -0.127758) })).not.toThrow();
  });
});
