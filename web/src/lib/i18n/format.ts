/**
 * Dates, times and numbers for the viewer's locale and time zone, over the standard Intl API.
 * Nothing here depends on the browser, so the same helpers work in unit tests with a fixed
 * locale and time zone.
 */

export interface Formatters {
  /** The locale actually used (after Intl's own negotiation). */
  readonly locale: string;
  /** The IANA time zone used, e.g. "Europe/Lisbon". */
  readonly timeZone: string;
  /** A calendar date: "24 Dec 2025" / "Dec 24, 2025". */
  date(value: Date | number, style?: 'short' | 'medium' | 'long' | 'full'): string;
  /** A time of day: "14:05" / "2:05 PM". */
  time(value: Date | number): string;
  /** Date and time together. */
  dateTime(value: Date | number): string;
  /** A number with the locale's grouping and decimal marks. */
  number(value: number, options?: Intl.NumberFormatOptions): string;
  /** "3 days ago", "in 2 hours", "yesterday": relative to `now`. */
  relative(value: Date | number, now?: Date | number): string;
}

export interface FormatOptions {
  /** IANA time zone; defaults to the device's own. */
  timeZone?: string;
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600 * 1000],
  ['month', 30 * 24 * 3600 * 1000],
  ['week', 7 * 24 * 3600 * 1000],
  ['day', 24 * 3600 * 1000],
  ['hour', 3600 * 1000],
  ['minute', 60 * 1000],
  ['second', 1000],
];

export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function createFormatters(
  locales: string | readonly string[],
  options: FormatOptions = {},
): Formatters {
  const requested = typeof locales === 'string' ? [locales] : [...locales];
  const timeZone = options.timeZone ?? deviceTimeZone();
  const dateFormats = new Map<string, Intl.DateTimeFormat>();
  const dateFormat = (style: 'short' | 'medium' | 'long' | 'full') => {
    let format = dateFormats.get(style);
    if (!format) {
      format = new Intl.DateTimeFormat(requested, { dateStyle: style, timeZone });
      dateFormats.set(style, format);
    }
    return format;
  };
  const timeFormat = new Intl.DateTimeFormat(requested, { timeStyle: 'short', timeZone });
  const dateTimeFormat = new Intl.DateTimeFormat(requested, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  });
  const relativeFormat = new Intl.RelativeTimeFormat(requested, { numeric: 'auto' });
  const locale = timeFormat.resolvedOptions().locale;

  return {
    locale,
    timeZone,
    date: (value, style = 'medium') => dateFormat(style).format(value),
    time: (value) => timeFormat.format(value),
    dateTime: (value) => dateTimeFormat.format(value),
    number: (value, numberOptions) => new Intl.NumberFormat(requested, numberOptions).format(value),
    relative: (value, now = Date.now()) => {
      const diff = Number(value) - Number(now);
      for (const [unit, ms] of UNITS) {
        if (Math.abs(diff) >= ms || unit === 'second') {
          return relativeFormat.format(Math.round(diff / ms), unit);
        }
      }
      return relativeFormat.format(0, 'second');
    },
  };
}
