/**
 * For tests: Tend never imposes clinical categories or judgements on anyone. Field names and
 * the English words that ship with a capability are scanned for these.
 */
export const CLINICAL_WORDS = /diagnos|symptom|dsm|disorder|score|patient|illness|icd-?\d|streak/i;

/** Every key path and value in a nested object or array, depth first, each once. */
export function* walk(value: unknown, path = ''): Generator<[string, unknown]> {
  if (value === null || typeof value !== 'object') {
    yield [path, value];
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const at = `${path}.${k}`;
    yield [at, v];
    if (v !== null && typeof v === 'object') yield* walk(v, at);
  }
}

/** Key paths and strings in `value` that use a clinical word (empty: none). */
export function clinicalWordsIn(value: unknown): string[] {
  const found: string[] = [];
  for (const [path, v] of walk(value)) {
    if (CLINICAL_WORDS.test(path)) found.push(path);
    else if (typeof v === 'string' && CLINICAL_WORDS.test(v)) found.push(`${path}: ${v}`);
  }
  return found;
}
