// The portal's service worker (served at /sw.js by src/web/script.routes.ts, which fills in
// VERSION and ASSETS). It keeps the stylesheet, the script, the report form and the region lists
// so that /lapor opens without a connection; the page's script keeps the draft and sends it.
// Pages are network-first (always fresh when online), assets cache-first (their names change
// with their content). Anything else, and every POST, goes to the network untouched.
const VERSION = 'dev';
const ASSETS = [];
const CACHE = `lapor-${VERSION}`;
const FORM = '/lapor';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(ASSETS);
      // The form as the signed-in citizen sees it; a redirect to the sign-in page is not kept.
      await keep(cache, new Request(FORM, { credentials: 'same-origin' })).catch(() => null);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('lapor-') && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (ASSETS.includes(url.pathname)) event.respondWith(cacheFirst(request));
  else if (url.pathname === FORM && request.mode === 'navigate') event.respondWith(networkFirst(request, true));
  else if (url.pathname === '/api/v1/regions') event.respondWith(networkFirst(request, false));
});

/** Fetches, and keeps a plain 200 answer (never a redirect or an error page). */
async function keep(cache, request) {
  const response = await fetch(request);
  if (response.status === 200 && response.type === 'basic' && !response.redirected) await cache.put(request.url, response.clone());
  return response;
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request.url)) ?? keep(cache, request);
}

async function networkFirst(request, page) {
  const cache = await caches.open(CACHE);
  try {
    return await keep(cache, request);
  } catch {
    // Offline: the copy kept; for the form in another language, the form as first kept.
    const kept = (await cache.match(request.url)) ?? (page ? await cache.match(new URL(FORM, self.location.origin).href) : undefined);
    return kept ?? Response.error();
  }
}
