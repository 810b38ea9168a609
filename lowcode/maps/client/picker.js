/* lowcode location picker: a Leaflet map over the plain latitude/longitude inputs of a form.
   Without JavaScript the inputs alone work; with it, a tap sets the point, the marker can be dragged,
   "use my location" asks the browser, and the search box asks the app's geocoder.
   Whenever the pin is set or moved, the nearest town is asked for (reverse geocoding) and shown under the map,
   so the resident can confirm the place; its name reaches the page through textContent only.
   The inputs stay the single source of truth: the map only writes to them and follows them. */
(function () {
  "use strict";

  function part(box, role) {
    return box.querySelector('[data-role="' + role + '"]');
  }

  function readPoint(latInput, lonInput) {
    var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    if (!isFinite(lat) || !isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    return L.latLng(lat, lon);
  }

  function initPicker(box) {
    var cfg = JSON.parse(box.getAttribute("data-config"));
    var latInput = part(box, "lat"), lonInput = part(box, "lon"), statusBox = part(box, "status");
    var mapBox = part(box, "map"), tools = part(box, "tools"), results = part(box, "results");
    [mapBox, tools, part(box, "help")].forEach(function (node) { node.hidden = false; });
    var map = L.map(mapBox, { scrollWheelZoom: false });
    if (cfg.tiles) L.tileLayer(cfg.tiles.url, { attribution: cfg.tiles.attribution, maxZoom: cfg.tiles.maxZoom }).addTo(map);
    var marker = null;

    function say(text) { statusBox.textContent = text || ""; }

    // Reverse geocoding: one request once the pin rests (a drag or typing fires many moves); an answer for a
    // point the pin has left is dropped. No name (404) or no service (503) leaves the line empty: the point
    // itself is still fine, and the resident did nothing wrong.
    var nameTimer = null, nameAsked = 0;

    function forgetName() {
      clearTimeout(nameTimer);
      return ++nameAsked;
    }

    function nameLater(latlng) {
      if (!cfg.reverseUrl) return;
      var asked = forgetName();
      say("");
      nameTimer = setTimeout(function () { askName(latlng, asked); }, 350);
    }

    function askName(latlng, asked) {
      var url = cfg.reverseUrl + (cfg.reverseUrl.indexOf("?") < 0 ? "?" : "&") +
        "lon=" + encodeURIComponent(latlng.lng.toFixed(6)) + "&lat=" + encodeURIComponent(latlng.lat.toFixed(6));
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(answer)
        .then(function (reply) {
          if (asked !== nameAsked) return;
          var name = reply.ok && reply.data && typeof reply.data.name === "string" ? reply.data.name : "";
          say(name ? cfg.text.near.replace("{name}", name) : "");
        })
        .catch(function () { if (asked === nameAsked) say(""); });
    }

    function write(latlng) {
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
      nameLater(latlng);
    }

    function place(latlng, pan) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true, title: cfg.text.marker, alt: cfg.text.marker }).addTo(map);
        marker.on("dragend", function () { write(marker.getLatLng()); });
      } else {
        marker.setLatLng(latlng);
      }
      if (pan) map.setView(latlng, Math.max(map.getZoom() || 0, cfg.zoom));
    }

    function choose(latlng) {
      place(latlng, true);
      write(latlng);
    }

    map.on("click", function (e) { place(e.latlng, false); write(e.latlng); });
    [latInput, lonInput].forEach(function (input) {
      input.addEventListener("input", function () {
        var point = readPoint(latInput, lonInput);
        if (point) { place(point, true); nameLater(point); }
      });
    });

    var start = readPoint(latInput, lonInput);
    if (start) { map.setView(start, cfg.zoom); place(start, false); nameLater(start); }
    else if (cfg.bounds) map.fitBounds(cfg.bounds);
    else map.setView(cfg.center, cfg.startZoom);

    part(box, "locate").addEventListener("click", function () {
      forgetName();  // a late town name must not hide what the button says
      if (!navigator.geolocation) { say(cfg.text.noGeolocation); return; }
      say(cfg.text.locating);
      navigator.geolocation.getCurrentPosition(
        function (pos) { say(""); choose(L.latLng(pos.coords.latitude, pos.coords.longitude)); },
        function () { say(cfg.text.locateFailed); },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });

    // The geocoder answers one place ({lon, lat, name}) or several (a GeoJSON FeatureCollection of Points).
    function placesOf(data) {
      if (data && Array.isArray(data.features)) {
        return data.features.filter(function (f) { return f.geometry && f.geometry.type === "Point"; }).map(function (f) {
          var c = f.geometry.coordinates, p = f.properties || {};  // GeoJSON: [lon, lat]
          return { lon: c[0], lat: c[1], label: p.label || p.name || "" };
        });
      }
      if (data && isFinite(data.lon) && isFinite(data.lat)) return [{ lon: data.lon, lat: data.lat, label: data.name || "" }];
      return [];
    }

    function showResults(places) {
      results.textContent = "";
      places.forEach(function (place) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = place.label || (place.lat + ", " + place.lon);
        button.addEventListener("click", function () { results.textContent = ""; choose(L.latLng(place.lat, place.lon)); });
        item.appendChild(button);
        results.appendChild(item);
      });
    }

    function answer(response) {
      return response.json().then(
        function (data) { return { ok: response.ok, status: response.status, data: data }; },
        function () { return { ok: response.ok, status: response.status, data: null }; }
      );
    }

    function search() {
      var query = part(box, "query").value.trim();
      if (!query || !cfg.geocodeUrl) return;
      forgetName();
      say(cfg.text.searching);
      var url = cfg.geocodeUrl + (cfg.geocodeUrl.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(answer)
        .then(function (reply) {
          var places = reply.ok ? placesOf(reply.data) : [];
          // The server's own message (already in the page's language) says best why nothing was found.
          if (!reply.ok) say((reply.data && reply.data.error) || (reply.status === 404 ? cfg.text.notFound : cfg.text.searchFailed));
          else say(places.length ? "" : cfg.text.notFound);
          showResults(places.length > 1 ? places : []);
          if (places.length === 1) choose(L.latLng(places[0].lat, places[0].lon));
        })
        .catch(function () { say(cfg.text.searchFailed); });
    }

    var searchButton = part(box, "search");
    if (searchButton) searchButton.addEventListener("click", search);
    var queryInput = part(box, "query");
    if (queryInput) queryInput.addEventListener("keydown", function (e) {
      // Enter in the search box searches; it must not send the whole form.
      if (e.key === "Enter") { e.preventDefault(); search(); }
    });
  }

  function initAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-lowcode-picker]"), function (box) {
      if (box.getAttribute("data-ready")) return;
      box.setAttribute("data-ready", "1");
      initPicker(box);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initAll);
  else initAll();
})();
