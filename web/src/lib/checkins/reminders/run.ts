/**
 * Delivers reminders while Tend is open in a tab: a timer set for the next reminder time
 * (./schedule.ts), checked again at least each minute, shows a notification with the person's
 * reminder words and nothing else (no check-in content, no counts). Tapping it opens /checkins
 * (the service worker's `notificationclick`); its actions "in an hour" and "stop" come back here
 * as messages from the service worker. A reminder more than 15 minutes late (the device slept)
 * is let go rather than shown late: no "you missed".
 *
 * Start it with `startReminders()` (idempotent; returns a stop function), loaded lazily:
 *   const { startReminders } = await import('$lib/checkins/reminders/run');
 */
import { get } from 'svelte/store';
import { _ } from 'svelte-i18n';
import { vault as session } from '$lib/vault/state.svelte';
import './messages';
import {
  dueBetween,
  nextReminder,
  readSettings,
  snoozeAnHour,
  writeSettings,
  type ReminderSettings,
} from './schedule';

export const REMINDER_TAG = 'tend-checkin-reminder';
/** Fired on `window` when the settings change outside the page (a notification action). */
export const CHANGED_EVENT = 'tend-reminders-changed';
const LATE_MS = 15 * 60_000;

let users = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let last = 0;

const storage = (): Storage | undefined => {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
};
const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

function current(): { accountId: string; settings: ReminderSettings | undefined } | undefined {
  const accountId = session.account?.id;
  return accountId ? { accountId, settings: readSettings(storage(), accountId) } : undefined;
}

export const notificationsSupported = () => typeof Notification !== 'undefined';

/** Shows one reminder now (when notifications are allowed); false when it could not. */
export async function showReminder(words: string): Promise<boolean> {
  if (!notificationsSupported() || Notification.permission !== 'granted') return false;
  const t = get(_);
  const title = t('checkins.reminders.notificationTitle');
  const options: NotificationOptions = {
    body: words.trim() || t('checkins.reminders.defaultWords'),
    tag: REMINDER_TAG,
    data: { url: '/checkins' },
  };
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    if (registration) {
      const actions = [
        { action: 'snooze', title: t('checkins.reminders.actionSnooze') },
        { action: 'stop', title: t('checkins.reminders.actionStop') },
      ];
      await registration.showNotification(title, { ...options, actions } as NotificationOptions);
      return true;
    }
    const n = new Notification(title, options);
    n.onclick = () => {
      n.close();
      window.focus();
      window.location.assign('/checkins');
    };
    return true;
  } catch {
    return false;
  }
}

function schedule() {
  clearTimeout(timer);
  if (users === 0) return;
  const c = current();
  const next = c?.settings ? nextReminder(c.settings, last, zone()) : undefined;
  // At least once a minute: settings change in other tabs, and clocks jump after sleep.
  const wait = next === undefined ? 60_000 : Math.min(Math.max(next - Date.now() + 50, 0), 60_000);
  timer = setTimeout(() => void check(), wait);
}

async function check() {
  const now = Date.now();
  const c = current();
  const from = Math.max(last, now - LATE_MS);
  last = now;
  if (c?.settings && dueBetween(c.settings, from, now, zone())) {
    await showReminder(c.settings.words);
  }
  schedule();
}

/** Re-reads the settings (call after changing them). */
export function remindersChanged(): void {
  schedule();
}

function onMessage(event: MessageEvent) {
  const data = event.data as { type?: unknown; action?: unknown; tag?: unknown } | null;
  if (data?.type !== 'tend.notification' || data.tag !== REMINDER_TAG) return;
  const c = current();
  if (!c?.settings) return;
  const next =
    data.action === 'snooze'
      ? snoozeAnHour(c.settings, Date.now())
      : data.action === 'stop'
        ? { ...c.settings, enabled: false }
        : undefined;
  if (!next) return;
  writeSettings(storage(), c.accountId, next);
  window.dispatchEvent(new Event(CHANGED_EVENT));
  schedule();
}

const onStorage = () => schedule();

/** Starts the reminders for this tab; the returned function stops this use of them. */
export function startReminders(): () => void {
  users += 1;
  if (users === 1) {
    last = Date.now();
    navigator.serviceWorker?.addEventListener('message', onMessage);
    window.addEventListener('storage', onStorage);
    schedule();
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    users -= 1;
    if (users === 0) {
      clearTimeout(timer);
      navigator.serviceWorker?.removeEventListener('message', onMessage);
      window.removeEventListener('storage', onStorage);
    }
  };
}
