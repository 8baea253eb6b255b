// Live preview for the lesson editors: the server renders with the same sanitizing function as a
// save (POST /courses/preview/); without JavaScript the "Preview" button does the same.
(function () {
  var config = document.getElementById("preview-config");
  if (!config || !window.fetch) return;
  var url = config.getAttribute("data-url");
  var module = config.getAttribute("data-module");
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!tokenInput) return;

  // `show(html)` receives the server's rendering of the textarea's text.
  function bind(textarea, show) {
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
        .then(function (html) { if (html !== null) show(html); })
        .catch(function () {});
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
  }

  var single = document.getElementById("preview-body");
  var source = document.getElementById("id_body_md");
  if (single && source) bind(source, function (html) { single.innerHTML = html; });

  // Side by side: the two previews paired section by section, cut before each <h2> like
  // courses.rendering.html_sections on the server.
  function sections(html) {
    var box = document.createElement("div");
    box.innerHTML = html;
    var pieces = [], current = null;
    Array.prototype.slice.call(box.childNodes).forEach(function (node) {
      if (!current || node.nodeName === "H2") { current = document.createElement("div"); pieces.push(current); }
      current.appendChild(node);
    });
    return pieces.filter(function (piece) { return piece.innerHTML.trim() !== ""; });
  }
  document.querySelectorAll("[data-sbs-preview]").forEach(function (rows) {
    var ids = rows.getAttribute("data-sources").split(" ");
    var languages = rows.getAttribute("data-languages").split(" ");
    var html = ids.map(function (id, i) {
      return Array.prototype.map.call(rows.querySelectorAll(".sbs-row > .column:nth-child(" + (i + 1) + ")"),
                                      function (cell) { return cell.innerHTML; }).join("");
    });
    function draw() {
      var columns = html.map(sections);
      var count = Math.max.apply(null, columns.map(function (pieces) { return pieces.length; }));
      rows.textContent = "";
      for (var r = 0; r < count; r++) {
        var row = document.createElement("div");
        row.className = "sbs-row";
        columns.forEach(function (pieces, i) {
          var cell = document.createElement("div");
          cell.className = "column prose";
          cell.lang = languages[i];
          if (pieces[r]) { while (pieces[r].firstChild) { cell.appendChild(pieces[r].firstChild); } }
          row.appendChild(cell);
        });
        rows.appendChild(row);
      }
    }
    ids.forEach(function (id, i) {
      var textarea = document.getElementById(id);
      if (textarea) { bind(textarea, function (rendered) { html[i] = rendered; draw(); }); }
    });
  });
})();
