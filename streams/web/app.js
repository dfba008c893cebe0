// figurewatch's page: a conflict selector, the current figures, one series charted over time and the feed of
// change events, all read from the JSON API and kept up to date by its Server-Sent Events stream. No build step.
"use strict";

const state = { conflict: null, seriesKey: null, plot: null, seen: new Set() };
window.figurewatch = state; // for the browser test and for a look from the console
const $ = (id) => document.getElementById(id);
const QUALIFIERS = { at_least: "at least", more_than: "more than", at_most: "at most", less_than: "fewer than", about: "about" };
const PALETTE = ["#1f5fbf", "#2e9d8f", "#8e44ad", "#5d6d7e", "#16a085", "#b7950b", "#2c3e50", "#d35400"];
const MARKS = { contradiction: "#c62828", revision: "#e07000" };
const FEED_MAX = 200;

// Builds an element; strings become text nodes (never HTML), so nothing from the data is run as markup.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

const number = (n) => Number(n).toLocaleString("en-US");
// A day as a newsroom writes it: 2025-02-04 -> 4 Feb 2025.
const dayText = (iso) => new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString("en-GB",
  { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const metricName = (m) => m.replaceAll("_", " ");

function figureText(f) {
  if (f.qualifier === "range" || f.qualifier === "vague") {
    return f.high === null ? `${number(f.low)}+` : `${number(f.low)}–${number(f.high)}`;
  }
  const words = QUALIFIERS[f.qualifier];
  return words ? `${words} ${number(f.value)}` : number(f.value);
}

// Time axis labels as days are written on the page: "10 Jan", with the year below where it starts or changes.
function dayTick(seconds, previous) {
  const date = new Date(seconds * 1000);
  const label = date.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  const year = date.getUTCFullYear();
  return previous && new Date(previous * 1000).getUTCFullYear() === year ? label : `${label}\n${year}`;
}

// Axis labels: millions as 1.2M, else the number itself, so close ticks (111,580 and 111,590) stay apart.
function tickLabel(ticks) {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  return (n) => (Math.abs(n) >= 1e6 && step >= 1e5 ? `${+(n / 1e6).toFixed(step >= 1e6 ? 0 : 1)}M` : number(n));
}

// Where and when a series counts: its group, place, and whether it is a running total or one day's incident.
function seriesWhere(s) {
  const parts = [];
  if (s.group) parts.push(s.group);
  if (s.place) parts.push(s.place);
  if (s.basis === "incident") parts.push(s.day ? `incident of ${dayText(s.day)}` : "incident");
  else if (s.since) parts.push(`total since ${dayText(s.since)}`);
  else parts.push("total");
  if (s.modality === "planned") parts.push("planned");
  return parts.join(" · ");
}

function debounce(fn, ms) {
  let timer = null;
  return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
}

// ---- conflicts ----
async function loadConflicts() {
  const { conflicts } = await api("/api/conflicts");
  const select = $("conflict");
  const current = state.conflict || decodeURIComponent(location.hash.replace(/^#/, "")) || null;
  select.replaceChildren(...conflicts.map((c) =>
    el("option", { value: c.conflict }, `${c.name} — ${c.series} series${c.contradictions ? `, ${c.contradictions} contradicted` : ""}`)));
  if (!conflicts.length) {
    $("summary").replaceChildren(el("p", { class: "empty" }, "No figures yet: waiting for the worker's first change events."));
    return;
  }
  const known = conflicts.find((c) => c.conflict === current);
  const busiest = conflicts.reduce((a, b) => (b.contradictions > a.contradictions || (b.contradictions === a.contradictions && b.changes > a.changes) ? b : a));
  const chosen = known || busiest;
  select.value = chosen.conflict;
  renderSummary(chosen);
  if (chosen.conflict !== state.conflict) await selectConflict(chosen.conflict);
}

function renderSummary(c) {
  const stat = (value, label, alert) => el("div", { class: alert ? "stat alert" : "stat" }, el("b", {}, number(value)), el("span", {}, label));
  $("summary").replaceChildren(
    stat(c.series, "series"), stat(c.reports, "reports"), stat(c.changes, "changes"),
    stat(c.contradictions, "contradictions", c.contradictions > 0),
    stat(c.contradicted_series, "contradicted series", c.contradicted_series > 0),
  );
}

async function selectConflict(conflict) {
  state.conflict = conflict;
  state.seriesKey = null;
  history.replaceState(null, "", `#${encodeURIComponent(conflict)}`);
  const query = `?conflict=${encodeURIComponent(conflict)}`;
  $("figures-csv").href = `/api/figures.csv${query}`;
  $("changes-csv").href = `/api/changes.csv${query}`;
  await Promise.all([loadFigures(), loadFeed()]);
}

// ---- the table of current figures ----
async function loadFigures() {
  const conflict = state.conflict;
  const { figures } = await api(`/api/figures?conflict=${encodeURIComponent(conflict)}`);
  if (conflict !== state.conflict) return;
  figures.sort((a, b) => b.contradicted - a.contradicted); // contradicted series first, else the API's order
  const rows = figures.map((f) => el("tr", {
    "data-key": f.series_key, class: [f.contradicted ? "contradicted" : "", f.series_key === state.seriesKey ? "selected" : ""].join(" ").trim() || null,
    onclick: () => loadSeries(f.series_key),
  },
    el("td", {}, el("div", { class: "metric" }, metricName(f.metric), " ", f.contradicted ? el("span", { class: "badge contradicted" }, "contradicted") : null),
      el("div", { class: "where" }, seriesWhere(f))),
    el("td", {}, el("div", { class: "value" }, figureText(f.current)), el("div", { class: "asof" }, `${f.current.source}, as of ${dayText(f.current.as_of)}`)),
    el("td", {}, el("div", { class: "sources" }, f.sources.map((s) =>
      el("span", { class: "chip", title: `as of ${dayText(s.as_of)}` }, `${s.source} `, el("b", {}, figureText(s)))))),
    el("td", { class: "num" }, f.counts.reports),
  ));
  $("figures").tBodies[0].replaceChildren(...rows);
  if (!figures.some((f) => f.series_key === state.seriesKey) && figures.length) {
    // The most reported contradicted series, else the most reported one.
    const pick = figures.reduce((a, b) => (b.contradicted - a.contradicted || b.counts.reports - a.counts.reports) > 0 ? b : a);
    await loadSeries(pick.series_key);
  } else if (state.seriesKey) {
    await loadSeries(state.seriesKey);
  }
}

// ---- one series over time ----
async function loadSeries(key) {
  state.seriesKey = key;
  for (const row of $("figures").tBodies[0].rows) row.classList.toggle("selected", row.dataset.key === key);
  const view = await api(`/api/series/${encodeURIComponent(key)}`);
  if (key !== state.seriesKey) return;
  drawChart(view);
}

const day = (iso) => Date.parse(`${iso}T00:00:00Z`) / 1000;

function drawChart(view) {
  const s = view.series;
  $("chart-title").textContent = `${metricName(s.metric)} — ${seriesWhere(s)}`;
  $("chart-sub").textContent = `${view.claims.length} stated figures; each source its own line, contradictions and revisions circled.`;
  const sources = [...new Set(view.claims.map((c) => c.source))].sort();
  const xs = [...new Set(view.claims.map((c) => day(c.as_of)))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const bySource = sources.map((source) => {
    const ys = xs.map(() => null);
    for (const c of view.claims) if (c.source === source) ys[at.get(day(c.as_of))] = c.value;
    return ys;
  });
  const claims = new Map(view.claims.map((c) => [c.claim_id, c]));
  const marked = Object.keys(MARKS).map((kind) => {
    const ys = xs.map(() => null);
    for (const change of view.changes) {
      const c = change.kind === kind && claims.get(change.claim_id);
      if (c) ys[at.get(day(c.as_of))] = c.value;
    }
    return ys;
  });
  const width = Math.max(280, $("chart").clientWidth);
  const opts = {
    width, height: 300,
    scales: { x: { time: true, range: (u, min, max) => (min === max ? [min - 86400 * 3, max + 86400 * 3] : [min - 43200, max + 43200]) } },
    axes: [{ values: (u, ticks) => ticks.map((t, i) => dayTick(t, i && ticks[i - 1])) }, { size: 70, values: (u, ticks) => ticks.map(tickLabel(ticks)) }],
    series: [
      { label: "as of", value: (u, v) => (v === null ? "–" : dayText(new Date(v * 1000).toISOString())) },
      ...sources.map((source, i) => ({ label: source, stroke: PALETTE[i % PALETTE.length], width: 2, spanGaps: true,
        points: { show: true, size: 8, fill: PALETTE[i % PALETTE.length] }, value: (u, v) => (v === null ? "–" : number(v)) })),
      ...Object.entries(MARKS).map(([kind, color]) => ({ label: kind, stroke: color, width: 0, paths: () => null,
        points: { show: true, size: 16, width: 2.5, stroke: color, fill: "transparent" }, value: (u, v) => (v === null ? "–" : number(v)) })),
    ],
  };
  if (state.plot) state.plot.destroy();
  state.plot = new uPlot(opts, [xs, ...bySource, ...marked], $("chart"));
  const notes = view.changes.filter((c) => c.kind in MARKS).slice(-6).reverse();
  $("chart-notes").replaceChildren(...notes.map((c) => el("li", {}, el("span", { class: `badge ${c.kind}` }, c.kind), " ", c.explanation)));
}

// ---- the feed of changes ----
async function loadFeed() {
  const conflict = state.conflict;
  const { changes } = await api(`/api/changes?conflict=${encodeURIComponent(conflict)}&limit=50`);
  if (conflict !== state.conflict) return;
  state.seen = new Set(changes.map((c) => c.id));
  $("feed").replaceChildren(...changes.map((c) => feedItem(c, false)));
}

// The sentence a figure came from, with the figure marked where it can be found (a claim's span counts in
// the article's body, which the page does not have, so the figure is looked up by the ways it is written).
function evidence(claim) {
  const text = claim.sentence;
  const forms = [...new Set([claim.value, claim.low, claim.high].filter((v) => v !== null)
    .flatMap((v) => [number(v), String(v)]))];
  const found = forms.map((form) => [text.indexOf(form), form]).filter(([at]) => at >= 0).sort((a, b) => a[0] - b[0])[0];
  if (!found) return el("blockquote", {}, text);
  const [at, form] = found;
  return el("blockquote", {}, text.slice(0, at), el("mark", {}, form), text.slice(at + form.length));
}

// The article's link, with a text fragment that scrolls a browser to the sentence the figure came from.
function articleLink(claim) {
  if (!claim.url || !/^https?:\/\//.test(claim.url)) return null;
  const words = claim.sentence.split(/\s+/).slice(0, 8).join(" ");
  return el("a", { href: `${claim.url}#:~:text=${encodeURIComponent(words)}`, target: "_blank", rel: "noopener noreferrer" }, `${claim.outlet} article ↗`);
}

function feedItem(change, fresh) {
  const claim = change.claim;
  return el("li", { "data-id": change.id, "data-kind": change.kind, class: fresh ? "fresh" : null },
    el("div", { class: "meta" },
      el("span", { class: `badge ${change.kind}` }, change.kind),
      el("span", {}, metricName(change.metric)),
      el("span", {}, dayText(claim.published_at)),
      el("a", { href: "#", onclick: (e) => { e.preventDefault(); loadSeries(change.series.key); $("chart").scrollIntoView({ behavior: "smooth", block: "center" }); } }, "chart"),
      articleLink(claim)),
    el("div", { class: "text" }, change.explanation),
    el("details", {}, el("summary", {}, "evidence"), evidence(claim)));
}

function onChange(change) {
  refreshConflicts();
  if (change.conflict !== state.conflict || state.seen.has(change.id)) return;
  state.seen.add(change.id);
  const feed = $("feed");
  feed.prepend(feedItem(change, true));
  while (feed.children.length > FEED_MAX) feed.lastElementChild.remove();
  refreshFigures();
}

const refreshConflicts = debounce(() => loadConflicts().catch(console.error), 400);
const refreshFigures = debounce(() => loadFigures().catch(console.error), 400);

function connect() {
  const live = $("live");
  const source = new EventSource("/api/changes/stream");
  source.onopen = () => { live.textContent = "live"; live.classList.add("on"); };
  source.onerror = () => { live.textContent = "reconnecting…"; live.classList.remove("on"); };
  source.addEventListener("change", (e) => onChange(JSON.parse(e.data)));
  source.addEventListener("figures", () => { refreshConflicts(); refreshFigures(); });
}

$("conflict").addEventListener("change", (e) => selectConflict(e.target.value).catch(console.error));
window.addEventListener("resize", debounce(() => state.plot && state.plot.setSize({ width: Math.max(280, $("chart").clientWidth), height: 300 }), 150));
loadConflicts().catch(console.error).finally(connect);
