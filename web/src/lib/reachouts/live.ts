/**
 * Reach-out events as they happen, for the pages and the in-app banner, from this tab's realtime
 * stream (web/src/lib/realtime/client.ts: one EventSource while the vault is open, resuming after
 * a dropped connection so nothing missed is lost). Events carry ids only; pages fetch the
 * reach-out again themselves.
 */
import type { RealtimeEvent } from '$core/circles/api';
import { onEvent } from '$lib/realtime/client';

/** Calls `listener` for every reach-out event while subscribed; returns the unsubscribe. */
export function onReachoutEvent(listener: (event: RealtimeEvent) => void): () => void {
  const stops = [onEvent('reachout.created', listener), onEvent('reachout.updated', listener)];
  return () => {
    for (const stop of stops) stop();
  };
}

/** The reach-out an event is about, if it is about one. */
export const reachoutIdOf = (e: RealtimeEvent): string | undefined =>
  e.type === 'reachout.created' || e.type === 'reachout.updated' ? e.data.reachoutId : undefined;
