// Essor's service worker (served at /sw.js, registered for the learner pages: scope /learn/; docs/offline.md). Hand-written, about 60 lines: it
// answers learner pages from the network when there is one and from the modules the learner downloaded when
// there is none, and serves CSS/JS/images from those downloads first. Downloads, the queue and the sync are the
// pages' work (static/js/offline.js); this file never writes a cache, so it cannot mix two versions of a page.
/* global EssorOffline */
"use strict";

var OFFLINE_PAGE = "/learn/offline/";
var MATCH = { ignoreVary: true };

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function isFile(url) {
  return url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/media/") === 0;
}

function isPage(url) {
  return url.pathname.indexOf("/learn/") === 0;
}

function fromCache(request) {
  // The exact address first (a side-by-side page is its own download), then without its query
  // (?lang=, ?source=app…), then the page that says the learner is offline.
  return caches.match(request, MATCH).then(function (found) {
    return found || caches.match(request, { ignoreVary: true, ignoreSearch: true });
  });
}

function networkFirst(request) {
  return fetch(request).catch(function (error) {
    return fromCache(request).then(function (found) {
      if (found) return found;
      if (request.mode !== "navigate") throw error;
      return caches.match(OFFLINE_PAGE, MATCH).then(function (page) {
        return page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
      });
    });
  });
}

function cacheFirst(request) {
  return caches.match(request, MATCH).then(function (found) { return found || fetch(request); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.headers.get("X-Essor-Offline") === "download") return;  // a download goes to the network only
  if (isFile(url)) {
    event.respondWith(cacheFirst(request));
  } else if (isPage(url)) {
    event.respondWith(networkFirst(request));
  }
});
