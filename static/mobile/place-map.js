// The small map of one place: the point (with its GPS accuracy as a circle) inside its grid's
// boundary, on Leaflet (from npm, global L). Shared by the console's work-order page and the
// phone's location field. Tiles only when the page was given MAP_TILE_URL's setup; without them a
// blank background, and nothing is requested from anywhere.

/** data: {point: [lat, lng], accuracy, boundary: GeoJSON | null}; tiles: {url, subdomains,
 * attribution} | null. Returns the Leaflet map. */
export function drawPlaceMap(L, el, data, tiles = null) {
  const map = L.map(el, {
    zoomControl: true,
    attributionControl: Boolean(tiles && tiles.attribution),
    scrollWheelZoom: false,
  });
  if (tiles) {
    L.tileLayer(tiles.url, { subdomains: tiles.subdomains, attribution: tiles.attribution, maxZoom: 18 }).addTo(map);
  }
  const point = L.latLng(data.point[0], data.point[1]);
  map.setView(point, 16); // a view first: circles and outlines project through it
  let outline = null;
  if (data.boundary) {
    outline = L.geoJSON(data.boundary, { style: { color: "#1a73e8", weight: 2, fillOpacity: 0.08 } }).addTo(map);
  }
  if (data.accuracy) {
    L.circle(point, { radius: data.accuracy, color: "#d93025", weight: 1, fillOpacity: 0.08, interactive: false }).addTo(map);
  }
  L.circleMarker(point, { radius: 7, color: "#fff", weight: 2, fillColor: "#d93025", fillOpacity: 1 }).addTo(map);
  const bounds = outline ? outline.getBounds().extend(point) : L.latLngBounds([point, point]);
  map.fitBounds(bounds.pad(0.2), { maxZoom: 17, animate: false }); // drawn at once, ready when marked
  el.dataset.ready = "1";
  return map;
}
