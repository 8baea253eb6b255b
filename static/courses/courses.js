// Live preview for the lesson editors: the server renders with the same sanitizing function as a
// save (POST /courses/preview/); without JavaScript the "Preview" button does the same.
(function () {
  var config = document.getElementById("preview-config");
  if (!config || !window.fetch) return;
  var url = config.getAttribute("data-url");
  var module = config.getAttribute("data-module");
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!tokenInput) return;

  function bind(textarea, target) {
    var timer = null, last = null, controller = null;
    function update() {
      var text = textarea.value;
      if (text === last) return;
      last = text;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var body = new FormData();
      body.append("text", text);
      body.append("module", module);
      fetch(url, {method: "POST", body: body, credentials: "same-origin",
                  headers: {"X-CSRFToken": tokenInput.value}, signal: controller ? controller.signal : undefined})
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) target.innerHTML = html; })
        .catch(function () {});
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
  }

  var single = document.getElementById("preview-body");
  var source = document.getElementById("id_body_md");
  if (single && source) bind(source, single);
  document.querySelectorAll("[data-preview-for]").forEach(function (target) {
    var textarea = document.getElementById(target.getAttribute("data-preview-for"));
    if (textarea) bind(textarea, target);
  });
})();
