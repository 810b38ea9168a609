/* lowcode area map: draw, reshape and delete the polygons of an `area` field on a map (Leaflet-Geoman).
   Progressive: the GeoJSON text box is the field, and works alone without this script. The map writes the
   text box after every change and redraws when valid GeoJSON is typed into it, so the server reads one field
   either way (and checks it). Several polygons are written as one MultiPolygon.
   Leaflet and Geoman are files of the app: loaded here when the page has not loaded them already. */
(function () {
  "use strict";
  if (window.lowcodeAreaLoaded) return;  // the script tag follows every area field; one run serves them all
  window.lowcodeAreaLoaded = true;

  function part(box, role) {
    return box.querySelector('[data-role="' + role + '"]');
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function loadStyle(url) {
    if (document.querySelector('link[rel="stylesheet"][href="' + url + '"]')) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    document.head.appendChild(link);
  }

  function loadLibraries(assets) {
    [assets.leafletCss, assets.geomanCss, assets.style].forEach(loadStyle);
    var leaflet = window.L ? Promise.resolve() : loadScript(assets.leaflet);
    return leaflet.then(function () { return window.L.PM ? null : loadScript(assets.geoman); });
  }

  // The polygons (each a list of rings of [lon, lat]) of GeoJSON text; null when it is not one or more polygons.
  function polygonsOf(value) {
    if (!value || typeof value !== "object") return null;
    if (value.type === "Feature") return polygonsOf(value.geometry);
    if (value.type === "FeatureCollection" && Array.isArray(value.features)) {
      var all = [];
      for (var i = 0; i < value.features.length; i++) {
        var found = polygonsOf(value.features[i]);
        if (!found) return null;
        all = all.concat(found);
      }
      return all;
    }
    if (value.type === "Polygon" && Array.isArray(value.coordinates)) return [value.coordinates];
    if (value.type === "MultiPolygon" && Array.isArray(value.coordinates)) return value.coordinates;
    return null;
  }

  function readText(text) {
    if (!text.trim()) return [];
    try { return polygonsOf(JSON.parse(text)); } catch (e) { return null; }
  }

  function initArea(box) {
    var cfg = JSON.parse(box.getAttribute("data-config"));
    var textBox = document.getElementById(box.getAttribute("data-field"));
    if (!textBox) return;
    var mapBox = part(box, "map"), statusBox = part(box, "status");
    [mapBox, part(box, "tools"), part(box, "help")].forEach(function (node) { node.hidden = false; });
    // No zoom on a double tap: two quick taps are two corners here (the +/- buttons still zoom).
    var map = L.map(mapBox, { scrollWheelZoom: false, doubleClickZoom: false });
    if (cfg.tiles) L.tileLayer(cfg.tiles.url, { attribution: cfg.tiles.attribution, maxZoom: cfg.tiles.maxZoom }).addTo(map);
    map.pm.setLang("lowcode", { tooltips: {
      firstVertex: cfg.text.firstVertex, continueLine: cfg.text.continueLine, finishPoly: cfg.text.finishPoly
    } }, "en");
    // An outline may not cross itself: the server refuses one, so the map does not let it be drawn.
    map.pm.setGlobalOptions({ allowSelfIntersection: false, snappable: true });
    var drawn = L.featureGroup().addTo(map);
    var buttons = { draw: part(box, "draw"), edit: part(box, "edit"), remove: part(box, "remove") };

    function say(text) { statusBox.textContent = text || ""; }
    function sayCount() { say(cfg.text.count.replace("{n}", String(drawn.getLayers().length))); }

    function geometry() {
      var polygons = [];
      drawn.eachLayer(function (layer) {
        var g = layer.toGeoJSON().geometry;
        if (g.type === "Polygon") polygons.push(g.coordinates);
        else if (g.type === "MultiPolygon") polygons = polygons.concat(g.coordinates);
      });
      if (!polygons.length) return null;
      return polygons.length === 1 ? { type: "Polygon", coordinates: polygons[0] }
        : { type: "MultiPolygon", coordinates: polygons };
    }

    function writeText() {
      var g = geometry();
      textBox.value = g ? JSON.stringify(g) : "";
      textBox.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function keep(layer) {
      drawn.addLayer(layer);
      layer.on("pm:edit", writeText);
    }

    function drawPolygons(polygons) {
      drawn.clearLayers();
      polygons.forEach(function (rings) { keep(L.polygon(L.GeoJSON.coordsToLatLngs(rings, 1))); });
    }

    function fitView() {
      if (drawn.getLayers().length) map.fitBounds(drawn.getBounds(), { maxZoom: 17 });
      else if (cfg.bounds) map.fitBounds(cfg.bounds);
      else map.setView(cfg.center, cfg.startZoom);
    }

    function press(mode) {
      Object.keys(buttons).forEach(function (key) { buttons[key].setAttribute("aria-pressed", String(key === mode)); });
    }

    function stopModes() {
      map.pm.disableDraw();
      if (map.pm.globalEditModeEnabled()) map.pm.disableGlobalEditMode();
      if (map.pm.globalRemovalModeEnabled()) map.pm.disableGlobalRemovalMode();
      press(null);
    }

    map.on("pm:create", function (e) { keep(e.layer); writeText(); sayCount(); });
    map.on("pm:remove", function (e) { drawn.removeLayer(e.layer); writeText(); sayCount(); });
    map.on("pm:drawend", function () { if (buttons.draw.getAttribute("aria-pressed") === "true") press(null); });

    buttons.draw.addEventListener("click", function () {
      stopModes();
      map.pm.enableDraw("Polygon", { continueDrawing: false });
      press("draw");
      say(cfg.text.drawing);
    });
    buttons.edit.addEventListener("click", function () {
      stopModes();
      map.pm.enableGlobalEditMode();
      press("edit");
      say(cfg.text.editing);
    });
    buttons.remove.addEventListener("click", function () {
      stopModes();
      map.pm.enableGlobalRemovalMode();
      press("remove");
      say(cfg.text.removing);
    });
    part(box, "finish").addEventListener("click", function () { stopModes(); writeText(); sayCount(); });
    press(null);

    // Typing: redraw once the typing pauses, and only from text that reads as polygons (half-typed text is left).
    var typingTimer = null;
    textBox.addEventListener("input", function () {
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () {
        var polygons = readText(textBox.value);
        if (!polygons) { say(cfg.text.unreadable); return; }
        stopModes();
        drawPolygons(polygons);
        if (polygons.length) fitView();
        sayCount();
      }, 400);
    });

    drawPolygons(readText(textBox.value) || []);
    fitView();
  }

  function start() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-lowcode-area]"));
    if (!boxes.length) return;
    var cfg = JSON.parse(boxes[0].getAttribute("data-config"));
    loadLibraries(cfg.assets).then(function () { boxes.forEach(initArea); }, function () {
      // Without the map the text box still works: nothing to do but leave the map hidden.
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
