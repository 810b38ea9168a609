// A map's `filters:` menus (issue 11): choosing a value reloads the narrowed layers in place, without a page load.
// Without JavaScript the form's Show button reloads the page with ?field=value and the server narrows the layers.
(function () {
  "use strict";
  var form = document.querySelector("form.map-filters");
  var LC = window.lowcodeMap;
  if (!form || !LC || !window.URLSearchParams) return;
  var tables = JSON.parse(form.getAttribute("data-filter-tables") || "{}");  // table → the filters it has
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));

  function withChoices(search, names) {
    var params = new URLSearchParams(search);
    selects.forEach(function (select) {
      if (names.indexOf(select.name) < 0) return;
      if (select.value) params.set(select.name, select.value); else params.delete(select.name);
    });
    return params.toString();
  }

  function narrow() {
    (LC.tableLayers || []).forEach(function (entry) {
      var url = new URL(entry.config.url, window.location.href);
      var match = url.pathname.match(/\/api\/([^/]+)\.geojson$/);
      var names = match ? tables[decodeURIComponent(match[1])] || [] : [];
      if (!names.length) return;
      entry.config.url = url.pathname + "?" + withChoices(url.search, names);
      entry.reload();
    });
    var all = selects.map(function (select) { return select.name; });
    window.history.replaceState(null, "", window.location.pathname + "?" + withChoices(window.location.search, all));
    var link = document.querySelector(".map-print a");
    if (link) {
      var target = new URL(link.getAttribute("href"), window.location.href);
      link.setAttribute("href", target.pathname + "?" + withChoices(target.search, all));
    }
    var ignored = document.getElementById("map-filter-ignored");
    if (ignored) ignored.remove();
  }

  selects.forEach(function (select) { select.addEventListener("change", narrow); });
})();
