/**
 * The reach-out form's logic, pure: who can be reached (members of my circle with an account),
 * who the settings name for a level, who is paused or in quiet hours (said before sending), the
 * escalation, and the request. Names come from the person's own pod map when it has them.
 */
import type { MembershipWire, ReachoutLevel } from '$core/circles/api';
import type { ReachoutNote } from '$core/circles/items';
import type { Person } from '$lib/circles/ui/pod';
import type { CreateReachout } from './api';
import type { ReachSettings } from './settings';

export interface Candidate {
  readonly accountId: string;
  readonly handle: string;
  /** The name on my pod map, else the handle. */
  readonly name: string;
  /** How to reach them, in my words on the pod map. */
  readonly reach: string;
  readonly held: Held | null;
}

export type Held =
  | { readonly kind: 'paused'; readonly until: string }
  | { readonly kind: 'quiet-hours'; readonly start: string; readonly end: string };

export function nameFor(
  accountId: string,
  handle: string,
  people: readonly Pick<Person, 'accountId' | 'name'>[],
): string {
  return people.find((p) => p.accountId === accountId)?.name ?? handle;
}

export function heldOf(m: MembershipWire, now: Date): Held | null {
  if (m.pausedUntil !== null && new Date(m.pausedUntil).getTime() > now.getTime()) {
    return { kind: 'paused', until: m.pausedUntil };
  }
  if (m.quietHours?.now === true) {
    return { kind: 'quiet-hours', start: m.quietHours.start, end: m.quietHours.end };
  }
  return null;
}

/** The members of my circle (`GET /api/v1/circles` → `mine`), named, sorted by name. */
export function candidatesOf(
  mine: readonly MembershipWire[],
  people: readonly Person[],
  now: Date,
): Candidate[] {
  return mine
    .map((m) => {
      const entry = people.find((p) => p.accountId === m.member.accountId);
      return {
        accountId: m.member.accountId,
        handle: m.member.handle,
        name: entry?.name ?? m.member.handle,
        reach: entry?.reach ?? '',
        held: heldOf(m, now),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Who the settings name for this level and are still in my circle (none: the person picks). */
export function defaultRecipients(
  level: ReachoutLevel,
  settings: ReachSettings,
  candidates: readonly Candidate[],
): string[] {
  const inCircle = new Set(candidates.map((c) => c.accountId));
  return (settings.levels[level]?.first ?? []).filter((id) => inCircle.has(id));
}

export interface Escalation {
  readonly afterMinutes: number;
  readonly recipients: readonly string[];
}

/** "If nobody answers in N minutes, also reach …": the settings' next people not already chosen. */
export function escalationFor(
  level: ReachoutLevel,
  settings: ReachSettings,
  candidates: readonly Candidate[],
  chosen: readonly string[],
): Escalation | null {
  const l = settings.levels[level];
  if (l === undefined || l.afterMinutes === null) return null;
  const inCircle = new Set(candidates.map((c) => c.accountId));
  const recipients = l.next.filter((id) => inCircle.has(id) && !chosen.includes(id));
  return recipients.length === 0 ? null : { afterMinutes: l.afterMinutes, recipients };
}

/** The chosen people who won't get a notification now (said plainly before sending). */
export function heldAmong(
  candidates: readonly Candidate[],
  chosen: readonly string[],
): (Candidate & { held: Held })[] {
  return candidates.filter(
    (c): c is Candidate & { held: Held } => c.held !== null && chosen.includes(c.accountId),
  );
}

export function buildRequest(
  id: string,
  level: ReachoutLevel,
  chosen: readonly string[],
  escalation: Escalation | null,
): CreateReachout {
  const later = escalation?.recipients.filter((r) => !chosen.includes(r)) ?? [];
  return {
    id,
    level,
    recipients: [...chosen],
    ...(escalation === null || later.length === 0
      ? {}
      : { escalation: { afterMinutes: escalation.afterMinutes, recipients: later } }),
  };
}

export type { ReachoutNote };

export function noteOf(
  note: string,
  location: ReachoutNote['location'] | null,
): ReachoutNote | null {
  const trimmed = note.trim();
  if (trimmed === '' && location === null) return null;
  return {
    ...(trimmed === '' ? {} : { note: trimmed }),
    ...(location === null ? {} : { location }),
  };
}
