/**
 * The editor's field plumbing: each input's id is `re-` + its field key, its problem (if any) is
 * shown in an element with id `re-<key>-error` that the input names in `aria-describedby`, and
 * `focusFirstProblem` moves focus to the first field with a problem after a refused send.
 */
import { tick } from 'svelte';
import type { ResourceContent } from '$core/resources/api';
import { checkDraft, type FieldProblem, type ResourceDraft } from './form';

export const fieldId = (key: string): string => `re-${key}`;
export const errorId = (key: string): string => `re-${key}-error`;

/** Attributes for an input: its id, and when it has a problem, aria-invalid and the message. */
export function fieldAttrs(
  key: string,
  problems: Readonly<Record<string, FieldProblem>>,
  hint?: string,
): Record<string, string | undefined> {
  const problem = problems[key];
  const describedBy = [problem ? errorId(key) : undefined, hint].filter(Boolean).join(' ');
  return {
    id: fieldId(key),
    'aria-invalid': problem ? 'true' : undefined,
    'aria-describedby': describedBy === '' ? undefined : describedBy,
  };
}

/** The message id and values for a problem (`resources.edit.errors.*`). */
export function problemMessage(p: FieldProblem): {
  id: string;
  values: Record<string, string | number>;
} {
  if (p.code === 'tooLong' || p.code === 'tooMany')
    return { id: `resources.edit.errors.${p.code}`, values: { max: p.max ?? 0 } };
  if (p.code === 'invalid')
    return { id: 'resources.edit.errors.invalid', values: { detail: p.detail ?? '' } };
  if (p.code === 'tooFew' && p.field === 'kinds')
    return { id: 'resources.edit.errors.kindsFew', values: {} };
  return { id: `resources.edit.errors.${p.code}`, values: {} };
}

/** Focuses the first field with a problem in `root` (document order), else `fallback`. */
export function focusFirstProblem(
  root: ParentNode,
  problems: readonly FieldProblem[],
  fallback?: HTMLElement | null,
): void {
  const invalid = root.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
    return;
  }
  for (const p of problems) {
    const el = document.getElementById(fieldId(p.field));
    if (el) {
      el.focus();
      return;
    }
  }
  fallback?.focus();
}

/**
 * Checks a draft before it is sent: with problems, shows them (`show`), waits for the page to
 * draw them and focuses the first (else the problems' summary); without, clears them. Returns
 * the content to send, or null.
 */
export async function checkOrFocus(
  draft: ResourceDraft,
  form: HTMLFormElement | undefined,
  show: (problems: FieldProblem[]) => void,
): Promise<ResourceContent | null> {
  const checked = checkDraft(draft);
  if (!checked.ok) {
    const problems = [...checked.problems];
    show(problems);
    await tick();
    if (form) focusFirstProblem(form, problems, document.getElementById('re-problems'));
    return null;
  }
  show([]);
  return checked.content;
}
