/**
 * The Markdown editor's toolbar actions as pure functions over the text and the selection, so
 * they can be tested without a browser. Each returns the range to replace, the new text for it,
 * and what to select afterwards; the component applies it with the browser's own editing
 * (`insertText`), so undo and redo keep working.
 */

export interface Selection {
  readonly start: number;
  readonly end: number;
}

export interface Edit {
  /** The range of the old text to replace. */
  readonly from: number;
  readonly to: number;
  readonly insert: string;
  /** The selection afterwards, in the new text. */
  readonly select: Selection;
}

/** Start of the line `at` is on, and end of the line `to` is on. */
function lineRange(text: string, start: number, end: number): { from: number; to: number } {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  // A selection that ends at the very start of a line does not take that line in.
  const last = end > start && text[end - 1] === '\n' ? end - 1 : end;
  const next = text.indexOf('\n', last);
  return { from, to: next === -1 ? text.length : next };
}

/** Adds `prefix` to every selected line, or takes it off when every line has it already. */
function toggleLinePrefix(text: string, sel: Selection, prefix: RegExp, add: string): Edit {
  const { from, to } = lineRange(text, sel.start, sel.end);
  const lines = text.slice(from, to).split('\n');
  const all =
    lines.some((l) => l.trim() !== '') && lines.every((l) => prefix.test(l) || l.trim() === '');
  const changed = lines.map((l) => {
    if (all) return l.replace(prefix, '');
    if (l.trim() === '' && lines.length > 1) return l;
    return add + l.replace(prefix, '');
  });
  const insert = changed.join('\n');
  const single = lines.length === 1;
  const delta = insert.length - (to - from);
  return {
    from,
    to,
    insert,
    select: single
      ? {
          start: Math.max(from, sel.start + delta),
          end: Math.max(from, sel.end + delta),
        }
      : { start: from, end: from + insert.length },
  };
}

export function heading(text: string, sel: Selection): Edit {
  return toggleLinePrefix(text, sel, /^#{1,6}\s+/, '## ');
}

export function bulletList(text: string, sel: Selection): Edit {
  return toggleLinePrefix(text, sel, /^\s*[-*+]\s+/, '- ');
}

/** Wraps the selection in `**`; or unwraps it; or inserts a placeholder to type over. */
export function bold(text: string, sel: Selection, placeholder: string): Edit {
  const selected = text.slice(sel.start, sel.end);
  if (
    sel.start >= 2 &&
    text.slice(sel.start - 2, sel.start) === '**' &&
    text.slice(sel.end, sel.end + 2) === '**'
  ) {
    return {
      from: sel.start - 2,
      to: sel.end + 2,
      insert: selected,
      select: { start: sel.start - 2, end: sel.end - 2 },
    };
  }
  const words = selected === '' ? placeholder : selected;
  return {
    from: sel.start,
    to: sel.end,
    insert: `**${words}**`,
    select: { start: sel.start + 2, end: sel.start + 2 + words.length },
  };
}

/** `[selection](https://)`, with the address selected so it can be typed straight away. */
export function link(text: string, sel: Selection, placeholder: string): Edit {
  const selected = text.slice(sel.start, sel.end);
  const looksLikeUrl = /^(https?:\/\/|mailto:|tel:)\S+$/i.test(selected);
  if (looksLikeUrl) {
    const insert = `[${placeholder}](${selected})`;
    return {
      from: sel.start,
      to: sel.end,
      insert,
      select: { start: sel.start + 1, end: sel.start + 1 + placeholder.length },
    };
  }
  const words = selected === '' ? placeholder : selected;
  const insert = `[${words}](https://)`;
  const urlStart = sel.start + words.length + 3;
  return {
    from: sel.start,
    to: sel.end,
    insert,
    select: { start: urlStart, end: urlStart + 'https://'.length },
  };
}

/** The text after an edit (what the browser does with `insertText`). */
export function apply(text: string, edit: Edit): string {
  return text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
}
