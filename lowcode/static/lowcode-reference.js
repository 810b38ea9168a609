/* A reference to a table with more rows than a menu holds is a text box for the row's name (templates/_fields.html):
   as the person types, this fills its <datalist> from the app's JSON search (/<app>/api/options/<table>/<field>).
   Progressive: without it the server reads the typed name (lowcode/views/typed_references.py). Several rows with
   the same name are offered as "#id", which the server reads as that row. */
(function () {
  "use strict";
  var WAIT_MS = 150;

  function fill(list, options) {
    var count = {};
    options.forEach(function (o) { count[o.title] = (count[o.title] || 0) + 1; });
    while (list.firstChild) list.removeChild(list.firstChild);
    options.forEach(function (o) {
      var option = document.createElement("option");
      option.value = count[o.title] > 1 ? "#" + o.id : o.title;
      if (count[o.title] > 1) option.textContent = o.title;
      list.appendChild(option);
    });
  }

  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list") || "");
    var url = input.getAttribute("data-suggest-url");
    if (!list || !url || !window.fetch) return;
    var timer = null, asked = "";
    function ask() {
      var text = input.value.trim();
      if (!text || text === asked) return;
      asked = text;
      fetch(url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(text),
            { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { options: [] }; })
        .then(function (data) { if (text === asked) fill(list, data.options || []); })
        .catch(function () { /* no suggestions: the typed name is still read by the server */ });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(enhance);
})();
