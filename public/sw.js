// 网络学院 service worker: the app shell offline, one build at a time.
//
// The page registers it as /sw.js?build=<build id> (app/src/components/app_channel.rs).
// A new build is a new script URL, so the browser installs the new worker
// beside the running one; it waits until the learner accepts the page's
// "新版本可用，点击刷新" prompt, which posts {type: "skip-waiting"}.
//
// What it keeps:
//   shell-<build>  this build's script, WASM, styles, icons and the offline page;
//                  replaced whole when a new build takes over.
//   pages-<user>   the last class home, lesson list and exam list the signed-in
//                  learner opened, for reading offline. Only ever one user's:
//                  the page says who is signed in ({type: "user"}) and the
//                  worker drops every other user's pages, and all of them on
//                  sign-out ({type: "signed-out"}).
// What it never keeps: server-function answers (/api/…), media (/media/…,
// where players ask for byte ranges), exports, or anything not a GET.
"use strict";

const BUILD = new URL(self.location.href).searchParams.get("build") || "dev";
const PKG = BUILD === "dev" ? "/pkg" : `/v/${BUILD}/pkg`;
const SHELL = `shell-${BUILD}`;
const OFFLINE = "/offline.html";
const SHELL_FILES = [
  `${PKG}/academy.js`,
  `${PKG}/academy.wasm`,
  `${PKG}/academy.css`,
  OFFLINE,
  "/favicon.svg",
  "/icons/icon-192.png",
  "/manifest.webmanifest",
];

// Pages worth reading offline: the learner's home, lesson list, class homes
// and exam list. Exams and the player need the network and say so.
const KEPT_PAGES = [/^\/$/, /^\/learn$/, /^\/my-exams$/, /^\/classes\/\d+\/home$/];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) =>
      // One request per file, without the HTTP cache: a half-fetched shell
      // is never installed (addAll fails as a whole).
      cache.addAll(SHELL_FILES.map((url) => new Request(url, { cache: "reload" }))),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("shell-") && name !== SHELL)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "skip-waiting") {
    self.skipWaiting();
  } else if (message.type === "signed-out") {
    event.waitUntil(dropPages(null));
  } else if (message.type === "user") {
    event.waitUntil(dropPages(message.user ? pagesOf(message.user) : null));
  }
});

function pagesOf(user) {
  return `pages-${user}`;
}

/** Deletes every user's kept pages but `keep`'s. */
function dropPages(keep) {
  return caches
    .keys()
    .then((names) =>
      Promise.all(
        names
          .filter((name) => name.startsWith("pages-") && name !== keep)
          .map((name) => caches.delete(name)),
      ),
    )
    .then(() => {
      currentPages = keep;
    });
}

// Which user's pages a navigation may be kept in: set by the page's message,
// and otherwise the one pages cache that exists (the worker may have been
// stopped and started since).
let currentPages = null;
async function pagesCache() {
  if (currentPages) return currentPages;
  const names = (await caches.keys()).filter((name) => name.startsWith("pages-"));
  return names.length === 1 ? names[0] : null;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request, url));
    return;
  }
  if (url.pathname.startsWith(`${PKG}/`) || SHELL_FILES.includes(url.pathname)) {
    event.respondWith(fromShell(request, url));
  }
  // Everything else (server functions, media, exports, other builds' files)
  // goes to the network untouched.
});

/** A file of this build: from the shell cache, else fetched and kept there
 * (the staff pages' chunks, loaded the first time they are opened). */
async function fromShell(request, url) {
  const hit = await caches.match(request, { cacheName: SHELL });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && url.pathname.startsWith(`${PKG}/`)) {
    const copy = response.clone();
    caches.open(SHELL).then((cache) => cache.put(request, copy));
  }
  return response;
}

async function navigate(request, url) {
  try {
    const response = await fetch(request);
    if (response.ok && KEPT_PAGES.some((page) => page.test(url.pathname))) {
      const name = await pagesCache();
      if (name) {
        const copy = response.clone();
        caches.open(name).then((cache) => cache.put(url.pathname, copy));
      }
    }
    return response;
  } catch (offline) {
    const name = await pagesCache();
    const kept = name && (await caches.match(url.pathname, { cacheName: name }));
    return kept || (await caches.match(OFFLINE, { cacheName: SHELL })) || Response.error();
  }
}
