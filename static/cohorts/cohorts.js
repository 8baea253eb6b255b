// Cohort pages: the export progress bar polls its status; "select all" in the matrix.
(function () {
  var bar = document.querySelector("[data-export-status]");
  if (bar && bar.getAttribute("data-finished") !== "true") {
    var url = bar.getAttribute("data-export-status");
    var fill = bar.querySelector("span");
    var text = document.querySelector("[data-export-text]");
    var poll = function () {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          fill.style.width = data.progress + "%";
          bar.setAttribute("aria-valuenow", data.progress);
          if (text) { text.textContent = data.progress + " %"; }
          if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 500);
  }
  var all = document.querySelector("[data-select-all]");
  if (all) {
    all.hidden = false;
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name=learners]").forEach(function (box) { box.checked = all.checked; });
    });
  }
})();
