/**
 * Web push on this device: the browser is asked only when the person turns it on (after the page
 * explains), and the subscription goes to the server with the VAPID key it gave. Nothing here
 * runs at import time.
 */
import type { ApiResult } from '$lib/api/client';
import { notifyApi } from './api';

export type DevicePush = 'on' | 'off' | 'denied' | 'unsupported';

export function pushSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window
  );
}

async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  if (!pushSupported()) return undefined;
  const reg = await navigator.serviceWorker.getRegistration();
  return reg ?? undefined;
}

/** Whether this device receives Tend's notifications now. */
export async function devicePush(): Promise<DevicePush> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const reg = await registration();
  const sub = await reg?.pushManager.getSubscription();
  return sub ? 'on' : 'off';
}

function base64urlToBytes(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

const sameKey = (a: ArrayBuffer | null, b: Uint8Array) =>
  a !== null && a.byteLength === b.byteLength && new Uint8Array(a).every((x, i) => x === b[i]);

export type TurnOnResult = 'on' | 'denied' | 'unsupported' | 'failed';

/** Asks the browser (it shows its own prompt), subscribes, and tells the server. */
export async function turnOnDevicePush(): Promise<TurnOnResult> {
  if (!pushSupported()) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  const api = notifyApi();
  const key = await api.pushKey();
  if (!key.ok) return 'failed';
  try {
    const reg = await navigator.serviceWorker.ready;
    const serverKey = base64urlToBytes(key.value.publicKey);
    let sub = await reg.pushManager.getSubscription();
    if (sub && !sameKey(sub.options.applicationServerKey, serverKey)) {
      await sub.unsubscribe();
      sub = null;
    }
    sub ??= await reg.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: serverKey,
    });
    const json = sub.toJSON();
    const p256dh = json.keys?.p256dh;
    const auth = json.keys?.auth;
    if (json.endpoint === undefined || p256dh === undefined || auth === undefined) return 'failed';
    const saved: ApiResult<undefined> = await api.addSubscription({
      endpoint: json.endpoint,
      keys: { p256dh: p256dh.replace(/=+$/, ''), auth: auth.replace(/=+$/, '') },
    });
    return saved.ok ? 'on' : 'failed';
  } catch {
    return 'failed';
  }
}

/** Stops push on this device: the browser forgets the subscription and so does the server. */
export async function turnOffDevicePush(): Promise<boolean> {
  const reg = await registration();
  const sub = await reg?.pushManager.getSubscription();
  if (!sub) return true;
  const removed = await notifyApi().removeSubscription(sub.endpoint);
  await sub.unsubscribe().catch(() => false);
  return removed.ok || removed.status === 404;
}
