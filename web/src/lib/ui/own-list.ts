/** The shape OwnListAdmin.svelte works with: an instance's own list beside the built-ins. */
export interface OwnItem {
  readonly id: string;
  readonly label: string | null;
  readonly builtin: boolean;
  readonly retired: boolean;
}

/** Checks a new item's id and words: the checked body, or which of the two are wrong. */
export type OwnListCheck = (body: {
  id: string;
  label: string;
}) =>
  | { ok: true; value: { id: string; label: string } }
  | { ok: false; fields: readonly ('id' | 'label')[] };

/** An OwnListCheck from a zod schema's safeParse (the first path segment names the field). */
export function checkWith(schema: {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: { id: string; label: string } }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[] }[] } };
}): OwnListCheck {
  return (body) => {
    const r = schema.safeParse(body);
    if (r.success) return { ok: true, value: r.data };
    const fields = r.error.issues
      .map((i) => i.path[0])
      .filter((p): p is 'id' | 'label' => p === 'id' || p === 'label');
    return { ok: false, fields };
  };
}
