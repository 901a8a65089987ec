import type { NextMeetingWire } from '../../../core/src/groups/api.js';
import { NEXT_MEETING_DAYS } from '../../../core/src/groups/api.js';
import { nextOccurrence } from '../../../core/src/groups/recurrence.js';
import type { Db, Tx } from '../../db/database.js';
import { changesOf, meetingsOfGroups } from './repository.js';
import { seriesOf } from './use-cases.js';

const DAY_MS = 86_400_000;

/**
 * The next meeting of each of `groupIds` that starts at or after `now` and within
 * `NEXT_MEETING_DAYS`: not a cancelled series, not a cancelled occurrence, moved ones where they
 * moved to. Two queries for any number of groups (their series, then those series' changes);
 * each series finds its own next occurrence without expanding the window. Groups without one are
 * absent from the map. Whether the viewer may see a group's meetings is the caller's to decide.
 */
export async function nextMeetings(
  q: Db | Tx,
  groupIds: readonly string[],
  now: Date,
): Promise<Map<string, NextMeetingWire>> {
  const out = new Map<string, NextMeetingWire>();
  const ids = [...new Set(groupIds)];
  if (ids.length === 0) return out;
  const meetings = (await meetingsOfGroups(q, ids)).filter((m) => m.cancelled_at === null);
  if (meetings.length === 0) return out;
  const changes = await changesOf(
    q,
    meetings.map((m) => m.id),
  );
  const until = now.getTime() + NEXT_MEETING_DAYS * DAY_MS;
  for (const m of meetings) {
    const next = nextOccurrence(seriesOf(m, changes), now);
    // A series the rules no longer accept (it was valid when written) shows no next meeting.
    if (!next.ok || next.value === null) continue;
    const startMs = Date.parse(next.value.start);
    if (startMs > until) continue;
    const known = out.get(m.group_id);
    if (known === undefined || startMs < Date.parse(known.start)) {
      out.set(m.group_id, { start: next.value.start, timeZone: m.time_zone });
    }
  }
  return out;
}
