// The order's place on a small Leaflet map: the reported point (with its GPS accuracy) inside its
// grid's boundary. No tiles unless the page was given MAP_TILE_URL through the big map's setup.

const data = JSON.parse(document.getElementById("place-map-data").textContent);
const map = L.map("place-map", { zoomControl: true, attributionControl: false, scrollWheelZoom: false });
const point = L.latLng(data.point[0], data.point[1]);
map.setView(point, 16); // a view first: circles and outlines project through it
const layers = [];
if (data.boundary) {
  layers.push(L.geoJSON(data.boundary, { style: { color: "#1a73e8", weight: 2, fillOpacity: 0.08 } }).addTo(map));
}
if (data.accuracy) {
  L.circle(point, { radius: data.accuracy, color: "#d93025", weight: 1, fillOpacity: 0.08, interactive: false }).addTo(map);
}
L.circleMarker(point, { radius: 7, color: "#fff", weight: 2, fillColor: "#d93025", fillOpacity: 1 }).addTo(map);
const bounds = layers.length ? layers[0].getBounds().extend(point) : L.latLngBounds([point, point]);
map.fitBounds(bounds.pad(0.2), { maxZoom: 17 });
document.getElementById("place-map").dataset.ready = "1";
