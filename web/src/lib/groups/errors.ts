/**
 * The words for a failed group call: each error code the server may answer (core/src/groups/api.ts)
 * has a calm sentence; anything else falls back to a general one. `last_facilitator` and
 * `slug_taken` get their own words, so people know what to do next.
 */
import type { ApiFailure } from '../api/client';

const KNOWN = [
  'network',
  'slug_taken',
  'pseudonym_taken',
  'already_in_group',
  'stale_agreement',
  'join_mode_mismatch',
  'request_closed',
  'last_facilitator',
  'group_archived',
  'not_found',
  'forbidden',
  'unauthenticated',
  'rate_limited',
  'invitation_closed',
  'link_gone',
  'conflict',
  'invalid_input',
] as const;

export type GroupErrorKey = `groups.errors.${(typeof KNOWN)[number] | 'other'}`;

/** The message id for a failure. */
export function errorKey(failure: Pick<ApiFailure, 'code'>): GroupErrorKey {
  const code = (KNOWN as readonly string[]).includes(failure.code) ? failure.code : 'other';
  return `groups.errors.${code}` as GroupErrorKey;
}
