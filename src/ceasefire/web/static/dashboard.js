// The map dashboard: the agreement's lines and zones, what was reported, and what could not be
// observed, for whoever is looking. It only draws what the API returns: the audience filter runs
// on the server, so a public visitor's browser never receives a sensor position to hide.
"use strict";

const NOT_OBSERVABLE = new Set(["outage", "jammed", "access_denied", "restricted", "weather"]);
const ZONE_COLOURS = {
  withdrawal: "#e67e22", disengagement: "#8e44ad", buffer: "#f1c40f",
  settlement_protection: "#7f8c8d", storage_site: "#16a085", live_fire: "#2980b9",
};
const ACTIVITY_COLOURS = {
  explosion: "#c0392b", artillery_fire: "#e74c3c", mortar_fire: "#d35400", mlrs_fire: "#a93226",
  small_arms_fire: "#f39c12", sniper_fire: "#b9770e", drone_flight: "#2471a3",
  drone_strike: "#1a5276", weapon_presence: "#6c3483", restriction_of_movement: "#117864",
};

const token = new URLSearchParams(location.hash.slice(1)).get("token");
const headers = token ? { Authorization: `Bearer ${token}` } : {};
const state = { reports: [], days: [], layer: null, coverage: null };
const map = L.map("map", { preferCanvas: false }).setView([48.3, 38.0], 8);
// A neutral mission's map carries no national symbol, not even the library's default flag.
map.attributionControl.setPrefix("Leaflet");

async function api(path) {
  const response = await fetch(path, { headers });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.headers.get("content-type").includes("json") ? response.json() : response.text();
}

function text(value) {
  // Everything shown comes from reports people sent: never interpret it as HTML.
  const span = document.createElement("span");
  span.textContent = value === null || value === undefined ? "—" : String(value);
  return span;
}

function showPanel(title, rows, proofId) {
  const body = document.getElementById("panel-body");
  body.replaceChildren();
  const heading = document.createElement("h2");
  heading.append(text(title));
  const list = document.createElement("dl");
  for (const [name, value] of rows) {
    const term = document.createElement("dt");
    term.append(text(name));
    const detail = document.createElement("dd");
    detail.append(text(value));
    list.append(term, detail);
  }
  body.append(heading, list);
  if (proofId) {
    const link = document.createElement("a");
    link.href = `/api/v1/ledger/inclusion?id=${encodeURIComponent(proofId)}`;
    link.textContent = "inclusion proof in the ledger";
    link.dataset.testid = "proof-link";
    body.append(link);
  }
  document.getElementById("panel").hidden = false;
}

function reportRows(p) {
  return [
    ["id", p.id], ["activity", p.activity], ["observed at", p.observed_at],
    ["until", p.observed_until], ["count", p.count], ["source", p.source && p.source.kind],
    ["organisation", p.source && p.source.organisation], ["attributed to", p.attributed_to],
    ["narrative", p.narrative],
  ];
}

function dayOf(iso) { return iso.slice(0, 10); }

function drawReports() {
  if (state.layer) state.layer.remove();
  const activity = document.getElementById("activity").value;
  const allDays = document.getElementById("all-days").checked;
  const day = state.days[Number(document.getElementById("day").value)];
  document.getElementById("day-label").textContent = allDays ? "all days" : day || "—";
  const shown = state.reports.filter((f) =>
    (!activity || f.properties.activity === activity) &&
    (allDays || dayOf(f.properties.observed_at) === day) && f.geometry);
  state.layer = L.geoJSON({ type: "FeatureCollection", features: shown }, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
      radius: 5 + Math.min(10, Math.sqrt(feature.properties.count || 1) * 2),
      color: ACTIVITY_COLOURS[feature.properties.activity] || "#555",
      weight: 2, fillOpacity: 0.6, className: "report-marker",
    }),
    onEachFeature: (feature, layer) => layer.on("click", () =>
      showPanel(`Report: ${feature.properties.activity}`, reportRows(feature.properties),
        feature.properties.id)),
  }).addTo(map);
  document.getElementById("count").textContent = `${shown.length} report(s) drawn`;
  document.getElementById("count").dataset.drawn = String(shown.length);
}

async function drawAgreement() {
  const versions = await api("/api/v1/agreements");
  if (!versions.length) return;
  const zones = await api(`/api/v1/agreements/${encodeURIComponent(versions[versions.length - 1].agreement_id)}/zones`);
  const layer = L.geoJSON(zones, {
    style: (f) => f.properties.feature === "line"
      ? { color: "#111", weight: 3 }
      : { color: ZONE_COLOURS[f.properties.kind] || "#999", weight: 1, fillOpacity: 0.08 },
    onEachFeature: (f, l) => l.bindTooltip(`${f.properties.feature} ${f.properties.id}`),
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [10, 10] });
}

async function drawBasemap() {
  try {
    const basemap = await api("/api/v1/basemap");
    L.geoJSON(basemap, { style: { color: "#999", weight: 1, fillColor: "#fafaf7", fillOpacity: 1 },
      interactive: false }).addTo(map).bringToBack();
  } catch (error) { /* no basemap configured: the agreement's own geometry still orients */ }
}

async function drawCoverage() {
  const { items } = await api("/api/v1/coverage");
  state.coverage = L.geoJSON({ type: "FeatureCollection", features: items.map((c) => ({
    type: "Feature", geometry: c.sector, properties: c })) }, {
    style: (f) => NOT_OBSERVABLE.has(f.properties.status)
      ? { color: "#c0392b", weight: 1, fillOpacity: 0.35, dashArray: "4", className: "coverage-gap" }
      : { color: "#27ae60", weight: 1, fillOpacity: 0.2, className: "coverage-observed" },
    onEachFeature: (f, l) => l.on("click", () => showPanel(`Coverage: ${f.properties.status}`, [
      ["from", f.properties.observed_from], ["until", f.properties.observed_until],
      ["reason", f.properties.reason], ["imposed by", f.properties.imposed_by]])),
  }).addTo(map);
}

async function loadReports() {
  let cursor = null;
  do {
    const page = await api(`/api/v1/reports?format=geojson&limit=1000${cursor ? `&cursor=${cursor}` : ""}`);
    state.reports.push(...page.features);
    cursor = page.next_cursor;
  } while (cursor);
  state.days = [...new Set(state.reports.map((f) => dayOf(f.properties.observed_at)))].sort();
  const slider = document.getElementById("day");
  slider.max = String(Math.max(0, state.days.length - 1));
  const activities = [...new Set(state.reports.map((f) => f.properties.activity))].sort();
  const select = document.getElementById("activity");
  for (const name of activities) select.append(new Option(name, name));
}

async function main() {
  const me = await api("/api/v1/me");
  document.getElementById("audience").textContent = `viewing as ${me.audience}`;
  await drawBasemap();
  await drawAgreement();
  await drawCoverage();
  await loadReports();
  drawReports();
  try {
    const note = await api("/api/v1/ledger/checkpoint");
    const [origin, size] = note.split("\n");
    document.getElementById("checkpoint").textContent = `ledger ${origin} at size ${size}`;
  } catch (error) { document.getElementById("checkpoint").textContent = "no signed checkpoint yet"; }
  for (const id of ["activity", "day", "all-days"]) {
    document.getElementById(id).addEventListener("input", drawReports);
  }
  document.getElementById("show-coverage").addEventListener("change", (event) => {
    if (event.target.checked) state.coverage.addTo(map); else state.coverage.remove();
  });
  document.getElementById("close").addEventListener("click", () => {
    document.getElementById("panel").hidden = true;
  });
  document.body.dataset.ready = "true";
}

main().catch((error) => {
  document.getElementById("count").textContent = `failed to load: ${error.message}`;
  document.body.dataset.ready = "error";
});
