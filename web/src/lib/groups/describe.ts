/**
 * Small words about a group for the pages: a language tag's name in the reader's language (by
 * Intl, never a hand-made table), and the message ids of formats and ways of joining.
 */
import type { GroupFormat, GroupVisibility } from '$core/groups/api';

/** "pt-BR" → "Brazilian Portuguese" (in `locale`); the tag itself when Intl does not know it. */
export function languageName(tag: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export const formatKey = (format: GroupFormat) => `groups.format.${format}` as const;
export const visibilityKey = (visibility: GroupVisibility) =>
  `groups.visibility.${visibility}` as const;
