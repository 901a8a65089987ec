import { describe, expect, it } from 'vitest';
import { searchQuery } from '../api';
import { emptyFilters, filtersFromQuery, filtersToQuery, languageCodes, toSearch } from './query';

describe('the find page’s query', () => {
  it('round-trips through the URL, leaving out what is not set and what is unknown', () => {
    const f = {
      ...emptyFilters(),
      q: ' peer line ',
      kind: ['peer-line'],
      reach: ['call', 'text'],
      openNow: true,
      crisis: ['no-police'],
      language: 'EN, cy,  x!',
    };
    const q = filtersToQuery(f);
    expect(q.toString()).toBe(
      'q=peer+line&kind=peer-line&reach=call%2Ctext&language=en%2Ccy&openNow=true&crisis=no-police',
    );
    expect(filtersFromQuery(q)).toEqual({ ...f, q: 'peer line', language: 'en, cy' });
    expect(
      filtersFromQuery(new URLSearchParams('reach=call,fly&crisis=no-fun&withinKm=7')),
    ).toEqual({ ...emptyFilters(), reach: ['call'] });
    expect(filtersToQuery(emptyFilters()).toString()).toBe('');
  });

  it('sends the position only when chosen, never from the URL', () => {
    expect(filtersFromQuery(new URLSearchParams('near=51.5,-2.6'))).toEqual(emptyFilters());
    const f = { ...emptyFilters(), withinKm: 25 };
    expect(searchQuery(toSearch(f, null))).toEqual({});
    expect(searchQuery(toSearch(f, '51.50,-2.60', 'c1'))).toEqual({
      near: '51.50,-2.60',
      withinKm: '25',
      cursor: 'c1',
    });
    expect(languageCodes('bsl pt-BR, en,en')).toEqual(['bsl', 'pt-br', 'en']);
  });
});
