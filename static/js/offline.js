// Offline learning in the browser (docs/offline.md): registers the service worker, downloads modules for
// offline reading, records "mark as done" and quiz answers in IndexedDB when there is no connection, shows
// that the page is offline and how much waits, and sends the queue through the API when the connection is back.
// Every sentence shown comes translated from the page (data-msg-* attributes): no text is written here.
(function () {
  "use strict";
  var store = window.EssorOffline;
  var body = document.body;
  if (!store || !window.indexedDB || !window.caches || !("serviceWorker" in navigator)) return;

  var user = body.dataset.user || "";
  var banner = document.getElementById("offline-status");
  var language = document.documentElement.lang || "en";
  var openedAt = new Date().toISOString();
  var API = "/api/v1/";
  var BATCH_MAX = 1000;

  // Only the learner pages work offline: the worker controls them alone, and leaves every other page alone.
  navigator.serviceWorker.register(body.dataset.sw || "/sw.js", { scope: "/learn/" }).catch(function () {});
  if (user) store.put("meta", { key: "user", value: user }).catch(function () {});

  // --- Small helpers ------------------------------------------------------------------------------------------

  function msg(element, key) { return (element && element.dataset["msg" + key]) || ""; }

  function kilobytes(bytes) {
    try {
      return new Intl.NumberFormat(language, { style: "unit", unit: "kilobyte", maximumFractionDigits: 0 })
        .format(Math.max(1, Math.round(bytes / 1000)));
    } catch (error) {
      return Math.round(bytes / 1000) + " KB";
    }
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function api(method, path, data) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (data !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrfToken();
      options.body = JSON.stringify(data);
    }
    return fetch(path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, ok: response.ok, data: json };
      });
    });
  }

  function notice(text, link) {
    if (!banner || !text) return;
    var item = document.createElement("li");
    item.textContent = text + " ";
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      item.appendChild(anchor);
    }
    banner.querySelector(".offline-notices").appendChild(item);
    banner.hidden = false;
  }

  function sessionEnded() {
    var next = encodeURIComponent(location.pathname + location.search);
    notice(msg(banner, "Login"), { href: banner.dataset.loginUrl + "?next=" + next, text: msg(banner, "LoginLink") });
  }

  // --- The banner: offline, and how much waits ----------------------------------------------------------------

  function showStatus() {
    if (!banner) return Promise.resolve();
    return store.pending(user).then(function (pending) {
      var waiting = pending.events.length + pending.attempts.length + (user ? 0 : pending.others);
      var parts = [];
      if (!navigator.onLine) parts.push(msg(banner, "Offline"));
      if (waiting) parts.push(msg(banner, "Waiting") + " " + waiting);
      var line = banner.querySelector(".offline-line");
      line.textContent = parts.join(" ");
      line.dataset.waiting = String(waiting);
      banner.hidden = !parts.length && !banner.querySelector(".offline-notices li");
      document.documentElement.classList.toggle("is-offline", !navigator.onLine);
    }).catch(function () {});
  }

  // --- Recording offline --------------------------------------------------------------------------------------

  var article = document.querySelector("[data-offline-lesson]");
  var lessonId = article ? Number(article.dataset.offlineLesson) : 0;

  function markDoneLocally(ids) {
    ids.forEach(function (id) {
      var item = document.querySelector('.lesson-list li[data-lesson-id="' + id + '"]');
      if (item) {
        item.classList.add("is-done", "is-done-offline");
        var tick = item.querySelector(".tick");
        if (tick) tick.textContent = "✓";
      }
    });
    if (lessonId && ids.indexOf(lessonId) !== -1) {
      var form = document.querySelector("form[data-offline-done]");
      if (form) {
        var done = document.createElement("p");
        done.className = "offline-done";
        done.textContent = msg(banner, "DoneOffline");
        form.parentNode.replaceChild(done, form);
      }
    }
  }

  function overlayQueue() {
    if (!user) return Promise.resolve();
    return store.pending(user).then(function (pending) {
      markDoneLocally(pending.events.filter(function (e) { return e.event === "completed"; }).map(function (e) { return e.lesson; }));
    });
  }

  if (article && user && !navigator.onLine) {
    // Read offline: the view is recorded with the phone's time, like on the server.
    store.recordEvent({ user: user, module: article.dataset.offlineModule, lesson: lessonId, event: "viewed",
                        language: article.dataset.offlineLanguage }).then(showStatus);
  }

  var doneForm = document.querySelector("form[data-offline-done]");
  if (doneForm && article && user) {
    doneForm.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      store.recordEvent({ user: user, module: article.dataset.offlineModule, lesson: lessonId, event: "completed",
                          language: article.dataset.offlineLanguage }).then(function () {
        var next = doneForm.querySelector("input[name=next]");
        if (next && next.value) {
          location.href = next.value;
        } else {
          markDoneLocally([lessonId]);
          showStatus();
        }
      });
    });
  }

  var quizForm = document.querySelector("form[data-offline-quiz]");
  if (quizForm && user) {
    quizForm.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      var answers = {};
      var unanswered = false;
      quizForm.querySelectorAll("fieldset.question").forEach(function (fieldset) {
        var first = fieldset.querySelector("input[name^='q-']");
        if (!first) return;
        var chosen = Array.prototype.map.call(fieldset.querySelectorAll("input[name^='q-']:checked"), function (input) {
          return Number(input.value);
        });
        if (!chosen.length) unanswered = true;
        answers[first.name.slice(2)] = chosen;
      });
      var message = quizForm.querySelector(".offline-quiz-message") || document.createElement("p");
      message.className = "offline-quiz-message notice notice-info";
      message.setAttribute("role", "alert");
      quizForm.insertBefore(message, quizForm.firstChild);
      if (unanswered) {
        message.textContent = msg(banner, "AnswerAll");
        return;
      }
      var keyInput = quizForm.querySelector("input[name=client_key]");
      var key = keyInput && keyInput.value ? keyInput.value : store.newKey();
      store.get("attempts", key).then(function (existing) {
        // A downloaded quiz page carries one key: a second attempt taken from it gets its own.
        if (existing) key = store.newKey();
        if (keyInput) keyInput.value = store.newKey();
        return store.put("attempts", {
          client_key: key, user: user, module: quizForm.dataset.offlineQuiz, answers: answers, started_at: openedAt,
          submitted_at: new Date().toISOString(), language: quizForm.dataset.offlineLanguage, sent: false
        });
      }).then(function () {
        message.textContent = msg(banner, "QuizSaved");
        message.scrollIntoView({ block: "center" });
        showStatus();
      });
    });
  }

  // --- Downloading a module -----------------------------------------------------------------------------------

  function QuotaError() { this.name = "QuotaExceededError"; }
  function SessionError() { this.name = "SessionError"; }

  function fetchForOffline(url) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Essor-Offline": "download" } }).then(function (response) {
      if (response.redirected && response.url.indexOf("/accounts/login") !== -1) throw new SessionError();
      if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
      return response;
    });
  }

  function sameOriginFiles(html, base) {
    var found = [];
    var pattern = /<(?:script|img)\b[^>]*?\bsrc="([^"]+)"|<link\b[^>]*?\bhref="([^"]+\.(?:css|svg|png|webp|jpg|jpeg))"/gi;
    var match;
    while ((match = pattern.exec(html))) {
      var url = new URL((match[1] || match[2]).replace(/&amp;/g, "&"), base);
      if (url.origin === location.origin) found.push(url.pathname + url.search);
    }
    return found;
  }

  function download(slug, title, second, onProgress) {
    var record;
    var pkg;
    var name;
    return store.get("modules", slug).then(function (found) {
      record = found;
      return api("GET", API + "offline/modules/" + encodeURIComponent(slug) + "/" + (second ? "?with=" + encodeURIComponent(second) : ""));
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) throw new SessionError();
      if (!response.ok) throw new Error("package " + response.status);
      pkg = response.data;
      if (record && record.version === pkg.version && String(record.user) === String(user)) return record;
      var estimate = navigator.storage && navigator.storage.estimate ? navigator.storage.estimate() : Promise.resolve(null);
      return estimate.then(function (space) {
        if (space && space.quota && space.quota - space.usage < pkg.bytes) throw new QuotaError();
        if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
        return fill();
      });
    });

    function fill() {
      // A new cache per module version: the old one keeps answering until the new one is whole, so a
      // page is always read in one version; then the old one is deleted.
      name = "essor-module-" + slug + "-" + pkg.version;
      var previous = {};
      (record ? record.entries : []).forEach(function (entry) { previous[entry.url] = entry.version; });
      var queue = pkg.entries.map(function (entry) { return entry; });
      var seen = {};
      queue.forEach(function (entry) { seen[entry.url] = true; });
      var total = pkg.bytes;
      var loaded = 0;
      var stored = 0;
      var updated = 0;
      var index = 0;
      return caches.open(name).then(function (cache) {
        function next() {
          if (index >= queue.length) return Promise.resolve();
          var entry = queue[index++];
          var reuse = record && entry.version && previous[entry.url] === entry.version && entry.kind !== "static"
            ? caches.open(record.cache).then(function (old) { return old.match(entry.url, { ignoreVary: true }); })
            : Promise.resolve(null);
          return reuse.then(function (kept) {
            if (!kept && entry.lesson && record) updated += 1;
            return kept || fetchForOffline(entry.url);
          }).then(function (response) {
            return response.blob().then(function (blob) {
              var type = response.headers.get("Content-Type") || "";
              var copy = new Response(blob, { status: 200, headers: { "Content-Type": type } });
              return cache.put(entry.url, copy).then(function () {
                stored += blob.size;
                loaded += entry.bytes || blob.size;
                if (/text\/html/.test(type)) {
                  return blob.text().then(function (html) {
                    sameOriginFiles(html, location.href).forEach(function (url) {
                      if (!seen[url] && url.indexOf("/static/") === 0) {
                        seen[url] = true;
                        queue.push({ url: url, kind: "static", bytes: 0 });
                      }
                    });
                  });
                }
              });
            });
          }).then(function () {
            if (onProgress) onProgress(Math.min(99, Math.round(100 * loaded / Math.max(total, 1))));
            return next();
          });
        }
        return next();
      }).then(function () {
        var kept = {
          slug: slug, user: user, title: title || (record && record.title) || slug, version: pkg.version, cache: name,
          bytes: stored, language: pkg.language, second_language: pkg.second_language, lessons: pkg.lessons,
          entries: pkg.entries.map(function (e) { return { url: e.url, version: e.version, lesson: e.lesson, kind: e.kind }; }),
          saved_at: new Date().toISOString()
        };
        return store.put("modules", kept).then(function () {
          if (record && record.cache !== name) caches.delete(record.cache);
          if (record && updated) notice(msg(banner, "Updated"));
          if (record) {
            var removed = record.lessons.filter(function (id) { return pkg.lessons.indexOf(id) === -1; });
            if (removed.length) notice(msg(banner, "LessonRemoved"));
          }
          if (onProgress) onProgress(100);
          return kept;
        });
      }).catch(function (error) {
        caches.delete(name);
        if (error && (error.name === "QuotaExceededError" || error.name === "SessionError")) throw error;
        if (error && error.name === "DOMException" && /quota/i.test(String(error.message))) throw new QuotaError();
        throw error;
      });
    }
  }

  function removeModule(slug) {
    return store.get("modules", slug).then(function (record) {
      if (!record) return null;
      return caches.delete(record.cache).then(function () { return store.remove("modules", slug); });
    });
  }

  function failure(element, error) {
    if (error && error.name === "QuotaExceededError") return msg(element, "Quota");
    if (error && error.name === "SessionError") return msg(element, "Login") || msg(banner, "Login");
    return msg(element, "Failed");
  }

  // The module page's box.
  var box = document.querySelector("[data-offline-box]");
  if (box && user) {
    var slug = box.dataset.offlineBox;
    var sizeLine = box.querySelector(".offline-size");
    var bar = box.querySelector(".offline-progress");
    var message = box.querySelector(".offline-message");
    var downloadButton = box.querySelector(".offline-download");
    var removeButton = box.querySelector(".offline-remove");
    var secondBox = box.querySelector(".offline-second");
    var refreshBox = function () {
      return store.get("modules", slug).then(function (record) {
        var mine = record && String(record.user) === String(user);
        removeButton.hidden = !mine;
        downloadButton.hidden = !!mine;
        if (secondBox) secondBox.closest("p").hidden = !!mine;
        if (mine) {
          sizeLine.textContent = msg(box, "Stored").replace("{size}", kilobytes(record.bytes));
          box.dataset.offlineState = "stored";
        } else if (navigator.onLine) {
          box.dataset.offlineState = "available";
          var second = secondBox && secondBox.checked ? secondBox.value : "";
          return api("GET", API + "offline/modules/" + encodeURIComponent(slug) + "/" + (second ? "?with=" + second : ""))
            .then(function (response) {
              if (response.ok) sizeLine.textContent = msg(box, "Size").replace("{size}", kilobytes(response.data.bytes));
            }).catch(function () {});
        }
      });
    };
    box.hidden = false;
    refreshBox();
    if (secondBox) secondBox.addEventListener("change", refreshBox);
    downloadButton.addEventListener("click", function () {
      downloadButton.disabled = true;
      bar.hidden = false;
      bar.value = 0;
      message.textContent = msg(box, "Downloading");
      download(slug, box.dataset.title, secondBox && secondBox.checked ? secondBox.value : "", function (percent) {
        bar.value = percent;
      }).then(function () {
        message.textContent = "";
        box.dataset.offlineState = "stored";
        return refreshBox();
      }).catch(function (error) {
        message.textContent = failure(box, error);
        box.dataset.offlineState = "failed";
      }).then(function () {
        bar.hidden = true;
        downloadButton.disabled = false;
      });
    });
    removeButton.addEventListener("click", function () {
      removeModule(slug).then(function () {
        message.textContent = msg(box, "Removed");
        return refreshBox();
      });
    });
  }

  // The dashboard's list of the modules on this phone.
  var list = document.querySelector("[data-offline-list]");
  function renderList() {
    if (!list) return Promise.resolve();
    return store.all("modules").then(function (records) {
      var mine = records.filter(function (r) { return String(r.user) === String(user); });
      var ul = list.querySelector(".offline-modules");
      ul.textContent = "";
      if (!mine.length) {
        var empty = document.createElement("li");
        empty.className = "muted";
        empty.textContent = msg(list, "Empty");
        ul.appendChild(empty);
      }
      mine.forEach(function (record) {
        var item = document.createElement("li");
        item.dataset.slug = record.slug;
        var link = document.createElement("a");
        link.href = "/learn/" + record.slug + "/";
        link.textContent = record.title;
        var size = document.createElement("span");
        size.className = "small muted";
        size.textContent = " " + kilobytes(record.bytes) + " ";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-small btn-ghost";
        remove.textContent = msg(list, "Remove");
        remove.addEventListener("click", function () { removeModule(record.slug).then(renderList); });
        item.appendChild(link);
        item.appendChild(size);
        item.appendChild(remove);
        ul.appendChild(item);
      });
      list.hidden = false;
    });
  }
  if (list && user) {
    renderList();
    var all = list.querySelector(".offline-download-all");
    if (all) {
      all.addEventListener("click", function () {
        var bar = list.querySelector(".offline-progress");
        var line = list.querySelector(".offline-message");
        var candidates = Array.prototype.slice.call(list.querySelectorAll(".offline-candidates li"));
        all.disabled = true;
        bar.hidden = false;
        line.textContent = msg(list, "Downloading");
        var done = 0;
        candidates.reduce(function (chain, item) {
          return chain.then(function () {
            return download(item.dataset.slug, item.textContent, "", function (percent) {
              bar.value = Math.round((100 * done + percent) / candidates.length);
            }).then(function () { done += 1; });
          });
        }, Promise.resolve()).then(function () {
          line.textContent = "";
        }).catch(function (error) {
          line.textContent = failure(list, error);
        }).then(function () {
          bar.hidden = true;
          all.disabled = false;
          return renderList();
        });
      });
    }
  }

  // --- Back online: send the queue, then refresh the modules on this phone -----------------------------------

  var syncing = null;

  function sendEvents(events) {
    if (!events.length) return Promise.resolve(true);
    var chunk = events.slice(0, BATCH_MAX);
    return api("POST", API + "progress/batch/", {
      events: chunk.map(function (e) { return { lesson: e.lesson, event: e.event, at: e.at, language: e.language || "" }; })
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) { sessionEnded(); return false; }
      if (!response.ok) return false;
      // Sent: the server's state replaces the local one (duplicates change nothing there).
      return Promise.all(chunk.map(function (e) { return store.remove("events", e.key); })).then(function () {
        return sendEvents(events.slice(BATCH_MAX));
      });
    });
  }

  function sendAttempts(attempts) {
    return attempts.reduce(function (chain, attempt) {
      return chain.then(function (ok) {
        if (!ok) return false;
        return api("POST", API + "quizzes/" + encodeURIComponent(attempt.module) + "/attempts/", {
          answers: attempt.answers, client_key: attempt.client_key, started_at: attempt.started_at,
          submitted_at: attempt.submitted_at, language: attempt.language
        }).then(function (response) {
          if (response.status === 401 || response.status === 403) { sessionEnded(); return false; }
          if (response.status === 400 || response.status === 404) {
            notice(msg(banner, "QuizChanged"));
            return store.remove("attempts", attempt.client_key).then(function () { return true; });
          }
          if (!response.ok) return false;
          var result = response.data;
          attempt.sent = true;
          attempt.result = { id: result.id, score: result.score, passed: result.passed, module_completed: result.module_completed,
                             certificate: result.certificate };
          return store.put("attempts", attempt).then(function () {
            var scored = msg(banner, "QuizScored").replace("{score}", result.score + " %") + " " +
              msg(banner, result.passed ? "Passed" : "NotPassed");
            var link = { href: "/learn/" + attempt.module + "/quiz/attempts/" + result.id + "/", text: msg(banner, "SeeResult") };
            notice(scored, link);
            // The server's result replaces "saved on this phone" where the answers were given.
            var local = document.querySelector(".offline-quiz-message");
            if (local && quizForm && quizForm.dataset.offlineQuiz === attempt.module) {
              local.textContent = scored + " ";
              var anchor = document.createElement("a");
              anchor.href = link.href;
              anchor.textContent = link.text;
              local.appendChild(anchor);
            }
            if (result.module_completed && result.certificate) {
              notice(msg(banner, "Completed"), { href: "/learn/certificates/" + result.certificate + "/", text: msg(banner, "Certificate") });
            }
            return true;
          });
        });
      });
    }, Promise.resolve(true));
  }

  function refreshModules() {
    // A module whose content changed is downloaded again (only what changed); a lesson that no longer
    // exists is dropped, with what was done in it offline.
    return store.all("modules").then(function (records) {
      return records.filter(function (r) { return String(r.user) === String(user); }).reduce(function (chain, record) {
        return chain.then(function () {
          return api("GET", API + "offline/modules/" + encodeURIComponent(record.slug) + "/" +
                     (record.second_language ? "?with=" + record.second_language : "")).then(function (response) {
            if (response.status === 404) {
              notice(msg(banner, "ModuleGone"));
              return removeModule(record.slug);
            }
            if (!response.ok) return null;
            var lessons = response.data.lessons;
            return store.pending(user).then(function (pending) {
              var gone = pending.events.filter(function (e) { return e.module === record.slug && lessons.indexOf(e.lesson) === -1; });
              if (gone.length) notice(msg(banner, "LessonRemoved"));
              return Promise.all(gone.map(function (e) { return store.remove("events", e.key); }));
            }).then(function () {
              if (response.data.version !== record.version) {
                return download(record.slug, record.title, record.second_language).catch(function () {});
              }
              return null;
            });
          });
        });
      }, Promise.resolve());
    });
  }

  function sync() {
    if (!user || !navigator.onLine) return Promise.resolve();
    if (syncing) return syncing;
    syncing = store.pending(user).then(function (pending) {
      if (!pending.events.length && !pending.attempts.length) {
        // Nothing to send: look for new versions of the modules on this phone at most every ten minutes.
        var checked = Number(sessionStorage.getItem("essor-offline-checked") || 0);
        if (Date.now() - checked < 600000) return null;
        sessionStorage.setItem("essor-offline-checked", String(Date.now()));
        return refreshModules().then(function () { return null; });
      }
      var line = banner && banner.querySelector(".offline-line");
      if (line) { banner.hidden = false; line.textContent = msg(banner, "Sending"); }
      return refreshModules().then(function () {
        return store.pending(user);
      }).then(function (fresh) {
        return sendEvents(fresh.events).then(function (ok) { return ok && sendAttempts(fresh.attempts); });
      }).then(function (ok) {
        if (ok) notice(msg(banner, "Sent"));
        body.dataset.offlineSynced = ok ? "ok" : "waiting";
        return ok;
      });
    }).catch(function () {
      body.dataset.offlineSynced = "error";  // a dropped connection: everything stays queued for the next try
    }).then(function (result) {
      syncing = null;
      return showStatus().then(function () { return result; });
    });
    return syncing;
  }

  window.EssorOffline.sync = sync;
  window.EssorOffline.download = download;
  window.addEventListener("online", function () { showStatus(); sync(); });
  window.addEventListener("offline", showStatus);
  overlayQueue().then(showStatus).then(function () {
    body.dataset.offlineReady = "1";
    return sync();
  });
})();
