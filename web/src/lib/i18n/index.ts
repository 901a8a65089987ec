/**
 * Interface language. English ships inside the app (loaded synchronously, so there is never a
 * flash of message ids); every other `<code>.json` beside this file becomes a language that is
 * loaded on demand. Adding a language = adding one JSON file with the same keys as en.json.
 */
import {
  addMessages,
  getLocaleFromNavigator,
  init,
  locale,
  register,
  waitLocale,
} from 'svelte-i18n';
import { derived } from 'svelte/store';
import en from './en.json';
import { createFormatters, type Formatters } from './format';
import { formattingLocale, pickLocale, textDirection } from './locale';

export const DEFAULT_LOCALE = 'en';

type Messages = Parameters<typeof addMessages>[1];

const lazy = import.meta.glob<Messages>(['./*.json', '!./en.json'], { import: 'default' });
const codeOf = (path: string) => path.replace(/^\.\//, '').replace(/\.json$/, '');

/** Every language Tend has messages for. */
export const AVAILABLE_LOCALES: readonly string[] = [
  DEFAULT_LOCALE,
  ...Object.keys(lazy).map(codeOf),
];

addMessages(DEFAULT_LOCALE, en);
for (const [path, load] of Object.entries(lazy)) register(codeOf(path), load);

function preferredLanguages(): string[] {
  if (typeof navigator === 'undefined') return [];
  const first = getLocaleFromNavigator();
  return [...(first ? [first] : []), ...navigator.languages];
}

let started: Promise<void> | undefined;

/** Chooses the language from the browser's preferences and waits for its messages. */
export function setupI18n(): Promise<void> {
  if (!started) {
    const chosen = pickLocale(preferredLanguages(), AVAILABLE_LOCALES, DEFAULT_LOCALE);
    void init({ fallbackLocale: DEFAULT_LOCALE, initialLocale: chosen });
    started = waitLocale(chosen);
  }
  return started;
}

/** The active interface language, always one of AVAILABLE_LOCALES. */
export const activeLocale = derived(locale, ($locale) =>
  pickLocale([$locale], AVAILABLE_LOCALES, DEFAULT_LOCALE),
);

/** `ltr` or `rtl` for the active language. */
export const direction = derived(activeLocale, ($l) => textDirection($l));

/** Date, time and number formatting for the active language and the device's time zone. */
export const formatters = derived(activeLocale, ($l): Formatters =>
  createFormatters(formattingLocale($l, preferredLanguages())),
);
