// Zoufang's service worker: keeps one build of the app shell (html, js, wasm, css, icons) in a cache
// named after that build, so the app opens with no network and html, js and wasm always match.
//
// The build step (tools/finish-build.mjs) replaces the BUILD line below with the build's file list
// and a version derived from the files' contents. A new build installs into a new cache and waits;
// the page offers "update", then this worker takes over and deletes the old caches.

const BUILD = self.__ZOUFANG_BUILD__;
const CACHE_PREFIX = "zoufang-shell-";
const CACHE_NAME = CACHE_PREFIX + BUILD.version;

// Each byte is fetched once. A file whose name carries a content hash never changes under that name: it is
// copied from an earlier build's cache when that has it (an update downloads only what changed), otherwise
// taken from the HTTP cache, which already holds what the page itself just loaded. Files without a hash
// (index.html, the manifest, icons) are revalidated with the server, so a new build never precaches an old one.
async function precache(cache, url, immutable) {
  if (immutable) {
    const earlier = await caches.match(url);
    if (earlier) return cache.put(url, earlier);
  }
  const response = await fetch(new Request(url, { cache: immutable ? "default" : "no-cache" }));
  if (!response.ok) throw new Error(`precache ${url}: ${response.status}`);
  return cache.put(url, response);
}

self.addEventListener("install", (event) => {
  const immutable = new Set(BUILD.immutable || []);
  event.waitUntil(
    caches.open(CACHE_NAME).then((cache) =>
      Promise.all(BUILD.files.map((url) => precache(cache, url, immutable.has(url)))),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") {
    self.skipWaiting();
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  // The API is never cached here: records go through the app's own outbox in IndexedDB.
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      // Every app route (/households/…, /me) is the same single page.
      const cached = request.mode === "navigate"
        ? await cache.match("/index.html")
        : await cache.match(request);
      return cached || fetch(request);
    })(),
  );
});
