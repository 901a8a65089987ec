/**
 * Group meetings' HTTP calls (core/src/groups/meetings-api.ts), typed, each answer checked against
 * its core schema. The server expands occurrences; the web app never loads the recurrence engine.
 */
import {
  createdFeedSchema,
  feedSchema,
  feedsResponseSchema,
  meetingSeriesSchema,
  occurrenceSchema,
  occurrencesResponseSchema,
  type ChangeOccurrenceInput,
  type CreateMeetingInput,
  type MeetingSeriesWire,
  type OccurrenceWire,
  type OccurrencesResponse,
  type RsvpInput,
} from '$core/groups/meetings-api';
import type { z } from 'zod';
import { api, type ApiClient, type ApiResult } from '../../api/client';

export type { MeetingSeriesWire, OccurrenceWire, OccurrencesResponse };
export type FeedWire = z.infer<typeof feedSchema>;
export type CreatedFeedWire = z.infer<typeof createdFeedSchema>;
export type FeedsWire = z.infer<typeof feedsResponseSchema>;

const seg = (value: string) => encodeURIComponent(value);

/** Typed calls for meetings and calendar feeds, through one API client (the app's by default). */
export function meetingsApi(client: ApiClient = api) {
  const base = (groupId: string) => `/api/v1/groups/${seg(groupId)}/meetings`;
  return {
    /** What is coming up in one group (the server's default window when none is given). */
    upcoming: (groupId: string): Promise<ApiResult<OccurrencesResponse>> =>
      client.get(base(groupId), occurrencesResponseSchema),
    /** What is coming up in all my groups. */
    mine: (): Promise<ApiResult<OccurrencesResponse>> =>
      client.get('/api/v1/meetings', occurrencesResponseSchema),
    schedule: (groupId: string, body: CreateMeetingInput): Promise<ApiResult<MeetingSeriesWire>> =>
      client.request('POST', base(groupId), { body, schema: meetingSeriesSchema }),
    cancelSeries: (groupId: string, meetingId: string): Promise<ApiResult<MeetingSeriesWire>> =>
      client.request('POST', `${base(groupId)}/${seg(meetingId)}/cancel`, {
        body: {},
        schema: meetingSeriesSchema,
      }),
    changeOccurrence: (
      groupId: string,
      meetingId: string,
      occurrenceId: string,
      body: ChangeOccurrenceInput,
    ): Promise<ApiResult<OccurrenceWire>> =>
      client.request('PUT', `${base(groupId)}/${seg(meetingId)}/occurrences/${seg(occurrenceId)}`, {
        body,
        schema: occurrenceSchema,
      }),
    rsvp: (
      groupId: string,
      meetingId: string,
      body: RsvpInput,
    ): Promise<ApiResult<OccurrencesResponse>> =>
      client.request('PUT', `${base(groupId)}/${seg(meetingId)}/rsvp`, {
        body,
        schema: occurrencesResponseSchema,
      }),
    feeds: (): Promise<ApiResult<FeedsWire>> =>
      client.get('/api/v1/calendar-feeds', feedsResponseSchema),
    /** A private feed of one group (or all my groups, with null); its URL is shown once. */
    createFeed: (groupId: string | null): Promise<ApiResult<CreatedFeedWire>> =>
      client.request('POST', '/api/v1/calendar-feeds', {
        body: { groupId },
        schema: createdFeedSchema,
      }),
    revokeFeed: (feedId: string): Promise<ApiResult<FeedWire>> =>
      client.request('DELETE', `/api/v1/calendar-feeds/${seg(feedId)}`, { schema: feedSchema }),
  };
}

export type MeetingsApi = ReturnType<typeof meetingsApi>;
