// What the phone keeps for offline learning, in IndexedDB (docs/offline.md). Loaded by the pages and by the
// service worker (importScripts), so both read and write the same queue.
//   events:   lesson events done offline, waiting to be sent: {key, user, module, lesson, event, at, language}
//   attempts: quiz answers taken offline: {client_key, user, module, answers, started_at, submitted_at, language,
//             sent, result}; a sent attempt is kept with the server's result (never sent twice)
//   modules:  modules available offline: {slug, user, title, version, cache, bytes, lessons, entries, saved_at}
//   meta:     {key: "user", value: <id of the learner of the latest page>}
(function (scope) {
  "use strict";
  var NAME = "essor-offline";
  var STORES = { events: "key", attempts: "client_key", modules: "slug", meta: "key" };
  var opening = null;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = scope.indexedDB.open(NAME, 1);
        request.addEventListener("upgradeneeded", function () {
          Object.keys(STORES).forEach(function (store) {
            if (!request.result.objectStoreNames.contains(store)) {
              request.result.createObjectStore(store, { keyPath: STORES[store] });
            }
          });
        });
        request.addEventListener("success", function () { resolve(request.result); });
        request.addEventListener("error", function () { opening = null; reject(request.error); });
      });
    }
    return opening;
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(store, mode);
        var result;
        transaction.addEventListener("complete", function () { resolve(result); });
        transaction.addEventListener("error", function () { reject(transaction.error); });
        transaction.addEventListener("abort", function () { reject(transaction.error); });
        var request = work(transaction.objectStore(store));
        if (request) {
          request.addEventListener("success", function () { result = request.result; });
        }
      });
    });
  }

  function newKey() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(16) + Math.random().toString(16).slice(2);
  }

  scope.EssorOffline = {
    newKey: newKey,
    put: function (store, value) { return run(store, "readwrite", function (s) { return s.put(value); }); },
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    all: function (store) { return run(store, "readonly", function (s) { return s.getAll(); }); },
    remove: function (store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); },
    // Everything of one learner waiting to be sent: {events: [...], attempts: [...]}.
    pending: function (user) {
      var mine = function (item) { return String(item.user) === String(user); };
      return Promise.all([this.all("events"), this.all("attempts")]).then(function (found) {
        return {
          events: found[0].filter(mine),
          attempts: found[1].filter(function (a) { return mine(a) && !a.sent; }),
          others: found[0].filter(function (e) { return !mine(e); }).length +
            found[1].filter(function (a) { return !mine(a) && !a.sent; }).length
        };
      });
    },
    recordEvent: function (event) {
      event.key = event.key || newKey();
      event.at = event.at || new Date().toISOString();
      return this.put("events", event).then(function () { return event; });
    }
  };
})(self);
