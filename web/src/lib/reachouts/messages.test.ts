// The reach-out words that count minutes read right for one minute as well as for many.
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import en from './messages/en.json';

const format = (message: string, values: Record<string, string | number>) =>
  new IntlMessageFormat(message, 'en').format(values);

describe('minutes in the reach-out words', () => {
  it.each([
    [1, 'If nobody answers in 1 minute, also reach Sol.'],
    [15, 'If nobody answers in 15 minutes, also reach Sol.'],
  ])('the escalation choice, after %i', (minutes, said) => {
    expect(format(en.reachouts.send.escalation, { minutes, names: 'Sol' })).toBe(said);
  });

  it.each([
    [1, 'On the way — about 1 minute'],
    [20, 'On the way — about 20 minutes'],
  ])('on the way, in %i', (minutes, said) => {
    expect(format(en.reachouts.mine.onMyWay, { minutes })).toBe(said);
  });

  it.each([
    [1, 'about 1 minute.'],
    [42, 'about 42 minutes.'],
  ])('the hourly limit, %i to wait', (minutes, said) => {
    expect(format(en.reachouts.send.rateLimited, { minutes })).toContain(said);
  });
});
