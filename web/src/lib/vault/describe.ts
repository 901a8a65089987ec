/**
 * How a version of a vault item is shown where the app does not know its page (the conflict
 * choice, the export preview): a title and a short text. Features register their item types
 * (`registerDescriber('plan', …)`); anything else is shown as pretty-printed JSON when it is
 * UTF-8 JSON, else as a version that can't be shown. Everything here runs in the browser, on
 * plaintext that never leaves it.
 */

export interface Description {
  readonly title: string;
  readonly text: string;
}

export type Describer = (plaintext: Uint8Array) => Description;

const describers = new Map<string, Describer>();

/** Registers how items of `type` are shown (a later registration replaces an earlier one). */
export function registerDescriber(type: string, describer: Describer): void {
  describers.set(type, describer);
}

/** The item types registered so far (the data export tries them on items of unknown type). */
export function describedTypes(): string[] {
  return [...describers.keys()];
}

/** The plaintext as JSON when it is UTF-8 JSON, else undefined. */
export function parseJson(plaintext: Uint8Array): { value: unknown } | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch {
    return undefined;
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

export const UNSHOWABLE = "(a version that can't be shown)";

/** The default: pretty-printed JSON, or a plain note that it can't be shown. */
export function defaultDescriber(plaintext: Uint8Array): Description {
  const json = parseJson(plaintext);
  if (json === undefined) return { title: '', text: UNSHOWABLE };
  const value = json.value;
  const title =
    typeof value === 'object' &&
    value !== null &&
    'title' in value &&
    typeof value.title === 'string'
      ? value.title
      : '';
  return { title, text: JSON.stringify(value, null, 2) };
}

/** Shows one version of an item of `type` (null: unknown type), never throwing. */
export function describe(type: string | null, plaintext: Uint8Array): Description {
  const describer = type === null ? undefined : describers.get(type);
  if (describer !== undefined) {
    try {
      return describer(plaintext);
    } catch {
      // A describer that fails falls back to the default rather than hiding the version.
    }
  }
  return defaultDescriber(plaintext);
}
