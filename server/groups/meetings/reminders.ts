import type { FastifyBaseLogger } from 'fastify';
import { commit, type CircleDeps } from '../../circles/commit.js';
import { enqueueNotification } from '../../notify/outbox.js';
import { wantsGroupNotification } from '../notifications/use-cases.js';
import {
  changesOf,
  claimReminder,
  dueReminders,
  isMember,
  rsvpsOfMeeting,
  setReminder,
} from './repository.js';
import { findMeetingById } from './repository.js';
import { reminderFor, seriesOf, SERIES_WIDE } from './use-cases.js';

/**
 * Fixed words only: a group's name may be sensitive on a lock screen, so a reminder never says
 * which group or meeting (docs/GROUPS.md, "Meetings").
 */
export const REMINDER_TEXT = {
  title: 'Tend',
  body: "A meeting you said you'd go to starts soon — open Tend",
} as const;

export interface ReminderWorker {
  /** Sends every reminder due at `now`; safe to run concurrently (each is sent once). */
  runOnce(now: Date): Promise<{ readonly sent: number }>;
  stop(): Promise<void>;
}

export interface ReminderOptions {
  readonly now: () => Date;
  readonly intervalMs?: number;
  readonly logger?: FastifyBaseLogger;
  /** false: only `runOnce` (tests drive it). */
  readonly start?: boolean;
}

const BATCH = 100;

/**
 * The meeting reminder worker, modelled on the reach-out escalation worker: its state is the
 * RSVP row (`remind_at`), so a restart loses nothing; a due row is claimed with a conditional
 * update (one winner) and the notification's dedupe key names the person, the occurrence and
 * its start, so each reminder reaches the outbox once. A series-wide RSVP is then armed for the
 * next meeting.
 */
export function createReminderWorker(deps: CircleDeps, opts: ReminderOptions): ReminderWorker {
  async function remind(row: Awaited<ReturnType<typeof dueReminders>>[number], now: Date) {
    const r = await commit<boolean, never>(deps, now, async (trx) => {
      if (!(await claimReminder(trx, row))) return { value: false, events: [] };
      const meeting = await findMeetingById(trx, row.meeting_id);
      if (meeting === undefined) return { value: false, events: [] };
      let sent = false;
      if (
        (await isMember(trx, meeting.group_id, row.account_id)) &&
        (await wantsGroupNotification(trx, meeting.group_id, row.account_id, 'meeting'))
      ) {
        await enqueueNotification(
          trx,
          {
            accountId: row.account_id,
            kind: 'meeting',
            dedupeKey: `meeting-reminder:${row.account_id}:${row.remind_occurrence}:${row.remind_start}`,
            text: { ...REMINDER_TEXT, path: `/groups/${meeting.group_id}` },
          },
          now,
        );
        sent = true;
      }
      // Arm the next one (a series-wide answer: the next meeting).
      const rows = await rsvpsOfMeeting(trx, meeting.id);
      const series = seriesOf(meeting, await changesOf(trx, [meeting.id]));
      const own = new Set(
        rows
          .filter((r) => r.account_id === row.account_id && r.occurrence_id !== SERIES_WIDE)
          .map((r) => r.occurrence_id),
      );
      const fresh = { ...row, reminded_through: row.remind_start };
      await setReminder(trx, row, reminderFor(meeting, series, fresh, own, now));
      return { value: sent, events: [], notified: sent };
    });
    return r.ok && r.value;
  }

  async function runOnce(now: Date) {
    let sent = 0;
    for (;;) {
      const due = await dueReminders(deps.db, now.toISOString(), BATCH);
      for (const row of due) if (await remind(row, now)) sent++;
      if (due.length < BATCH) break;
    }
    return { sent };
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = runOnce(opts.now())
      .catch((e: unknown) => opts.logger?.error({ err: e }, 'meeting reminders failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.intervalMs ?? 15_000);
      });
  };
  if (opts.start !== false) timer = setTimeout(tick, opts.intervalMs ?? 15_000);
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
