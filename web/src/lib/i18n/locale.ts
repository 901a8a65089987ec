/**
 * Chooses the interface language: the first of the person's preferred languages that Tend has
 * messages for, matching exactly ("pt-BR") or by base language ("pt-BR" → "pt", "en-GB" → "en"),
 * otherwise the fallback.
 */
export function pickLocale(
  preferred: readonly (string | null | undefined)[],
  available: readonly string[],
  fallback: string,
): string {
  const byLower = new Map(available.map((code) => [code.toLowerCase(), code]));
  for (const wanted of preferred) {
    if (!wanted) continue;
    const lower = wanted.toLowerCase();
    const exact = byLower.get(lower);
    if (exact) return exact;
    const base = byLower.get(lower.split('-')[0] ?? '');
    if (base) return base;
  }
  return fallback;
}

const RTL_LANGUAGES = new Set(['ar', 'dv', 'fa', 'he', 'ks', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi']);

/** Writing direction for a locale code, for `<html dir>`. */
export function textDirection(locale: string): 'ltr' | 'rtl' {
  const base = locale.toLowerCase().split('-')[0] ?? '';
  return RTL_LANGUAGES.has(base) ? 'rtl' : 'ltr';
}

/**
 * Locale to format dates and numbers with: the person's own regional variant of the interface
 * language when they prefer one (interface "en", browser "en-GB" → "en-GB", so dates read
 * 24/12/2025 rather than 12/24/2025), otherwise the interface language itself.
 */
export function formattingLocale(uiLocale: string, preferred: readonly string[]): string {
  const base = uiLocale.toLowerCase().split('-')[0];
  for (const wanted of preferred) {
    if (
      wanted.toLowerCase().split('-')[0] === base &&
      Intl.DateTimeFormat.supportedLocalesOf(wanted).length > 0
    ) {
      return wanted;
    }
  }
  return uiLocale;
}
