import { describe, expect, it } from 'vitest';
import { createKeySequence } from './sequence';

describe('createKeySequence (Escape twice)', () => {
  it('fires on two Escapes within a second', () => {
    const seq = createKeySequence();
    expect(seq.press('Escape', 1000)).toBe(false);
    expect(seq.press('Escape', 1900)).toBe(true);
  });

  it('fires at exactly the window edge', () => {
    const seq = createKeySequence();
    seq.press('Escape', 0);
    expect(seq.press('Escape', 1000)).toBe(true);
  });

  it('does not fire when the presses are too far apart', () => {
    const seq = createKeySequence();
    seq.press('Escape', 0);
    expect(seq.press('Escape', 1001)).toBe(false);
    // …but the second press starts a new window.
    expect(seq.press('Escape', 1500)).toBe(true);
  });

  it('another key in between breaks the sequence', () => {
    const seq = createKeySequence();
    seq.press('Escape', 0);
    expect(seq.press('a', 100)).toBe(false);
    expect(seq.press('Escape', 200)).toBe(false);
    expect(seq.press('Escape', 300)).toBe(true);
  });

  it('starts over after firing', () => {
    const seq = createKeySequence();
    seq.press('Escape', 0);
    expect(seq.press('Escape', 10)).toBe(true);
    expect(seq.press('Escape', 20)).toBe(false);
    expect(seq.press('Escape', 30)).toBe(true);
  });

  it('reset forgets earlier presses', () => {
    const seq = createKeySequence();
    seq.press('Escape', 0);
    seq.reset();
    expect(seq.press('Escape', 10)).toBe(false);
  });

  it('ignores a clock that goes backwards', () => {
    const seq = createKeySequence();
    seq.press('Escape', 5000);
    expect(seq.press('Escape', 100)).toBe(false);
  });

  it('supports other keys, counts and windows', () => {
    const seq = createKeySequence({ key: 'q', presses: 3, withinMs: 500 });
    expect(seq.press('q', 0)).toBe(false);
    expect(seq.press('q', 200)).toBe(false);
    expect(seq.press('q', 400)).toBe(true);
    seq.press('q', 1000);
    seq.press('q', 1200);
    expect(seq.press('q', 1600)).toBe(false);
    expect(seq.press('Q', 1601)).toBe(false);
  });
});
