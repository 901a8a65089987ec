import { describe, expect, it } from 'vitest';
import type { AskWire } from './api';
import {
  emptyWindowForm,
  errorKey,
  formFromWindow,
  fromLocalInput,
  localInput,
  mayEnd,
  mayWithdraw,
  nextChange,
  sortAsks,
  splitLanguages,
  windowInput,
} from './view';

const NOW = new Date(2026, 10, 25, 20, 15);
const HOUR = 3_600_000;

const ask = (over: Partial<AskWire>): AskWire => ({
  id: 'a',
  role: 'asker',
  status: 'open',
  topics: [],
  languages: [],
  createdAt: '2026-11-25T20:00:00.000Z',
  expiresAt: '2026-11-25T20:30:00.000Z',
  conversationId: null,
  other: null,
  ...over,
});

describe('the listening window form', () => {
  it('starts now and lasts two hours, just talking, in the reader language', () => {
    const form = emptyWindowForm(NOW, 'en');
    expect(form).toEqual({
      from: '2026-11-25T20:15',
      until: '2026-11-25T22:15',
      topics: ['just-talk'],
      languages: 'en',
      words: '',
    });
    const input = windowInput(form, NOW);
    expect(input.ok).toBe(true);
    if (!input.ok) return;
    expect(new Date(input.value.until).getTime() - new Date(input.value.from).getTime()).toBe(
      2 * HOUR,
    );
    expect(input.value.from).toBe(NOW.toISOString());
    expect(input.value.languages).toEqual(['en']);
  });

  it('reads datetime-local values in the device zone and refuses anything else', () => {
    expect(fromLocalInput(localInput(NOW))?.getTime()).toBe(NOW.getTime());
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('tomorrow')).toBeNull();
  });

  it('ties each problem to its field', () => {
    const base = emptyWindowForm(NOW, 'en');
    const problems = (over: Partial<typeof base>, now = NOW) => {
      const r = windowInput({ ...base, ...over }, now);
      return r.ok ? {} : r.problems;
    };
    expect(problems({ from: '' })).toEqual({ from: 'listen.window.errors.from' });
    expect(problems({ until: base.from })).toEqual({ until: 'listen.window.errors.order' });
    expect(problems({ until: localInput(new Date(NOW.getTime() + 13 * HOUR)) })).toEqual({
      until: 'listen.window.errors.tooLong',
    });
    expect(problems({}, new Date(NOW.getTime() + 3 * HOUR))).toEqual({
      until: 'listen.window.errors.over',
    });
    expect(problems({ languages: 'english please' })).toEqual({
      languages: 'listen.window.errors.languages',
    });
    expect(problems({ words: 'x'.repeat(301) })).toEqual({ words: 'listen.window.errors.words' });
    // Exactly twelve hours is allowed.
    expect(problems({ until: localInput(new Date(NOW.getTime() + 12 * HOUR)) })).toEqual({});
  });

  it('splits languages without empties or repeats, and reads a window back', () => {
    expect(splitLanguages(' en, pt-BR,, EN  es ')).toEqual(['en', 'pt-BR', 'es']);
    const form = formFromWindow({
      from: NOW.toISOString(),
      until: new Date(NOW.getTime() + HOUR).toISOString(),
      topics: ['grief', 'just-talk', 'not-a-topic'],
      languages: ['en', 'es'],
      words: 'happy to sit with you',
    });
    expect(form).toEqual({
      from: '2026-11-25T20:15',
      until: '2026-11-25T21:15',
      topics: ['just-talk', 'grief'],
      languages: 'en, es',
      words: 'happy to sit with you',
    });
  });
});

describe('asks as the page shows them', () => {
  it('sorts mine, offers, talks and ended ones; offers show only open asks', () => {
    const other = { accountId: 'b', handle: 'ben', words: null, publicKeyBundle: null };
    const s = sortAsks([
      ask({ id: 'old', status: 'expired', createdAt: '2026-11-25T19:00:00.000Z' }),
      ask({ id: 'mine', status: 'open' }),
      ask({ id: 'offer', role: 'candidate' }),
      ask({ id: 'gone', role: 'candidate', status: 'taken' }),
      ask({ id: 'talk', role: 'listener', status: 'talking', other }),
      ask({ id: 'done', role: 'listener', status: 'ended', other }),
      ask({ id: 'wd', role: 'asker', status: 'withdrawn', createdAt: '2026-11-25T18:00:00.000Z' }),
    ]);
    expect(s.mine?.id).toBe('mine');
    expect(s.lastUnmet).toBeNull();
    expect(s.offers.map((a) => a.id)).toEqual(['offer']);
    expect(s.listening.map((a) => a.id)).toEqual(['talk']);
    expect(s.ended.map((a) => a.id)).toEqual(['done']);
  });

  it('says nobody was free only when my newest ask expired', () => {
    expect(sortAsks([ask({ status: 'expired' })]).lastUnmet?.id).toBe('a');
    expect(sortAsks([ask({ status: 'withdrawn' })]).lastUnmet).toBeNull();
    expect(
      sortAsks([
        ask({ id: 'x', status: 'expired', createdAt: '2026-11-25T19:00:00.000Z' }),
        ask({ id: 'y', status: 'withdrawn' }),
      ]).lastUnmet,
    ).toBeNull();
  });

  it('lets the asker withdraw before the talk opens, and either end it once someone is there', () => {
    expect(mayWithdraw(ask({ status: 'open' }))).toBe(true);
    expect(mayWithdraw(ask({ status: 'accepted' }))).toBe(true);
    expect(mayWithdraw(ask({ status: 'talking' }))).toBe(false);
    expect(mayWithdraw(ask({ role: 'listener', status: 'accepted' }))).toBe(false);
    expect(mayEnd(ask({ status: 'open' }))).toBe(false);
    expect(mayEnd(ask({ role: 'listener', status: 'talking' }))).toBe(true);
    expect(mayEnd(ask({ role: 'candidate', status: 'taken' }))).toBe(false);
  });

  it('reads again just after the next ask or window ends by itself', () => {
    const now = Date.parse('2026-11-25T20:10:00.000Z');
    const w = { from: '2026-11-25T20:00:00.000Z', until: '2026-11-25T22:00:00.000Z' };
    expect(nextChange([ask({})], w, now)).toBe(Date.parse('2026-11-25T20:30:01.000Z'));
    expect(nextChange([ask({ status: 'talking' })], w, now)).toBe(
      Date.parse('2026-11-25T22:00:01.000Z'),
    );
    expect(nextChange([], null, now)).toBeNull();
  });
});

describe('words for failures', () => {
  it('has a calm sentence for each known code and one for anything else', () => {
    expect(errorKey({ code: 'taken' })).toBe('listen.errors.taken');
    expect(errorKey({ code: 'not_a_group_member' })).toBe('listen.errors.not_a_group_member');
    expect(errorKey({ code: 'http_502' })).toBe('listen.errors.other');
  });
});
