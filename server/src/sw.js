// Tavla's service worker, generated per build by the server (routes/service_worker.rs):
// BUILD and ASSETS are filled in from the built SPA, so each build gets its own cache and a new
// build replaces the old one cleanly.
const BUILD = "__BUILD__";
const ASSETS = __ASSETS__;
const CACHE = "tavla-shell-" + BUILD;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("tavla-shell-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The API is never cached: the app keeps its data in IndexedDB.
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  if (request.mode === "navigate") {
    // Pages: the network when it answers (a new build shows at once), else the cached shell.
    event.respondWith(fetch(request).catch(() => caches.match("/index.html", { cacheName: CACHE })));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});
