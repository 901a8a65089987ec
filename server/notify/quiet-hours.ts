/**
 * Whether `now` falls in the quiet hours `start`–`end` ("HH:MM", the person's own clock in
 * `timeZone`). A window whose end is before its start runs over midnight ("22:00"–"07:00").
 * Equal start and end means no quiet hours. An unknown time zone counts as UTC.
 */
export function inQuietHours(now: Date, start: string, end: string, timeZone: string): boolean {
  if (start === end) return false;
  const local = minutesInZone(now, timeZone);
  const s = toMinutes(start);
  const e = toMinutes(end);
  return s < e ? local >= s && local < e : local >= s || local < e;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function minutesInZone(now: Date, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(now);
  } catch {
    return now.getUTCHours() * 60 + now.getUTCMinutes();
  }
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}
