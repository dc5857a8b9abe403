/* The map of /carte/: markers clustered by Leaflet.markercluster, loaded from the GeoJSON API
   for the area shown, and the list beside the map kept in sync with that area. Without
   JavaScript the page shows the server-rendered, paginated list instead. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text) node.textContent = text;
    return node;
  }

  var LIST_LIMIT = 100;

  // The badges other apps give an item (« Signataire de la charte », « Label Turbine »), each
  // a link to the page that explains it, as the server renders them (core/_badges.html).
  function badgeList(badges) {
    if (!badges || !badges.length) return null;
    var list = element("ul", { "class": "mark-list", "aria-label": "Distinctions" });
    badges.forEach(function (badge) {
      var link = element("a", { href: badge.url, "class": "mark" + (badge.variant ? " mark-" + badge.variant : "") }, badge.text);
      if (badge.title) link.appendChild(element("span", { "class": "visually-hidden" }, " — " + badge.title));
      var item = element("li");
      item.appendChild(link);
      list.appendChild(item);
    });
    return list;
  }

  ready(function () {
    var container = document.getElementById("carte");
    if (!container || typeof L === "undefined") return;
    container.hidden = false;
    var map = L.map(container, { scrollWheelZoom: false }).setView(
      [parseFloat(container.dataset.centerLat), parseFloat(container.dataset.centerLon)],
      parseInt(container.dataset.zoom, 10)
    );
    container.leafletMap = map; // lets scripts and tests drive the view
    L.tileLayer(container.dataset.tilesUrl, {
      attribution: container.dataset.attribution,
      maxZoom: 19,
    }).addTo(map);
    var cluster = L.markerClusterGroup();
    map.addLayer(cluster);
    var markers = {};
    var list = document.getElementById("elements-carte");
    var count = document.getElementById("compte-carte");
    var pagination = document.getElementById("pagination-carte");
    var baseUrl = container.dataset.geojsonUrl;
    var first = true;
    var pending = null;
    // The marker whose popup is open: opening a popup may pan the map, which reloads the
    // markers; the popup is opened again on the new marker rather than lost.
    var openKey = null;
    map.on("popupopen", function (event) { openKey = event.popup.turbineKey || null; });
    map.on("popupclose", function () { openKey = null; });

    function showList(features, truncated) {
      list.textContent = "";
      if (pagination) pagination.hidden = true;
      var sorted = features.slice().sort(function (a, b) {
        return a.properties.name.localeCompare(b.properties.name, "fr");
      });
      sorted.slice(0, LIST_LIMIT).forEach(function (feature) {
        var p = feature.properties;
        var item = element("li");
        var heading = element("h3");
        heading.appendChild(element("a", { href: p.url }, p.name));
        if (p.is_demo) {
          heading.appendChild(document.createTextNode(" "));
          heading.appendChild(element("span", { "class": "badge" }, "démo"));
        }
        item.appendChild(heading);
        item.appendChild(element("p", {}, p.label + (p.commune ? " · " + p.commune : "")));
        var itemBadges = badgeList(p.badges);
        if (itemBadges) item.appendChild(itemBadges);
        var button = element("button", { type: "button", "class": "link-button" }, "Voir sur la carte");
        button.appendChild(element("span", { "class": "visually-hidden" }, " : " + p.name));
        button.addEventListener("click", function () {
          var marker = markers[p.type + ":" + p.id];
          if (marker) cluster.zoomToShowLayer(marker, function () { marker.openPopup(); });
        });
        item.appendChild(button);
        list.appendChild(item);
      });
      if (!features.length) list.appendChild(element("li", {}, "Aucun élément dans la zone affichée."));
      var n = features.length;
      var text = n + (n > 1 ? " résultats" : " résultat") + " dans la zone affichée";
      if (n > LIST_LIMIT) text += " (les " + LIST_LIMIT + " premiers listés)";
      if (truncated) text += " ; zoomez pour tout voir";
      count.textContent = text + ".";
    }

    function load() {
      var url = baseUrl;
      if (!first) {
        var b = map.getBounds();
        url += (url.indexOf("?") < 0 ? "?" : "&") + "bbox=" +
          [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
      }
      fetch(url, { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var keep = openKey;
          cluster.clearLayers();
          markers = {};
          var layers = data.features.map(function (feature) {
            var p = feature.properties;
            var c = feature.geometry.coordinates;
            var marker = L.marker([c[1], c[0]], { title: p.name, alt: p.name });
            var popup = element("div");
            popup.appendChild(element("a", { href: p.url }, p.name));
            popup.appendChild(element("p", {}, p.label));
            var popupBadges = badgeList(p.badges);
            if (popupBadges) popup.appendChild(popupBadges);
            marker.bindPopup(popup);
            marker.getPopup().turbineKey = p.type + ":" + p.id;
            markers[p.type + ":" + p.id] = marker;
            return marker;
          });
          cluster.addLayers(layers);
          var reopen = keep && markers[keep];
          if (reopen && cluster.getVisibleParent(reopen) === reopen) reopen.openPopup();
          var wasFirst = first;
          first = false;
          showList(data.features, data.truncated);
          if (wasFirst && layers.length) {
            map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 14 });
          }
        })
        .catch(function () {
          count.textContent = "La carte n'a pas pu être chargée ; la liste reste disponible.";
        });
    }

    map.on("moveend", function () {
      if (first) return;
      clearTimeout(pending);
      pending = setTimeout(load, 250);
    });
    load();
  });
})();
