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
  // Meetings (docs/GROUPS.md "Meetings"); the recurrence codes are core/src/groups/recurrence.ts's
  // (agreement_needed is shared with group conversations, below)
  'meeting_cancelled',
  'invalid_series_id',
  'invalid_start',
  'invalid_time_zone',
  'invalid_duration',
  'invalid_rrule',
  'unsupported_frequency',
  'unsupported_rule_part',
  'invalid_rule_value',
  'count_and_until',
  'until_before_start',
  'never_occurs',
  'too_many_exceptions',
  'invalid_exception',
  'exception_not_an_occurrence',
  'too_many_overrides',
  'invalid_override',
  'duplicate_override',
  'override_not_an_occurrence',
  'invalid_window',
  'window_too_long',
  'expansion_failed',
  // Group conversations (docs/GROUPS.md, "Conversations between meetings")
  'agreement_needed',
  'thread_locked',
  'no_pseudonym',
  'post_deleted',
  // Moderation (docs/MODERATION.md)
  'bad_signature',
  'cannot_act_on_self',
  'cannot_act_on_facilitator',
  'report_closed',
  'banned',
  // Someone to talk to (docs/GROUPS.md "Someone to talk to"); also `window_too_long`
  'not_a_group_member',
  'window_ended',
  'not_listening',
  'already_asking',
  'taken',
  'ask_closed',
  'feedback_given',
  // Mutual aid (docs/AID.md); also `agreement_needed`, `conflict` and the recurrence codes
  'aid_board_off',
  'invalid_transition',
  'own_post',
  'already_responded',
  'response_closed',
  'anonymous_post',
  'unknown_category',
  'unknown_area',
  'category_taken',
  'open_post_limit',
  'when_in_past',
  'when_too_far',
  'thanks_given',
  'assignment_closed',
  // Resource directory (docs/RESOURCES.md); also `conflict`, `unknown_area`
  'unknown_kind',
  'kind_taken',
  'resource_changed',
  'no_change',
  'suggestion_closed',
  'already_flagged',
  'flag_closed',
  'resource_retired',
  'hsds_invalid',
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
