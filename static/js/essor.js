// Small progressive enhancements; every page works without JavaScript.
document.documentElement.classList.add("js");
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
// Fields whose whole value is meant to be copied (an invitation link) select it on focus.
document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
  input.addEventListener("focus", function () { input.select(); });
});

// A form that came back with errors: move the focus to its summary, whose links lead to the fields.
(function () {
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();

// The header's menu (a <details>): always open on a wide screen, where its button is hidden; on a phone it starts
// closed, and Escape or a tap outside it closes it (Escape gives the focus back to its button).
(function () {
  var menu = document.querySelector("details.nav-menu");
  if (!menu || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 64rem)");
  function sync() { menu.open = wide.matches; }
  sync();
  if (wide.addEventListener) { wide.addEventListener("change", sync); }
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !wide.matches && !menu.contains(event.target)) { menu.open = false; }
  });
})();
