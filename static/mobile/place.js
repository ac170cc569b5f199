// 所在网格 after 获取定位: the street and grid the point lies in (GET /api/places/at/, the lookup
// routing uses, so this is where the report will go), and the point on a small map inside that
// grid. Leaflet is loaded only now (it is not part of the form's first load); offline the field
// says the grid will show once online, and the report is still routed by its place.

import { drawPlaceMap } from "./place-map.js";

const form = document.getElementById("m-form");
const found = new Map(); // "lat,lng" -> the answer, for this page

export async function placeAt(lat, lng) {
  const key = `${lat},${lng}`;
  if (found.has(key)) return found.get(key);
  const query = new URLSearchParams({ lat: String(lat), lng: String(lng) });
  const res = await fetch(`${form.dataset.placeUrl}?${query}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!res.ok) throw new Error(`place ${res.status}`);
  const place = await res.json();
  found.set(key, place);
  return place;
}

let leaflet = null;

function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  if (!leaflet) {
    // Both the script and its stylesheet: a map laid out before Leaflet's CSS applies draws its
    // layers out of place.
    const load = (el) =>
      new Promise((resolve, reject) => {
        el.onload = resolve;
        el.onerror = reject;
        document.head.appendChild(el);
      });
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = form.dataset.leafletCss;
    const script = document.createElement("script");
    script.src = form.dataset.leafletJs;
    leaflet = Promise.all([load(css), load(script)]).then(
      () => window.L,
      (err) => {
        leaflet = null;
        throw err;
      },
    );
  }
  return leaflet;
}

function tiles() {
  const el = document.getElementById("map-tiles");
  return el ? JSON.parse(el.textContent) : null;
}

/** Draw the point in its grid into `el` (emptied first); resolves once drawn. */
export async function showPlaceMap(el, data) {
  const L = await loadLeaflet();
  if (el.placeMap) el.placeMap.remove();
  el.hidden = false;
  el.placeMap = drawPlaceMap(L, el, data, tiles());
}

export function hidePlaceMap(el) {
  if (el.placeMap) {
    el.placeMap.remove();
    el.placeMap = null;
  }
  el.hidden = true;
  delete el.dataset.ready;
}
