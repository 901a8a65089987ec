import { describe, expect, it } from 'vitest';
import { checkCreate, emptyForm, randomSlug, slugFromName, splitList } from './form';

const filled = () => ({
  ...emptyForm('en'),
  name: 'Hearing Voices Leeds',
  slug: 'hearing-voices-leeds',
  description: 'A peer group for people who hear voices.',
  topics: 'Hearing voices, grief,  hearing VOICES',
  languages: 'en, pt-BR',
  joinQuestions: 'What brings you here?\n\n  Anything we should know?  ',
  agreement: '- What is said here stays here.',
});

describe('the start-a-group form', () => {
  it('splits lists by commas and lines, without empties or repeats', () => {
    expect(splitList('a, b,\n c ,, B')).toEqual(['a', 'b', 'c']);
    expect(splitList('one, two\nthree', /\n/)).toEqual(['one, two', 'three']);
    expect(splitList('')).toEqual([]);
  });

  it('suggests a slug from the name, or none when too little is left', () => {
    expect(slugFromName('Hearing Voices — Leeds!')).toBe('hearing-voices-leeds');
    expect(slugFromName('Café Ümlaut')).toBe('cafe-umlaut');
    expect(slugFromName('!!')).toBe('');
    expect(slugFromName('x'.repeat(60))).toHaveLength(48);
  });

  it('makes random slugs the server accepts', () => {
    expect(randomSlug(() => new Uint8Array([0, 1, 2, 171, 205, 239]))).toBe('group-000102abcdef');
    expect(randomSlug()).toMatch(/^group-[0-9a-f]{12}$/);
  });

  it('turns a filled form into the server input', () => {
    const r = checkCreate(filled(), 'AAAAAAAAAAAAAAAAAAAAAA');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.topics).toEqual(['hearing voices', 'grief']);
    expect(r.value.languages).toEqual(['en', 'pt-br']);
    expect(r.value.joinQuestions).toEqual(['What brings you here?', 'Anything we should know?']);
    expect(r.value.area).toBeNull();
  });

  it('ties each problem to its field', () => {
    const r = checkCreate(
      { ...filled(), name: '  ', slug: 'No Spaces', languages: '', agreement: '' },
      'AAAAAAAAAAAAAAAAAAAAAA',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.problems).sort()).toEqual(['agreement', 'languages', 'name', 'slug']);
    expect(r.problems.slug).toBe('groups.form.problems.slug');
  });
});
