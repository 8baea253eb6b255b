// Quiz answers survive an expired session or a stale form: every change is kept in this browser
// (localStorage, under a key naming the learner and the module, for a day) and filled in again when the
// quiz page opens with nothing ticked; the result page forgets them. The page works without it.
(function () {
  "use strict";
  var DAY = 24 * 60 * 60 * 1000;

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }  // private mode, disabled storage
  }

  var store = storage();
  if (!store) { return; }

  document.querySelectorAll("[data-forget-answers]").forEach(function (element) {
    store.removeItem(element.getAttribute("data-forget-answers"));
  });

  var form = document.querySelector("form[data-keep-answers]");
  if (!form) { return; }
  var key = form.getAttribute("data-keep-answers");

  function save() {
    var values = [];
    form.querySelectorAll("input[type=radio]:checked, input[type=checkbox]:checked").forEach(function (input) {
      values.push(input.name + "=" + input.value);
    });
    try {
      store.setItem(key, JSON.stringify({at: Date.now(), values: values}));
    } catch (error) { /* storage full: the form still works */ }
  }

  function restore() {
    var kept;
    try { kept = JSON.parse(store.getItem(key) || "null"); } catch (error) { kept = null; }
    if (!kept || !Array.isArray(kept.values) || Date.now() - kept.at > DAY) {
      store.removeItem(key);
      return;
    }
    if (form.querySelector("input[type=radio]:checked, input[type=checkbox]:checked")) { return; }
    var restored = 0;
    kept.values.forEach(function (pair) {
      var at = pair.indexOf("=");
      var name = pair.slice(0, at), value = pair.slice(at + 1);
      form.querySelectorAll("input[name='" + CSS.escape(name) + "']").forEach(function (input) {
        if (input.value === value) { input.checked = true; restored += 1; }
      });
    });
    var notice = document.getElementById("answers-restored");
    if (restored && notice) { notice.hidden = false; }
  }

  restore();
  form.addEventListener("change", save);
  form.addEventListener("submit", save);
})();
