/* The staff import page's check and apply (templates/staff_import.html): while a form with data-import-progress
   is being sent, ask its address (/import/progress/<job>) twice a second how many rows are done, and fill the
   form's <progress> and its aria-live sentence ("12,000 / 100,000 行を確認しました"). The form is sent as usual: the
   answer replaces the page, which ends the asking. Listens on the document, so it also serves forms that
   lowcode-import.js put in place of the upload form. Without this script the forms work as before. */
(function () {
  "use strict";
  if (!window.fetch) { return; }
  var EVERY_MS = 500;

  function show(form, answer) {
    var bar = form.querySelector("[data-import-run] progress");
    var text = form.querySelector("[data-import-run-text]");
    var counting = answer.total > 0 && (answer.phase === "checking" || answer.done > 0);
    if (counting) {
      bar.max = answer.total;
      bar.value = answer.done;
    } else {
      bar.removeAttribute("value");  // no figures yet (or storing on SQLite): a bar that only says "working"
    }
    bar.textContent = answer.text;
    if (text.textContent !== answer.text) { text.textContent = answer.text; }
  }

  function follow(form) {
    var address = form.getAttribute("data-import-progress");
    var box = form.querySelector("[data-import-run]");
    if (!address || !box || !box.hidden) { return; }  // already followed (a second click)
    box.hidden = false;
    var ask = function () {
      fetch(address, {credentials: "same-origin", headers: {Accept: "application/json"}, cache: "no-store"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (!answer) { return; }  // a 404: the job is gone (or not this account's); the form goes on regardless
          show(form, answer);
          window.setTimeout(ask, EVERY_MS);
        })
        .catch(function () { window.setTimeout(ask, EVERY_MS); });  // a dropped answer: ask again
    };
    window.setTimeout(ask, EVERY_MS / 5);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-import-progress") && !event.defaultPrevented) {
      follow(form);
    }
  });
})();
