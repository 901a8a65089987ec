/**
 * A member's notification choice for one group (docs/GROUPS.md, "Notifications"), typed, each
 * answer checked against its core schema.
 */
import { groupNotifyChoiceSchema, type GroupNotifyChoice } from '$core/notify/api';
import { api, type ApiClient, type ApiResult } from '../../api/client';

export type { GroupNotifyChoice };

const path = (groupId: string) => `/api/v1/groups/${encodeURIComponent(groupId)}/notifications`;

export function groupNotifyApi(client: ApiClient = api) {
  return {
    read: (groupId: string): Promise<ApiResult<{ choice: GroupNotifyChoice }>> =>
      client.get(path(groupId), groupNotifyChoiceSchema),
    save: (
      groupId: string,
      choice: GroupNotifyChoice,
    ): Promise<ApiResult<{ choice: GroupNotifyChoice }>> =>
      client.request('PUT', path(groupId), { body: { choice }, schema: groupNotifyChoiceSchema }),
  };
}
