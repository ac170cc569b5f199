// The order's place on a small Leaflet map (static/mobile/place-map.js draws it): the reported
// point inside its grid's boundary. No tiles on this page.

import { drawPlaceMap } from "../mobile/place-map.js";

const data = JSON.parse(document.getElementById("place-map-data").textContent);
drawPlaceMap(L, document.getElementById("place-map"), data);
