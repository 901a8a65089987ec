/** A kind's words: built-ins through i18n, the instance's own by their label. */
import { isBuiltinKind } from '$core/resources/api';

export type Translate = (id: string) => string;

export function kindText(
  id: string,
  labels: ReadonlyMap<string, string | null>,
  t: Translate,
): string {
  if (isBuiltinKind(id)) return t(`resources.kinds.${id}`);
  return labels.get(id) ?? id;
}
