import { z } from 'zod';

/**
 * Stable error codes of Tend's HTTP API. Clients switch on `code`; `message` is for people.
 * Add codes, never rename or reuse one.
 */
export const errorCodes = [
  'invalid_input',
  'malformed_json',
  'payload_too_large',
  'unsupported_media_type',
  'not_found',
  'method_not_allowed',
  'bad_request',
  'rate_limited',
  'not_ready',
  'internal_error',
  'unauthenticated',
  'forbidden',
  'csrf_failed',
  'conflict',
  'item_too_large',
  'quota_exceeded',
  'registration_closed',
  'invite_invalid',
  'handle_taken',
  'sign_in_failed',
  'challenge_invalid',
  'weak_kdf',
  'stale_key',
  'not_in_circle',
  'already_in_circle',
  'invitation_closed',
  'link_gone',
  'reachout_closed',
  // Direct conversations (docs/PROTOCOL.md §13)
  'conversation_closed',
  // Groups (docs/GROUPS.md)
  'slug_taken',
  'pseudonym_taken',
  'already_in_group',
  'stale_agreement',
  'join_mode_mismatch',
  'request_closed',
  'last_facilitator',
  'group_archived',
  // Group conversations (docs/GROUPS.md, "Conversations between meetings")
  'agreement_needed',
  'thread_locked',
  'no_pseudonym',
  'post_deleted',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    /** For `invalid_input`: which fields are wrong and why. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  }),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;
