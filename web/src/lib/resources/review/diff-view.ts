/**
 * A field change (core/src/resources/diff.ts) in words: its path as a person reads it ("Phone
 * 01632 960123: number", "Opening hours: Monday, Tuesday 18:00–02:00: closes"), and its values
 * as text. Pure: the page passes its translator, so the words come from the message files and
 * this is tested with a stand-in.
 */
import { isBuiltinKind, type FieldChange, type ResourceContent } from '$core/resources/api';

export type Translate = (id: string, values?: Record<string, string>) => string;

interface Token {
  readonly name: string;
  readonly id: string | null;
}

/** `phones[id=x].number` → [{ name: 'phones', id: 'x' }, { name: 'number', id: null }]. */
export function parsePath(path: string): { tokens: Token[]; order: boolean } {
  const order = path.endsWith('#order');
  const clean = order ? path.slice(0, -'#order'.length) : path;
  const tokens: Token[] = [];
  const re = /([^.[\]]+)(?:\[id=([^\]]+)\])?/g;
  for (const m of clean.matchAll(re)) tokens.push({ name: m[1] ?? '', id: m[2] ?? null });
  return { tokens, order };
}

type Item = Record<string, unknown> & { id: string };

function findItem(
  contents: readonly (ResourceContent | null)[],
  list: 'phones' | 'locations' | 'weekly' | 'closures',
  id: string,
): Item | null {
  for (const c of contents) {
    if (!c) continue;
    const items: readonly Item[] =
      list === 'weekly'
        ? (c.hours?.weekly ?? [])
        : list === 'closures'
          ? (c.hours?.closures ?? [])
          : c[list];
    const found = items.find((x) => x.id === id);
    if (found) return found;
  }
  return null;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The words for a change's path, parts joined with ": ". */
export function pathWords(
  path: string,
  t: Translate,
  after: ResourceContent | null,
  before: ResourceContent | null,
): string {
  const { tokens, order } = parsePath(path);
  const contents = [after, before];
  const parts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (i === 0 && tok.name === 'crisis') {
      const next = tokens[1];
      if (next?.name === 'facts' && tokens[2]) {
        parts.push(t(`resources.factQuestions.${tokens[2].name}`));
        i = 2;
        continue;
      }
      parts.push(t('resources.diff.fields.crisis'));
      continue;
    }
    if (tok.id !== null) {
      if (tok.name === 'phones') {
        const p = findItem(contents, 'phones', tok.id);
        parts.push(t('resources.diff.item.phone', { number: str(p?.number) }));
      } else if (tok.name === 'locations') {
        const l = findItem(contents, 'locations', tok.id);
        const address = l?.address as Record<string, unknown> | null | undefined;
        parts.push(
          t('resources.diff.item.location', {
            name: str(l?.name) || str(address?.address1) || str(address?.city),
          }),
        );
      } else if (tok.name === 'weekly') {
        const o = findItem(contents, 'weekly', tok.id);
        const days = Array.isArray(o?.days)
          ? (o.days as string[]).map((d) => t(`resources.diff.days.${d}`)).join(', ')
          : '';
        parts.push(
          t('resources.diff.item.opening', {
            days,
            opens: str(o?.opensAt),
            closes: str(o?.closesAt),
          }),
        );
      } else if (tok.name === 'closures') {
        const x = findItem(contents, 'closures', tok.id);
        parts.push(t('resources.diff.item.closure', { from: str(x?.from), to: str(x?.to) }));
      } else {
        parts.push(tok.name);
      }
      continue;
    }
    parts.push(
      t(i === 0 ? `resources.diff.fields.${tok.name}` : `resources.diff.leaf.${tok.name}`),
    );
  }
  if (order) parts.push(t('resources.diff.leaf.order'));
  return parts.join(': ');
}

/** A value of a change as text ("" for nothing). Lists are joined; yes/no for flags. */
export function valueWords(value: unknown, t: Translate, path: string): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    if (path === 'kinds') return value.map((k) => kindWords(String(k), t)).join(', ');
    if (path.endsWith('.days'))
      return value.map((d) => t(`resources.diff.days.${String(d)}`)).join(', ');
    return value.map(String).join(', ');
  }
  if (typeof value === 'boolean') return t(value ? 'resources.values.yes' : 'resources.values.no');
  if (typeof value === 'string') {
    if (path === 'status') return t(`resources.status.${value}`);
    if (/^crisis\.facts\.[A-Za-z]+\.value$/.test(path)) return t(`resources.values.${value}`);
    if (/^phones\[id=[^\]]+\]\.type$/.test(path)) return t(`resources.phoneTypes.${value}`);
    if (path === 'cost.kind') return t(`resources.cost.${value}`);
    return value;
  }
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

const kindWords = (id: string, t: Translate) =>
  isBuiltinKind(id) ? t(`resources.kinds.${id}`) : id;

export interface ChangeView {
  readonly key: string;
  readonly where: string;
  readonly change: FieldChange['change'];
  readonly before: string;
  readonly after: string;
  readonly words: FieldChange['words'];
}

/** Every change as the page shows it. */
export function changeViews(
  changes: readonly FieldChange[],
  t: Translate,
  after: ResourceContent | null,
  before: ResourceContent | null,
): ChangeView[] {
  return changes.map((c, i) => ({
    key: `${String(i)}:${c.path}`,
    where: pathWords(c.path, t, after, before),
    change: c.change,
    before: valueWords(c.before, t, c.path),
    after: valueWords(c.after, t, c.path),
    words: c.words,
  }));
}
