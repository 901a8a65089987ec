/**
 * Pure pieces of what a post's page and its dates (ui/Occurrences.svelte) do with a post: the
 * words for a failure to open a conversation, the words for a response's status, the body of a
 * status change or of choosing someone (for the whole post or one date), and the conversation a
 * response opened. The calls themselves are in post-actions.svelte.ts.
 */
import type { ChangeStatusInput } from '$core/aid/api';
import type { ResponseWire } from './api';
import type { TalkError } from './talk';
import { errorKey, type StatusAction } from './view';

const TALK_ERRORS: Readonly<Record<string, string>> = {
  keys_changed: 'aid.post.keysChanged',
  keys_invalid: 'aid.post.keysInvalid',
  unknown: 'aid.errors.not_found',
  network: 'aid.errors.network',
  rate_limited: 'aid.errors.rate_limited',
  closed: 'aid.errors.response_closed',
  problem: 'aid.errors.other',
};

/** The message key for a failure to respond or to open a response's conversation. */
export function talkErrorKey(e: TalkError): string {
  return typeof e === 'string' ? (TALK_ERRORS[e] ?? 'aid.errors.other') : errorKey(e);
}

export const RESPONSE_STATUS_KEY: Readonly<Record<ResponseWire['status'], string>> = {
  waiting: 'aid.post.responseWaiting',
  talking: 'aid.post.responseTalking',
  declined: 'aid.post.responseDeclined',
  withdrawn: 'aid.post.responseWithdrawn',
};

const forDate = (occurrenceId: string | undefined) =>
  occurrenceId === undefined ? {} : { occurrenceId };

/** A status change the person chose, for the whole post or one date of recurring help. */
export function statusChange(a: StatusAction, occurrenceId?: string): ChangeStatusInput {
  return { to: a.to, ...forDate(occurrenceId), ...(a.offline ? { offline: true } : {}) };
}

/** Choosing the person who responded, for the whole post or one date. */
export function chooseChange(
  r: Pick<ResponseWire, 'responder'>,
  occurrenceId?: string,
): ChangeStatusInput {
  return { to: 'helping', partnerId: r.responder.accountId, ...forDate(occurrenceId) };
}

/** The conversation a response has, once opened, from the responses read again. */
export function conversationOf(
  responses: readonly Pick<ResponseWire, 'id' | 'conversationId'>[],
  responseId: string,
): string | null {
  return responses.find((x) => x.id === responseId)?.conversationId ?? null;
}
