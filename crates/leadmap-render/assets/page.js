// Leadmap's offline roadmap page: search, a side panel per topic, a list view; pan and zoom
// come from panzoom.js, which the page puts before this script.
(function () {
  "use strict";
  var view = document.getElementById("view"), svg = view.querySelector("svg");
  var panel = document.getElementById("panel"), list = document.getElementById("list");
  var data = JSON.parse(document.getElementById("data").textContent);
  // Search and the tools work with this script only: they show once it runs.
  document.documentElement.classList.add("js");
  document.getElementById("q").hidden = false;
  document.querySelector("header .tools").hidden = false;

  // A large map comes with its boxes as bands of SVG text (data.bands): each is drawn when it
  // first comes within a screen of the view, so the page is ready before all of them are.
  var bands = data.bands || null, drawPending = false;
  function drawBand(b) { b.drawn = true; svg.insertAdjacentHTML("beforeend", b.svg); b.svg = null; if (hits && hits.length) markHits(); }
  function drawVisible() {
    drawPending = false;
    if (!bands) return;
    var r = view.getBoundingClientRect(), top = (-pz.y - r.height) / pz.k, bottom = (2 * r.height - pz.y) / pz.k;
    for (var i = 0; i < bands.length; i++) {
      var b = bands[i];
      if (!b.drawn && b.bottom >= top && b.top <= bottom) drawBand(b);
    }
  }
  // The box of a node, drawing its band first when it is not drawn yet.
  function ensure(id) {
    var sel = '[data-id="' + CSS.escape(id) + '"]', g = svg.querySelector(sel);
    if (g || !bands) return g;
    var needle = 'data-id="' + id + '"';
    for (var i = 0; i < bands.length; i++) {
      if (!bands[i].drawn && bands[i].svg.indexOf(needle) >= 0) { drawBand(bands[i]); break; }
    }
    return svg.querySelector(sel);
  }
  var W = svg.viewBox.baseVal.width, H = svg.viewBox.baseVal.height;
  svg.setAttribute("width", W); svg.setAttribute("height", H);
  var pz = leadmapPanZoom(view, svg, function () {
    if (bands && !drawPending) { drawPending = true; requestAnimationFrame(drawVisible); }
  });
  drawVisible();
  view.addEventListener("keydown", function (e) {
    if (e.target.closest && e.target.closest("g[data-id]") && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); open(e.target.closest("g[data-id]").dataset.id); return; }
    pz.key(e);
  });

  // Click (not drag) on a node opens its panel.
  svg.addEventListener("click", function (e) {
    if (pz.moved > 4) return;
    var g = e.target.closest("g[data-id]"); if (g) open(g.dataset.id);
  });

  function show(g) { pz.show(g); }

  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }
  function section(title, html) { return html ? "<h3>" + title + "</h3>" + html : ""; }
  function items(a, tag) { return a && a.length ? "<" + tag + ">" + a.map(function (s) { return "<li>" + s + "</li>"; }).join("") + "</" + tag + ">" : ""; }
  var ICONS = { book: "📕", article: "📄", video: "🎬", talk: "🎤", podcast: "🎧", course: "🎓", tool: "🛠️", community: "👥", newsletter: "✉️", template: "📝", website: "🌐" };
  // A template embedded in the page, offered as a Markdown file to save.
  function templateLink(t) {
    var text = (data.templates || {})[t];
    if (!text) return esc(t);
    var url = URL.createObjectURL(new Blob([text], { type: "text/markdown" }));
    return '<a href="' + url + '" download="' + esc(t) + '.md">' + esc(t) + ".md</a>";
  }
  function open(id) {
    var n = data.nodes[id]; if (!n) return;
    var res = (n.resources || []).map(function (r) {
      var t = r.url ? '<a href="' + esc(r.url) + '" rel="noopener">' + esc(r.title) + "</a>" : esc(r.title);
      return '<span class="icon" role="img" title="' + esc(r.kind) + '" aria-label="' + esc(r.kind) + '">' + (ICONS[r.kind] || "•") + "</span> " + t + (r.author ? " — " + esc(r.author) : "") + (r.year ? ", " + r.year : "");
    });
    var rel = (n.related || []).map(function (rid) {
      var o = data.nodes[rid];
      return o ? '<a href="#' + esc(rid) + '" data-open="' + esc(rid) + '">' + esc(o.title) + "</a>" : esc(rid);
    });
    panel.innerHTML = '<button class="close" aria-label="Close">✕</button><div class="kind">' + esc(String(n.kind).charAt(0).toUpperCase() + String(n.kind).slice(1)) + "</div><h2 tabindex=\"-1\">" + esc(n.title) + "</h2>" +
      (n.summary || "") + section("What “established” looks like", n.established) + section("How to start", items(n.steps, "ol")) +
      section("Pitfalls", items(n.pitfalls, "ul")) + section("Resources", items(res, "ul")) +
      section("Templates", items((n.templates || []).map(templateLink), "ul")) + section("Related", items(rel, "ul")) +
      (n.summary || n.steps ? "" : "<p class=\"kind\">No notes for this one yet.</p>");
    panel.hidden = false;
    panel.querySelector("h2").focus();
    history.replaceState(null, "", "#" + id);
  }
  panel.addEventListener("click", function (e) {
    if (e.target.closest(".close")) { panel.hidden = true; return; }
    var a = e.target.closest("[data-open]");
    if (a) { e.preventDefault(); var g = ensure(a.dataset.open); if (g) show(g); open(a.dataset.open); }
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") panel.hidden = true; });

  // Search: highlight matches, Enter goes to the next one.
  var q = document.getElementById("q"), count = document.getElementById("count"), hits = [], at = -1;
  // Every node's title from the page data, so that search sees the boxes not drawn yet.
  var ids = Object.keys(data.nodes);
  var titles = ids.map(function (id) { return String(data.nodes[id].title || "").toLowerCase(); });
  var hitSet = {};
  // Marks the drawn boxes that match the search (and unmarks the others).
  function markHits() {
    var drawn = svg.querySelectorAll("g[data-id]");
    for (var i = 0; i < drawn.length; i++) drawn[i].classList.toggle("hit", hitSet[drawn[i].dataset.id] === true);
  }
  q.addEventListener("input", function () {
    var s = q.value.trim().toLowerCase(); hits = []; at = -1; hitSet = {};
    view.classList.toggle("searching", s.length > 0);
    if (s) for (var i = 0; i < ids.length; i++) if (titles[i].indexOf(s) >= 0) { hits.push(ids[i]); hitSet[ids[i]] = true; }
    markHits();
    count.textContent = s ? hits.length + " found" : "";
  });
  q.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && hits.length) {
      at = (at + 1) % hits.length;
      var g = ensure(hits[at]); if (g) { show(g); g.focus({ preventScroll: true }); }
    }
  });
  document.addEventListener("keydown", function (e) { if (e.key === "/" && document.activeElement !== q) { e.preventDefault(); q.focus(); } });

  // List view: the same tree, as an accessible list.
  var toggle = document.getElementById("toggle");
  toggle.onclick = function () {
    var showList = list.hidden;
    if (showList && data.list) { list.innerHTML = data.list; data.list = null; }
    list.hidden = !showList; view.hidden = showList;
    toggle.textContent = showList ? "Diagram" : "List view";
    toggle.setAttribute("aria-pressed", String(showList));
  };
  list.addEventListener("click", function (e) { var b = e.target.closest("[data-open]"); if (b) open(b.dataset.open); });
  // When the page became interactive, in ms since navigation (benchmarks read it).
  document.documentElement.setAttribute("data-ready-ms", String(Math.round(performance.now())));
  if (location.hash.length > 1) { var g0 = ensure(decodeURIComponent(location.hash.slice(1))); if (g0) { show(g0); open(g0.dataset.id); } }
})();
