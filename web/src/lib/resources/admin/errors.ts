/** The words for a failed directory admin call (resources.admin.errors.*); imports nothing. */
const KNOWN = ['network', 'forbidden', 'rate_limited'] as const;

export function errorKey(failure: { readonly code: string }): string {
  const code = (KNOWN as readonly string[]).includes(failure.code) ? failure.code : 'other';
  return `resources.admin.errors.${code}`;
}
