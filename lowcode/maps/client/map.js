/* lowcode map runtime: table layers loaded from the app's GeoJSON API, file layers, popups, legend.
   Every value that comes from data reaches the page through textContent, never innerHTML.
   GeoJSON positions are [lon, lat]; Leaflet takes [lat, lon]: the turn happens in latLngOf() only. */
(function () {
  "use strict";
  var LC = (window.lowcodeMap = window.lowcodeMap || {});

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function latLngOf(position) {
    return L.latLng(position[1], position[0]);
  }

  function showValue(value, field, text) {
    if (value === null || value === undefined || value === "") return "";
    if (Array.isArray(value)) return value.map(function (v) { return showValue(v, field, text); }).join(", ");
    if (typeof value === "boolean") return value ? text.yes : text.no;
    if (field.labels && Object.prototype.hasOwnProperty.call(field.labels, value)) return field.labels[value];
    return String(value);
  }

  // A reference shows the title of the row it points to (the GeoJSON's `titles` member), or nothing: never the id.
  function fieldText(feature, field, text) {
    if (field.reference) {
      var titles = feature.titles || {};
      return Object.prototype.hasOwnProperty.call(titles, field.name) ? String(titles[field.name]) : "";
    }
    return showValue((feature.properties || {})[field.name], field, text);
  }

  function buildPopup(feature, config) {
    var box = el("div", "lowcode-popup");
    var list = el("dl");
    config.popup.forEach(function (field) {
      var value = fieldText(feature, field, config.text);
      if (value === "") return;
      if (field.label) list.appendChild(el("dt", null, field.label));
      list.appendChild(el("dd", null, value));
    });
    box.appendChild(list);
    if (config.detailUrl && feature.id !== undefined && feature.id !== null) {
      var link = el("a", null, config.text.details);
      link.href = config.detailUrl.replace("{id}", encodeURIComponent(feature.id));
      box.appendChild(link);
    }
    return box;
  }

  function tooltipText(feature, config) {
    var field = config.tooltip;
    return fieldText(feature, field, config.text);
  }

  function colorOf(props, colorBy, fallback) {
    if (!colorBy) return fallback;
    var value = props[colorBy.name];
    return Object.prototype.hasOwnProperty.call(colorBy.colors, value) ? colorBy.colors[value] : colorBy.other;
  }

  // Popups and tooltips are made on first use, not per feature: 100,000 points would otherwise hold 100,000 popups.
  function addInteraction(group, config) {
    if (config.popup.length || config.detailUrl) {
      group.on("click", function (e) {
        var layer = e.propagatedFrom || e.layer;
        if (!layer || !layer.feature) return;
        if (!layer.getPopup()) layer.bindPopup(buildPopup(layer.feature, config));
        layer.openPopup(e.latlng);
      });
    }
    if (config.tooltip) {
      group.on("mouseover", function (e) {
        var layer = e.propagatedFrom || e.layer;
        if (!layer || !layer.feature || layer.getTooltip()) return;
        var text = tooltipText(layer.feature, config);
        if (text) layer.bindTooltip(el("span", null, text)).openTooltip(e.latlng);
      });
    }
  }

  function pointMarker(feature, config, renderer) {
    var color = colorOf(feature.properties || {}, config.colorBy, config.style.fillColor);
    var marker = L.circleMarker(latLngOf(feature.geometry.coordinates), {
      radius: config.style.radius, color: "#fff", weight: 1.5,
      fillColor: color, fillOpacity: 0.9, renderer: renderer
    });
    marker.feature = feature;
    return marker;
  }

  function status(map, message) {
    if (!map._lowcodeStatus) {
      map._lowcodeStatus = L.control({ position: "bottomleft" });
      map._lowcodeStatus.onAdd = function () {
        var box = el("div", "lowcode-map-status");
        box.setAttribute("role", "status");
        return box;
      };
      map._lowcodeStatus.addTo(map);
    }
    var box = map._lowcodeStatus.getContainer();
    box.textContent = message || "";
    box.hidden = !message;
  }

  LC.fitTo = function (map, bounds) {
    if (!map._lowcodeFit || !bounds || !bounds.isValid()) return;
    map._lowcodeBounds = map._lowcodeBounds ? map._lowcodeBounds.extend(bounds) : L.latLngBounds(bounds.getSouthWest(), bounds.getNorthEast());
    map.fitBounds(map._lowcodeBounds, { padding: [24, 24], maxZoom: 16 });
  };

  function boundsOf(features) {
    var south = 90, west = 180, north = -90, east = -180;
    features.forEach(function (f) {
      var p = f.geometry.coordinates;
      if (p[0] < west) west = p[0];
      if (p[0] > east) east = p[0];
      if (p[1] < south) south = p[1];
      if (p[1] > north) north = p[1];
    });
    return features.length ? L.latLngBounds([south, west], [north, east]) : null;
  }

  function addPoints(map, group, config, features) {
    features = features.filter(function (f) { return f.geometry && f.geometry.type === "Point"; });
    if (config.heatmap) {
      group.setLatLngs(features.map(function (f) { return latLngOf(f.geometry.coordinates); }));
    } else {
      var renderer = config.cluster ? undefined : L.canvas({ padding: 0.5 });
      var markers = features.map(function (f) { return pointMarker(f, config, renderer); });
      if (config.cluster) group.addLayers(markers);
      else markers.forEach(function (m) { group.addLayer(m); });
    }
    LC.fitTo(map, boundsOf(features));
    var box = map.getContainer();
    box.setAttribute("data-lowcode-points", String((Number(box.getAttribute("data-lowcode-points")) || 0) + features.length));
    box.dispatchEvent(new CustomEvent("lowcode:layerloaded", { detail: { count: features.length } }));
  }

  // `draw(features)`: what the layer does with the answer (points clustered, or polygons drawn).
  function load(map, config, draw) {
    status(map, config.text.loading);
    fetch(config.url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        status(map, "");
        draw(data.features || []);
      })
      .catch(function () { status(map, config.text.failed); });
  }

  // The layer switcher lists it at once; its features are fetched the first time it is shown. A map filter
  // (lowcode-map-filters.js) changes config.url and reloads: at once if shown, else when next shown.
  function fetchWhenShown(map, group, config, draw) {
    var loaded = false;
    group.on("add", function () {
      if (loaded) return;
      loaded = true;
      load(map, config, draw);
    });
    (LC.tableLayers = LC.tableLayers || []).push({ config: config, reload: function () {
      if (!map.hasLayer(group)) { loaded = false; return; }
      if (group.clearLayers) group.clearLayers();
      load(map, config, draw);
    } });
  }

  // The layer exists at once (for the layer switcher); its rows are fetched the first time it is shown.
  LC.tableLayer = function (map, config) {
    var group;
    if (config.heatmap) group = L.heatLayer([], { radius: 20, blur: 15, maxZoom: 17 });
    else if (config.cluster) group = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    else group = L.featureGroup();
    if (config.attribution) group.getAttribution = function () { return config.attribution; };
    if (!config.heatmap) addInteraction(group, config);
    fetchWhenShown(map, group, config, function (features) { addPoints(map, group, config, features); });
    return group;
  };

  // Points are filled dots with a white ring (as table layers draw them); lines and areas use the layer's style.
  function featureStyle(feature, config) {
    var color = colorOf(feature.properties || {}, config.styleBy, config.style.color);
    var type = feature.geometry && feature.geometry.type;
    if (type === "Point" || type === "MultiPoint") {
      return { radius: config.style.radius, color: "#fff", weight: 1.5, fillColor: color, fillOpacity: 0.9 };
    }
    return {
      color: color, weight: config.style.weight, fillColor: config.styleBy ? color : config.style.fillColor,
      fillOpacity: config.style.fillOpacity
    };
  }

  // A label written on the map inside each feature: a file's property (`label` is its name) or an area layer's
  // field (`label` is its entry: a reference shows the row's title).
  function bindLabel(feature, featureLayer, config) {
    var label = config.label;
    var text = !label ? "" : typeof label === "string"
      ? showValue((feature.properties || {})[label], {}, config.text) : fieldText(feature, label, config.text);
    if (text) featureLayer.bindTooltip(el("span", null, text), { permanent: true, direction: "center", className: "lowcode-label" });
  }

  LC.fileLayer = function (map, config, data) {
    var layer = L.geoJSON(data, {
      attribution: config.attribution || null,
      style: function (feature) { return featureStyle(feature, config); },
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, featureStyle(feature, config)); },
      onEachFeature: function (feature, featureLayer) { bindLabel(feature, featureLayer, config); }
    });
    addInteraction(layer, config);
    layer.on("add", function () { LC.fitTo(map, layer.getBounds()); });
    return layer;
  };

  // A table's `area` polygons (an `area:` layer), fetched from the GeoJSON API like a table layer's points.
  LC.areaLayer = function (map, config) {
    var group = L.geoJSON(null, {
      style: function (feature) { return featureStyle(feature, config); },
      filter: function (feature) {
        var type = feature.geometry && feature.geometry.type;
        return type === "Polygon" || type === "MultiPolygon";
      },
      onEachFeature: function (feature, featureLayer) { bindLabel(feature, featureLayer, config); }
    });
    if (config.attribution) group.getAttribution = function () { return config.attribution; };
    addInteraction(group, config);
    fetchWhenShown(map, group, config, function (features) {
      group.addData({ type: "FeatureCollection", features: features });
      LC.fitTo(map, group.getBounds());
      var box = map.getContainer();
      var count = group.getLayers().length;
      box.setAttribute("data-lowcode-areas", String((Number(box.getAttribute("data-lowcode-areas")) || 0) + count));
      box.dispatchEvent(new CustomEvent("lowcode:layerloaded", { detail: { count: count } }));
    });
    return group;
  };

  LC.legend = function (map, sections) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = el("div", "lowcode-legend leaflet-bar");
      sections.forEach(function (section) {
        if (section.title) box.appendChild(el("div", "lowcode-legend-title", section.title));
        var list = el("ul");
        section.items.forEach(function (item) {
          var row = el("li");
          var swatch = el("span", "lowcode-swatch");
          swatch.style.background = item.color;
          row.appendChild(swatch);
          row.appendChild(el("span", null, item.label));
          list.appendChild(row);
        });
        box.appendChild(list);
      });
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    return control.addTo(map);
  };
})();
