/**
 * How a reach-out reads, pure: each person's state in plain words (as message ids and values),
 * the escalation's state, and the order lists are shown in (open first, newest first).
 */
import type { ReachoutWire } from '$core/circles/api';

export type Recipient = ReachoutWire['recipients'][number];

export interface Line {
  readonly id: string;
  readonly values?: Record<string, string | number>;
}

/** Where one person is with the reach-out, most telling first. */
export function stateOf(r: Recipient): Line {
  if (r.response === 'on-my-way' && r.etaMinutes !== null) {
    return { id: 'reachouts.mine.onMyWay', values: { minutes: r.etaMinutes } };
  }
  if (r.response !== null) return { id: `reachouts.responses.${r.response}` };
  if (r.notifiedAt === null) return { id: 'reachouts.mine.notYet' };
  if (r.seenAt !== null) return { id: 'reachouts.mine.seen' };
  return { id: 'reachouts.mine.notSeen' };
}

export type EscalationState =
  | { readonly kind: 'none' }
  | { readonly kind: 'waiting'; readonly at: Date }
  | { readonly kind: 'done'; readonly at: Date }
  | { readonly kind: 'not-needed' };

const COUNTS = new Set(['seen', 'calling', 'on-my-way']);

/** An answer that stops escalation: seen, calling or on my way (`cant` does not count). */
export const answered = (r: Recipient) => r.response !== null && COUNTS.has(r.response);

export function escalationState(r: ReachoutWire): EscalationState {
  if (r.escalation === null) return { kind: 'none' };
  if (r.escalation.escalatedAt !== null) {
    return { kind: 'done', at: new Date(r.escalation.escalatedAt) };
  }
  if (r.recipients.filter((x) => x.wave === 1).some(answered)) return { kind: 'not-needed' };
  if (r.status !== 'open') return { kind: 'none' };
  const at = new Date(new Date(r.createdAt).getTime() + r.escalation.afterMinutes * 60_000);
  return { kind: 'waiting', at };
}

/** Open reach-outs first, then newest first. */
export function ordered<T extends Pick<ReachoutWire, 'status' | 'createdAt'>>(
  list: readonly T[],
): T[] {
  return [...list].sort((a, b) => {
    const open = Number(b.status === 'open') - Number(a.status === 'open');
    return open !== 0 ? open : b.createdAt.localeCompare(a.createdAt);
  });
}

/** Wave 1 first, then by when they answered (answers first), for the person's view. */
export function recipientsInOrder(r: ReachoutWire): Recipient[] {
  return [...r.recipients].sort(
    (a, b) =>
      a.wave - b.wave ||
      Number(b.response !== null) - Number(a.response !== null) ||
      a.handle.localeCompare(b.handle),
  );
}
