/* The print view's Print button: shown once this script runs (without it, the browser's own Print still works). */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-lowcode-print]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
