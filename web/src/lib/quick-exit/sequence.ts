/**
 * Recognises the quick-exit shortcut: the Escape key pressed twice within a short time.
 * Pure and time-injected so it can be tested without a browser.
 */

export interface KeySequenceOptions {
  /** The key to watch, as in KeyboardEvent.key. Default "Escape". */
  key?: string;
  /** How many presses in a row. Default 2. */
  presses?: number;
  /** Longest time from the first to the last press, in milliseconds. Default 1000. */
  withinMs?: number;
}

export interface KeySequence {
  /** Feed one keydown (its `key` and a timestamp in ms); true when the sequence completes. */
  press(key: string, at: number): boolean;
  /** Forget presses seen so far. */
  reset(): void;
}

export function createKeySequence(options: KeySequenceOptions = {}): KeySequence {
  const key = options.key ?? 'Escape';
  const presses = Math.max(1, options.presses ?? 2);
  const withinMs = options.withinMs ?? 1000;
  let times: number[] = [];

  return {
    press(pressed, at) {
      if (pressed !== key) {
        times = [];
        return false;
      }
      times = [...times, at].filter((t) => at - t <= withinMs && t <= at).slice(-presses);
      if (times.length >= presses) {
        times = [];
        return true;
      }
      return false;
    },
    reset() {
      times = [];
    },
  };
}
