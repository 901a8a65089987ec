/**
 * Moderation's HTTP calls (core/src/moderation/api.ts; docs/MODERATION.md), typed, each answer
 * checked against its core schema. Expected failures (offline, `conflict` for a second report of
 * the same thing, `rate_limited`, `cannot_act_on_facilitator`) are ApiResult values, never
 * exceptions.
 */
import {
  actionResponseSchema,
  auditResponseSchema,
  closeReportResponseSchema,
  mutesResponseSchema,
  myReportSchema,
  myReportsResponseSchema,
  notesResponseSchema,
  queueResponseSchema,
  type ActionInput,
  type AidPostAction,
  type AuditEntryWire,
  type CloseReport,
  type MyReportWire,
  type NewReport,
  type QueueItemWire,
  type ReportReason,
} from '$core/moderation/api';
import { z } from 'zod';
import { api, type ApiClient, type ApiResult } from '../api/client';

export type { ActionInput, AuditEntryWire, MyReportWire, QueueItemWire, ReportReason };
export type QueueWire = z.infer<typeof queueResponseSchema>;
export type AuditWire = z.infer<typeof auditResponseSchema>;
export type MutesWire = z.infer<typeof mutesResponseSchema>;
export type NotesWire = z.infer<typeof notesResponseSchema>;
export type NoteWire = NotesWire['notes'][number];
export type ActionWire = z.infer<typeof actionResponseSchema>;
export type AidActionWire = z.infer<typeof aidActionResponseSchema>;
export type CloseWire = z.infer<typeof closeReportResponseSchema>;

/** A report of a group post or thread (conversation reports are made from the messages pages). */
export type GroupReport = Extract<NewReport, { kind: 'post' | 'thread' }>;
/** A report of a mutual aid post (seen by that board's moderators). */
export type AidReport = Extract<NewReport, { kind: 'aid-post' }>;
export type { AidPostAction };

const seg = (value: string) => encodeURIComponent(value);
// The aid route answers the action it took as text (`hide-aid-post`, `unhide-aid-post`).
const aidActionResponseSchema = z.object({ action: z.string(), auditId: z.string() });

const page = (after: string | undefined, extra: Record<string, string> = {}) =>
  after === undefined ? { limit: '20', ...extra } : { limit: '20', after, ...extra };

/** Typed calls for moderation, through one API client (the app's by default). */
export function moderationApi(client: ApiClient = api) {
  const base = '/api/v1/moderation';
  return {
    report: (body: GroupReport | AidReport): Promise<ApiResult<MyReportWire>> =>
      client.request('POST', `${base}/reports`, { body, schema: myReportSchema }),
    myReports: (): Promise<ApiResult<z.infer<typeof myReportsResponseSchema>>> =>
      client.get(`${base}/reports/mine`, myReportsResponseSchema),
    withdraw: (reportId: string): Promise<ApiResult<MyReportWire>> =>
      client.request('DELETE', `${base}/reports/${seg(reportId)}`, { schema: myReportSchema }),
    close: (reportId: string, body: CloseReport): Promise<ApiResult<CloseWire>> =>
      client.request('POST', `${base}/reports/${seg(reportId)}/close`, {
        body,
        schema: closeReportResponseSchema,
      }),
    /** Open reports I may act on: one group's, or (no group) every one I keep — all, for admins. */
    queue: (groupId?: string, after?: string): Promise<ApiResult<QueueWire>> =>
      client.get(
        `${base}/queue`,
        queueResponseSchema,
        page(after, groupId === undefined ? {} : { groupId }),
      ),
    act: (groupId: string, body: ActionInput): Promise<ApiResult<ActionWire>> =>
      client.request('POST', `/api/v1/groups/${seg(groupId)}/moderation/actions`, {
        body,
        schema: actionResponseSchema,
      }),
    groupAudit: (groupId: string, after?: string): Promise<ApiResult<AuditWire>> =>
      client.get(
        `/api/v1/groups/${seg(groupId)}/moderation/audit`,
        auditResponseSchema,
        page(after),
      ),
    instanceAudit: (after?: string): Promise<ApiResult<AuditWire>> =>
      client.get(`${base}/audit`, auditResponseSchema, page(after)),
    mutes: (): Promise<ApiResult<MutesWire>> => client.get(`${base}/mutes`, mutesResponseSchema),
    mute: (accountId: string, on: boolean): Promise<ApiResult<MutesWire>> =>
      client.request(on ? 'PUT' : 'DELETE', `${base}/mutes/${seg(accountId)}`, {
        schema: mutesResponseSchema,
      }),
    notes: (): Promise<ApiResult<NotesWire>> => client.get(`${base}/notes`, notesResponseSchema),
    /** Hide a mutual aid post or show it again (the board's moderators; in the log). */
    actOnAidPost: (postId: string, body: AidPostAction): Promise<ApiResult<AidActionWire>> =>
      client.request('POST', `/api/v1/aid/posts/${seg(postId)}/moderation`, {
        body,
        schema: aidActionResponseSchema,
      }),
  };
}

export type ModerationApi = ReturnType<typeof moderationApi>;
