/** Where "Leave quickly" goes: a neutral website, chosen by the instance. */

export const DEFAULT_QUICK_EXIT_URL = 'https://www.bbc.com/weather';

/** An absolute http(s) URL, or null for anything else (relative, javascript:, data:, junk). */
export function safeExitUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2000) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  return url.href;
}
