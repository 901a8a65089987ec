/**
 * Reach-out events as they happen, for the pages and the in-app banner. An adapter over the
 * realtime stream (`GET /api/v1/events`, server-sent events carrying ids only): the browser's
 * EventSource reconnects by itself with `Last-Event-ID`, so nothing missed is lost. Several
 * listeners in one tab share one connection.
 */
import { realtimeEventSchema, type RealtimeEvent } from '$core/circles/api';

type Listener = (event: RealtimeEvent) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;
const TYPES = ['reachout.created', 'reachout.updated'] as const;

function deliver(raw: MessageEvent<unknown>) {
  let json: unknown;
  try {
    json = typeof raw.data === 'string' ? JSON.parse(raw.data) : undefined;
  } catch {
    return;
  }
  // The stream may send the whole event as data, or only its data with the type as the SSE
  // event name: both read the same here.
  const candidate =
    typeof json === 'object' && json !== null && 'type' in json
      ? json
      : { seq: Number(raw.lastEventId) || 0, type: raw.type, data: json, at: '' };
  const parsed = realtimeEventSchema.safeParse(candidate);
  if (!parsed.success) return;
  for (const listener of [...listeners]) listener(parsed.data);
}

function open() {
  if (source !== null || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/v1/events', { withCredentials: true });
  source.addEventListener('message', deliver);
  for (const type of TYPES) source.addEventListener(type, deliver);
}

/** Calls `listener` for every reach-out event while subscribed; returns the unsubscribe. */
export function onReachoutEvent(listener: Listener): () => void {
  listeners.add(listener);
  open();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && source !== null) {
      source.close();
      source = null;
    }
  };
}

/** The reach-out an event is about, if it is about one. */
export const reachoutIdOf = (e: RealtimeEvent): string | undefined =>
  e.type === 'reachout.created' || e.type === 'reachout.updated'
    ? (e.data.reachoutId ?? e.data.id)
    : undefined;
