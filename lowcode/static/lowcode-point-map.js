/* Detail pages: draw each [data-point-map] box as a small Leaflet map with one marker. The coordinates next to it
   stay in the page for screen readers (visually hidden once the map is drawn); without Leaflet they stay visible. */
(function () {
  "use strict";
  if (typeof L === "undefined") return;
  document.querySelectorAll("[data-point-map]").forEach(function (box) {
    var cfg = JSON.parse(box.getAttribute("data-config"));
    var point = L.latLng(cfg.lat, cfg.lon);
    box.hidden = false;
    // A map inside a page that scrolls: one finger scrolls the page, the +/- buttons zoom.
    var map = L.map(box, { scrollWheelZoom: false, dragging: !L.Browser.mobile, tap: false }).setView(point, cfg.zoom);
    if (cfg.tiles) L.tileLayer(cfg.tiles.url, { attribution: cfg.tiles.attribution, maxZoom: cfg.tiles.maxZoom }).addTo(map);
    L.marker(point, { keyboard: false, title: cfg.marker, alt: cfg.marker }).addTo(map);
    var text = box.nextElementSibling;
    if (text && text.classList.contains("point-coordinates")) text.classList.add("visually-hidden");
  });
})();
