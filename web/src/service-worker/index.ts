// Tend's service worker: Tend opens offline after a first visit.
// - install: precache the app shell (every built asset, every static file, and "/" with the
//   scripts it loads, including the bootstrap script moved out of the HTML at build time);
// - navigations: the cached shell at once, refreshed from the network in the background;
//   the network when nothing is cached yet;
// - SvelteKit's version file: the network, else the cached copy;
// - other same-origin GETs: cache first, then the network (keeping new immutable build files);
// - /api/, /healthz and /readyz are never cached or answered from a cache: always the network;
// - activate: delete the caches of older versions.
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const CACHE = `tend-shell-${version}`;
const SHELL = '/';
/** SvelteKit asks for this to learn whether a new release is out; offline, the cached answer. */
const VERSION_FILE = '/_app/version.json';
const PRECACHE = [...new Set([...build, ...files])];

/** The API and the server's own endpoints: always live, never cached, never the app shell. */
function isServerPath(url: URL): boolean {
  const path = url.pathname;
  return path === '/api' || path.startsWith('/api/') || path === '/healthz' || path === '/readyz';
}

/** Same-origin scripts and styles that the shell page links to (e.g. /_app/immutable/boot.*.js). */
function shellAssets(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)) {
    const url = new URL(match[1] ?? '', sw.location.origin);
    if (url.origin === sw.location.origin && !isServerPath(url)) found.add(url.pathname);
  }
  return [...found];
}

async function precache(): Promise<void> {
  const cache = await caches.open(CACHE);
  await cache.addAll([...PRECACHE, VERSION_FILE]);
  const shell = await fetch(SHELL, { cache: 'reload' });
  if (!shell.ok) throw new Error(`Could not fetch the app shell (${String(shell.status)})`);
  const html = await shell.clone().text();
  await cache.put(SHELL, shell);
  const missing = shellAssets(html).filter((path) => !PRECACHE.includes(path));
  await cache.addAll(missing);
}

sw.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key !== CACHE && key.startsWith('tend-')) await caches.delete(key);
      }
      await sw.clients.claim();
    })(),
  );
});

async function refreshShell(cache: Cache): Promise<Response | undefined> {
  try {
    const response = await fetch(SHELL, { cache: 'no-cache' });
    if (response.ok && response.headers.get('content-type')?.includes('text/html')) {
      await cache.put(SHELL, response.clone());
      return response;
    }
  } catch {
    // Offline: the cached shell is what we have.
  }
  return undefined;
}

async function navigate(event: FetchEvent): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(SHELL);
  if (cached) {
    event.waitUntil(refreshShell(cache));
    return cached;
  }
  try {
    return await fetch(event.request);
  } catch {
    return (await refreshShell(cache)) ?? Response.error();
  }
}

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request.url, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request.url);
    if (cached) return cached;
    throw error;
  }
}

async function asset(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  // Only immutable build files are kept on the fly; everything else was precached or is live.
  const immutable = new URL(request.url).pathname.startsWith('/_app/immutable/');
  if (immutable && response.ok && response.type === 'basic') {
    await cache.put(request, response.clone());
  }
  return response;
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin || isServerPath(url)) return;

  if (request.mode === 'navigate') {
    event.respondWith(navigate(event));
  } else if (url.pathname === VERSION_FILE) {
    event.respondWith(networkFirst(request));
  } else {
    event.respondWith(asset(request));
  }
});

/**
 * A push from Tend's server (server/notify/push.ts): `{ title, body, path }`, fixed words and a
 * same-origin path only, never anything a person wrote. Shown as it came; a tap opens the path
 * through the notificationclick handler below. Anything unreadable still shows a plain notice,
 * because a push the browser delivers must be shown.
 */
sw.addEventListener('push', (event) => {
  let payload: { title?: unknown; body?: unknown; path?: unknown } = {};
  try {
    payload = (event.data?.json() ?? {}) as typeof payload;
  } catch {
    payload = {};
  }
  const title = typeof payload.title === 'string' && payload.title !== '' ? payload.title : 'Tend';
  const body = typeof payload.body === 'string' ? payload.body : 'Open Tend to see what is new.';
  const path =
    typeof payload.path === 'string' &&
    payload.path.startsWith('/') &&
    !payload.path.startsWith('//')
      ? payload.path
      : '/';
  event.waitUntil(
    sw.registration.showNotification(title, {
      body,
      tag: `tend-push:${path}`,
      icon: '/icons/icon-192.png',
      data: { url: path },
    }),
  );
});

/**
 * A tapped reminder (web/src/lib/checkins/reminders) opens the page it names — only a
 * same-origin path, default /checkins — in a Tend tab already open, else a new one. Notifications
 * carry no private content; an action other than opening (e.g. "snooze") is passed to the open
 * tabs, which own the reminder settings.
 */
sw.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data as { url?: unknown } | null;
  const path =
    typeof data?.url === 'string' && data.url.startsWith('/') && !data.url.startsWith('//')
      ? data.url
      : '/checkins';
  const target = new URL(path, sw.location.origin);
  event.waitUntil(
    (async () => {
      const tabs = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
      if (event.action !== '') {
        for (const tab of tabs)
          tab.postMessage({
            type: 'tend.notification',
            action: event.action,
            tag: event.notification.tag,
          });
        return;
      }
      const open = tabs.find((tab) => new URL(tab.url).origin === target.origin);
      if (open) {
        await open.focus();
        if ('navigate' in open) await open.navigate(target.href);
        return;
      }
      await sw.clients.openWindow(target.href);
    })(),
  );
});
