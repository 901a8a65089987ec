/**
 * "Open now / opens at / hours not known" in words, computed on this device from a resource's
 * hours (docs/RESOURCES.md, "Opening hours"). It uses Temporal (through core/src/resources/hours),
 * which is large: pages load this module on demand (`loadOpenState`), never in their first bundle.
 *
 * Times are shown in the viewer's zone; when the place's clock shows a different time, both are
 * given with the place's zone named ("until 02:00 (Europe/London), 01:00 your time").
 */
import { openStateAt, type Hours } from '$core/resources/hours';

export interface OpenWords {
  readonly id: string;
  readonly values?: Readonly<Record<string, string>>;
  readonly open: boolean | null;
}

const DAY_MS = 86_400_000;

function formatAt(ms: number, nowMs: number, locale: string, timeZone: string): string {
  const soon = ms - nowMs < DAY_MS;
  return new Intl.DateTimeFormat(locale, {
    ...(soon ? {} : { weekday: 'long' as const }),
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(ms);
}

export function deviceZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Words for the open state at `nowMs` (message ids under resources.open). */
export function openWords(
  hours: Hours | null,
  nowMs: number,
  locale: string,
  myZone: string = deviceZone(),
): OpenWords {
  const state = openStateAt(hours, nowMs);
  if (state.status === 'unknown' || hours === null)
    return { id: 'resources.open.unknown', open: null };
  const at = state.status === 'open' ? state.closesAt : state.opensAt;
  if (at === null) {
    return state.status === 'open'
      ? { id: 'resources.open.openAllWeek', open: true }
      : { id: 'resources.open.notSoon', open: false };
  }
  const mine = formatAt(at, nowMs, locale, myZone);
  const place = formatAt(at, nowMs, locale, hours.timeZone);
  const open = state.status === 'open';
  if (mine === place) {
    return {
      id: open ? 'resources.open.openUntil' : 'resources.open.opensAt',
      values: { time: mine },
      open,
    };
  }
  return {
    id: open ? 'resources.open.openUntilZones' : 'resources.open.opensAtZones',
    values: { place, mine, zone: hours.timeZone },
    open,
  };
}
