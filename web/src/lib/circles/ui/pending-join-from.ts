/**
 * Who the invitation kept in this tab is from, asked of the server with the link's token only
 * (the key after # never leaves the tab). Loaded by the join pages only when a link is kept.
 */
import { circlesApi } from '$lib/circles/api';
import { pendingJoinState, type PendingJoinParts, type PendingJoinState } from './pending-join';

export async function pendingJoinFrom(parts: PendingJoinParts): Promise<PendingJoinState> {
  return pendingJoinState(await circlesApi().linkInvitation(parts.token));
}
