/* The navigation folds behind a menu button on narrow screens (the CSS decides when, with .menu-ready).
   Without this script the button stays hidden and the navigation stays open, so every link is still reachable. */
(function () {
  "use strict";
  var button = document.querySelector(".menu-button[aria-controls]");
  var nav = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) return;
  var header = button.closest("header") || document.body;
  function show(open) {
    nav.classList.toggle("open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  button.hidden = false;
  header.classList.add("menu-ready");
  show(false);
  button.addEventListener("click", function () { show(button.getAttribute("aria-expanded") !== "true"); });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("open")) { show(false); button.focus(); }
  });
})();
