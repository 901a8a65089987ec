import { describe, expect, it } from 'vitest';
import { filtersFromQuery, filtersToQuery, hasFilters, NO_FILTERS, toBrowseQuery } from './filters';

describe('group filters and the URL query', () => {
  it('round-trips every filter through the query', () => {
    const filters = {
      q: 'hearing voices',
      topic: 'grief',
      language: 'pt-BR',
      format: 'in-person' as const,
      area: 'Leeds',
    };
    const query = filtersToQuery(filters);
    expect(query.toString()).toBe(
      'q=hearing+voices&topic=grief&language=pt-BR&format=in-person&area=Leeds',
    );
    expect(filtersFromQuery(query)).toEqual(filters);
  });

  it('leaves out empty filters and reads a missing one as empty', () => {
    expect(filtersToQuery({ ...NO_FILTERS, q: '  ', format: 'online' }).toString()).toBe(
      'format=online',
    );
    expect(filtersFromQuery(new URLSearchParams('format=online'))).toEqual({
      ...NO_FILTERS,
      format: 'online',
    });
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, area: 'Leeds' })).toBe(true);
  });

  it('drops values the server would refuse instead of failing', () => {
    const f = filtersFromQuery(
      new URLSearchParams({ format: 'hybrid', language: 'english please', q: 'x'.repeat(500) }),
    );
    expect(f.format).toBe('');
    expect(f.language).toBe('');
    expect(f.q).toHaveLength(200);
  });

  it('makes the browse query the server compares (lower-case language and topic)', () => {
    expect(
      toBrowseQuery({ ...NO_FILTERS, topic: 'Hearing  Voices', language: 'PT-br' }, 'abc'),
    ).toEqual({ topic: 'hearing voices', language: 'pt-br', cursor: 'abc' });
    expect(toBrowseQuery(NO_FILTERS)).toEqual({});
  });
});
