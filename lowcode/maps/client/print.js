/* lowcode print view: numbered markers and a north arrow. Numbers and colours only: no resident text reaches here. */
(function () {
  "use strict";
  var LC = (window.lowcodeMap = window.lowcodeMap || {});

  function numberIcon(point) {
    var label = document.createElement("span");
    label.className = "lowcode-number";
    label.textContent = String(point.n);
    label.style.borderColor = point.color;
    return L.divIcon({ html: label, className: "lowcode-number-icon", iconSize: [26, 26], iconAnchor: [13, 13] });
  }

  LC.numberedMarkers = function (map, points, fit) {
    var group = L.featureGroup();
    points.forEach(function (point) {
      L.marker([point.lat, point.lon], { icon: numberIcon(point), keyboard: false, interactive: false }).addTo(group);
    });
    group.addTo(map);
    if (fit && points.length) map.fitBounds(group.getBounds(), { padding: [30, 30], maxZoom: 17 });
    var box = map.getContainer();
    box.setAttribute("data-lowcode-points", String(points.length));
    box.dispatchEvent(new CustomEvent("lowcode:layerloaded", { detail: { count: points.length } }));
    return group;
  };

  // Leaflet draws web maps north up, so the arrow never turns.
  LC.northArrow = function (map, label) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var box = document.createElement("div");
      box.className = "lowcode-north";
      box.setAttribute("role", "img");
      box.setAttribute("aria-label", label);
      box.innerHTML = '<svg viewBox="0 0 20 30" width="20" height="30" aria-hidden="true">' +
        '<path d="M10 1 L18 28 L10 22 L2 28 Z" fill="#222"/></svg><span aria-hidden="true">N</span>';
      return box;
    };
    return control.addTo(map);
  };
})();
