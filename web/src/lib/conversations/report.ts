/**
 * Reporting a direct conversation from the device (docs/MODERATION.md, "Reports"; PROTOCOL
 * §13.4): the person picks which of the other person's messages to reveal, and the report carries,
 * for each, the signed record `openMessage` returned — never the conversation key, nothing they did
 * not pick. A small wrapper of `POST /api/v1/moderation/reports` (kind `conversation`).
 */
import {
  MODERATION_LIMITS,
  myReportSchema,
  type MyReportWire,
  type NewReport,
  type ReportReason,
} from '$core/moderation/api';
import { api, type ApiClient } from '../api/client';
import type { Reportable } from './thread';

export type ReportError =
  | 'none_picked'
  /** more signed records than one report may reveal */
  | 'too_many'
  /** already reported (one open report per conversation) */
  | 'already'
  | 'network'
  | 'rate_limited'
  | 'problem';

export type ConversationReport = Extract<NewReport, { kind: 'conversation' }>;

/** The report's body: the picked messages' signed records (with their edits), reason and words. */
export function reportBody(
  conversationId: string,
  picked: readonly Reportable[],
  reason: ReportReason,
  words: string,
): { ok: true; body: ConversationReport } | { ok: false; error: 'none_picked' | 'too_many' } {
  const messages = picked.flatMap((p) => p.reports);
  if (messages.length === 0) return { ok: false, error: 'none_picked' };
  if (messages.length > MODERATION_LIMITS.messages) return { ok: false, error: 'too_many' };
  const own = words.trim();
  return {
    ok: true,
    body: {
      kind: 'conversation',
      conversationId,
      messages,
      reason,
      ...(own === '' ? {} : { words: own }),
    },
  };
}

/** Sends the report. */
export async function sendReport(
  body: ConversationReport,
  client: ApiClient = api,
): Promise<{ ok: true; report: MyReportWire } | { ok: false; error: ReportError }> {
  const r = await client.request('POST', '/api/v1/moderation/reports', {
    body,
    schema: myReportSchema,
  });
  if (r.ok) return { ok: true, report: r.value };
  if (r.code === 'network') return { ok: false, error: 'network' };
  if (r.code === 'conflict') return { ok: false, error: 'already' };
  if (r.status === 429) return { ok: false, error: 'rate_limited' };
  return { ok: false, error: 'problem' };
}
