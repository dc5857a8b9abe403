/* A small map in the organisation form: a click fills the latitude and longitude fields.
   Without JavaScript the fields are typed by hand. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var picker = document.querySelector(".map-picker");
    if (!picker || typeof L === "undefined") return;
    var lat = document.getElementById(picker.dataset.latInput);
    var lon = document.getElementById(picker.dataset.lonInput);
    if (!lat || !lon) return;
    picker.hidden = false;
    var canvas = picker.querySelector(".map-picker-canvas");
    var start = lat.value && lon.value
      ? [parseFloat(lat.value), parseFloat(lon.value)]
      : [parseFloat(picker.dataset.centerLat), parseFloat(picker.dataset.centerLon)];
    var map = L.map(canvas, { scrollWheelZoom: false }).setView(start, lat.value ? 15 : parseInt(picker.dataset.zoom, 10));
    L.tileLayer(picker.dataset.tilesUrl, { attribution: picker.dataset.attribution, maxZoom: 19 }).addTo(map);
    var marker = lat.value && lon.value ? L.marker(start).addTo(map) : null;
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      if (marker) marker.setLatLng(event.latlng);
      else marker = L.marker(event.latlng).addTo(map);
    });
  });
})();
