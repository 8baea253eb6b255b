// Essor's service worker (served at /sw.js, registered for the learner pages: scope /learn/; docs/offline.md). Hand-written, about 60 lines: it
// answers learner pages from the network when there is one and from the modules the learner downloaded when
// there is none, and serves CSS/JS/images from those downloads first. Downloads, the queue and the sync are the
// pages' work (static/js/offline.js); this file never writes a cache, so it cannot mix two versions of a page.
// One more thing: a "mark as done" sent while the phone believes it is online but the connection is dead
// (a train, a weak signal) is queued here rather than lost on the browser's error page.
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

var DONE = /^\/learn\/([-\w]+)\/([-\w]+)\/done\/$/;

function doneOrQueue(request, url) {
  var copy = request.clone();
  return fetch(request).catch(function (error) {
    return Promise.all([copy.formData(), EssorOffline.get("meta", "user")]).then(function (found) {
      var form = found[0];
      var lesson = Number(form.get("lesson_id"));
      if (!found[1] || !lesson) throw error;
      return EssorOffline.recordEvent({
        user: found[1].value, module: DONE.exec(url.pathname)[1], lesson: lesson, event: "completed",
        language: String(form.get("language") || "")
      }).then(function () {
        var next = String(form.get("next") || "");
        var target = next.indexOf("/") === 0 && next.indexOf("//") !== 0 ? next : url.pathname.replace(/done\/$/, "");
        return Response.redirect(new URL(target, self.location.origin).href, 303);
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && DONE.test(url.pathname)) {
    event.respondWith(doneOrQueue(request, url));
    return;
  }
  if (request.method !== "GET") return;
  if (request.headers.get("X-Essor-Offline") === "download") return;  // a download goes to the network only
  if (isFile(url)) {
    event.respondWith(cacheFirst(request));
  } else if (isPage(url)) {
    event.respondWith(networkFirst(request));
  }
});
