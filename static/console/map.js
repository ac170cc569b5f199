// 工单地图 (Leaflet from npm, global L): outlines of the grids and streets the person sees, the
// filtered orders as points coloured by state (overdue ringed in red), reports without an order as
// small grey points. Tiles only when MAP_TILE_URL is set; otherwise a blank background.

const setup = JSON.parse(document.getElementById("map-setup").textContent);
const COLOURS = { new: "#d93025", info: "#1a73e8", work: "#e37400", check: "#8430ce", done: "#188038", muted: "#9aa0a6" };
const count = document.getElementById("map-count");

const map = L.map("order-map", { preferCanvas: true, zoomSnap: 0.25, attributionControl: !!setup.tiles });
if (setup.tiles) {
  L.tileLayer(setup.tiles.url, {
    subdomains: setup.tiles.subdomains,
    attribution: setup.tiles.attribution,
    maxZoom: 18,
  }).addTo(map);
}

function escapeText(text) {
  const span = document.createElement("span");
  span.textContent = text == null ? "" : String(text);
  return span.innerHTML;
}

const outlines = L.geoJSON(setup.outlines, {
  style: (f) => f.properties.kind === "street"
    ? { color: "#3c4a5c", weight: 2, fill: false, interactive: false }
    : { color: "#7aa7d8", weight: 1, fillColor: "#7aa7d8", fillOpacity: 0.08 },
  onEachFeature: (f, layer) => {
    if (f.properties.kind === "grid") {
      layer.bindTooltip(`${escapeText(f.properties.street)} · ${escapeText(f.properties.name)}`, { sticky: true });
    } else {
      layer.bindTooltip(escapeText(f.properties.name), { permanent: true, direction: "center", className: "street-label" });
    }
  },
}).addTo(map);

const bounds = outlines.getBounds();
if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
else map.setView([31.23, 121.47], 13);

const reportsLayer = L.layerGroup().addTo(map);
const ordersLayer = L.layerGroup().addTo(map);

function popup(p, kind) {
  if (kind === "report") return `<div class="map-popup"><a href="${p.url}">${escapeText(p.title)}</a><div>未生成工单的上报</div></div>`;
  return `<div class="map-popup"><a href="${p.url}">${escapeText(p.number)}</a><div>${escapeText(p.title)}</div><div>${escapeText(p.label)}${p.overdue ? " · 已超时" : ""}</div></div>`;
}

async function loadPoints() {
  if (!setup.points) {
    count.textContent = "筛选条件有误";
    return;
  }
  let body;
  try {
    const response = await fetch(setup.points, { credentials: "same-origin", headers: { Accept: "application/json" } });
    body = await response.json();
    if (!response.ok) throw new Error(body.message || response.status);
  } catch (err) {
    count.textContent = `位置点载入失败：${err.message}`;
    return;
  }
  for (const f of body.reports.features) {
    const [lng, lat] = f.geometry.coordinates;
    L.circleMarker([lat, lng], { radius: 3, color: "#5f6368", weight: 1, fillColor: "#5f6368", fillOpacity: 0.6 })
      .bindPopup(popup(f.properties, "report")).addTo(reportsLayer);
  }
  for (const f of body.orders.features) {
    const [lng, lat] = f.geometry.coordinates;
    const p = f.properties;
    L.circleMarker([lat, lng], {
      radius: 6,
      color: p.overdue ? "#d93025" : "#ffffff",
      weight: p.overdue ? 3 : 1.5,
      fillColor: COLOURS[p.tone] || COLOURS.info,
      fillOpacity: 0.9,
    }).bindPopup(popup(p, "order")).addTo(ordersLayer);
  }
  const n = body.orders.features.length;
  const r = body.reports.features.length;
  count.textContent = `工单 ${n} 件${body.truncated ? "（仅显示最新的）" : ""}${r ? `，未生成工单的上报 ${r} 份` : ""}`;
  count.dataset.orders = String(n);
  document.getElementById("order-map").dataset.ready = "1";
}

document.getElementById("show-reports").addEventListener("change", (e) => {
  if (e.target.checked) reportsLayer.addTo(map);
  else reportsLayer.remove();
});

loadPoints();
