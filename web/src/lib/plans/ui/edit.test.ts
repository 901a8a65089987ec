import { describe, expect, it } from 'vitest';
import { apply, bold, bulletList, heading, link, type Edit } from './edit';

/** Runs an edit on text with the selection marked by `[` and `]` (or a caret `|`). */
function run(marked: string, action: (text: string, sel: { start: number; end: number }) => Edit) {
  const caret = marked.indexOf('|');
  const start = caret >= 0 ? caret : marked.indexOf('[');
  const text = caret >= 0 ? marked.replace('|', '') : marked.replace('[', '').replace(']', '');
  const end = caret >= 0 ? caret : marked.indexOf(']') - 1;
  const edit = action(text, { start, end });
  const out = apply(text, edit);
  return `${out.slice(0, edit.select.start)}[${out.slice(edit.select.start, edit.select.end)}]${out.slice(edit.select.end)}`;
}

describe('Markdown toolbar edits', () => {
  it('bold wraps the selection, unwraps it again, or inserts a placeholder to type over', () => {
    expect(run('call [Sam] first', (t, s) => bold(t, s, 'bold text'))).toBe('call **[Sam]** first');
    expect(run('call **[Sam]** first', (t, s) => bold(t, s, 'bold text'))).toBe('call [Sam] first');
    expect(run('call |', (t, s) => bold(t, s, 'bold text'))).toBe('call **[bold text]**');
  });

  it('heading toggles "## " on the current line', () => {
    expect(run('one\ntw|o\nthree', heading)).toBe('one\n## tw[]o\nthree');
    expect(run('one\n## tw|o', heading)).toBe('one\ntw[]o');
    expect(run('### t|itle', heading)).toBe('t[]itle');
  });

  it('list adds "- " to every selected line, or takes it off', () => {
    expect(run('[a\nb\nc]', bulletList)).toBe('[- a\n- b\n- c]');
    expect(run('[- a\n- b]', bulletList)).toBe('[a\nb]');
    expect(run('x\n[a\n\nb]', bulletList)).toBe('x\n[- a\n\n- b]');
    expect(run('|', bulletList)).toBe('- []');
  });

  it('link wraps words and selects the address to type; a selected address gets words', () => {
    expect(run('see [the line]', (t, s) => link(t, s, 'link text'))).toBe(
      'see [the line]([https://])',
    );
    expect(run('see [https://example.org]', (t, s) => link(t, s, 'link text'))).toBe(
      'see [[link text]](https://example.org)',
    );
    expect(run('|', (t, s) => link(t, s, 'link text'))).toBe('[link text]([https://])');
  });
});
