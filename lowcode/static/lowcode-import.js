/* The staff import page's upload (templates/staff_import.html): sends the file with XMLHttpRequest so the
   <progress> shows how much has gone, then shows the answer (the column step, or the form with its message).
   Without this script the form posts as usual and the browser shows its own progress. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-import-upload]");
  if (!form || !window.FormData || !window.DOMParser) { return; }
  var box = form.querySelector(".import-progress");
  var bar = form.querySelector("progress");
  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    if (!input || !input.files || !input.files.length) { return; }  // the browser says the file is required
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    box.hidden = false;
    button.disabled = true;
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        var percent = Math.round(progress.loaded * 100 / progress.total);
        bar.value = percent;
        bar.textContent = percent + "%";
      }
    });
    request.addEventListener("load", function () {
      var page = new DOMParser().parseFromString(request.responseText, "text/html");
      document.title = page.title;
      document.body.replaceWith(document.adoptNode(page.body));
      var focus = document.querySelector("#error-summary, h1");
      if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
    });
    request.addEventListener("error", function () { form.submit(); });  // let the browser try, and say what fails
    request.send(new FormData(form));
  });
})();
