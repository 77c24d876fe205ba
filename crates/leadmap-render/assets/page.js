// Leadmap's offline roadmap page: pan and zoom, fit, search, a side panel per topic, a list view.
(function () {
  "use strict";
  var view = document.getElementById("view"), svg = view.querySelector("svg");
  var panel = document.getElementById("panel"), list = document.getElementById("list");
  var data = JSON.parse(document.getElementById("data").textContent);
  var W = svg.viewBox.baseVal.width, H = svg.viewBox.baseVal.height;
  var k = 1, x = 0, y = 0, touched = false;

  // A large map comes with its boxes as bands of SVG text (data.bands): each is drawn when it
  // first comes within a screen of the view, so the page is ready before all of them are.
  var bands = data.bands || null, drawPending = false;
  function drawBand(b) { b.drawn = true; svg.insertAdjacentHTML("beforeend", b.svg); b.svg = null; if (hits && hits.length) markHits(); }
  function drawVisible() {
    drawPending = false;
    if (!bands) return;
    var r = view.getBoundingClientRect(), top = (-y - r.height) / k, bottom = (2 * r.height - y) / k;
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
  function apply() {
    svg.style.transform = "translate(" + x + "px," + y + "px) scale(" + k + ")";
    if (bands && !drawPending) { drawPending = true; requestAnimationFrame(drawVisible); }
  }
  // Fit shows the whole map; the page opens fitted to the width, readable from the top.
  function fit() {
    var r = view.getBoundingClientRect();
    k = Math.min(r.width / W, r.height / H, 1);
    x = (r.width - W * k) / 2; y = 8; apply();
  }
  function fitWidth() {
    var r = view.getBoundingClientRect();
    k = Math.min(r.width / W, 1);
    x = (r.width - W * k) / 2; y = 0; apply();
  }
  function zoomAt(f, px, py) {
    touched = true;
    var nk = Math.max(0.05, Math.min(8, k * f));
    x = px - (px - x) * nk / k; y = py - (py - y) * nk / k; k = nk; apply();
  }
  svg.setAttribute("width", W); svg.setAttribute("height", H);
  fitWidth();
  drawVisible();
  // A resize refits only a view the reader has not moved yet.
  window.addEventListener("resize", function () { if (!touched) fitWidth(); });

  view.addEventListener("wheel", function (e) {
    e.preventDefault();
    var r = view.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });

  // Pointer pan (mouse and one finger) and pinch zoom (two fingers).
  var pts = new Map(), last = null, moved = 0, pinch = 0;
  view.addEventListener("pointerdown", function (e) {
    pts.set(e.pointerId, { x: e.clientX, y: e.clientY });
    last = { x: e.clientX, y: e.clientY }; moved = 0;
    if (pts.size === 2) { var a = Array.from(pts.values()); pinch = Math.hypot(a[0].x - a[1].x, a[0].y - a[1].y); }
  });
  view.addEventListener("pointermove", function (e) {
    if (!pts.has(e.pointerId)) return;
    pts.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pts.size === 2) {
      var a = Array.from(pts.values()), d = Math.hypot(a[0].x - a[1].x, a[0].y - a[1].y);
      var r = view.getBoundingClientRect();
      if (pinch) zoomAt(d / pinch, (a[0].x + a[1].x) / 2 - r.left, (a[0].y + a[1].y) / 2 - r.top);
      pinch = d; return;
    }
    var dx = e.clientX - last.x, dy = e.clientY - last.y;
    moved += Math.abs(dx) + Math.abs(dy);
    if (moved > 4) { view.classList.add("drag"); if (!view.hasPointerCapture(e.pointerId)) view.setPointerCapture(e.pointerId); }
    touched = true; x += dx; y += dy; last = { x: e.clientX, y: e.clientY }; apply();
  });
  function up(e) { pts.delete(e.pointerId); pinch = 0; view.classList.remove("drag"); }
  view.addEventListener("pointerup", up); view.addEventListener("pointercancel", up);

  document.getElementById("fit").onclick = fit;
  document.getElementById("zin").onclick = function () { var r = view.getBoundingClientRect(); zoomAt(1.25, r.width / 2, r.height / 2); };
  document.getElementById("zout").onclick = function () { var r = view.getBoundingClientRect(); zoomAt(0.8, r.width / 2, r.height / 2); };
  view.addEventListener("keydown", function (e) {
    if (e.target.closest && e.target.closest(".n") && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); open(e.target.closest(".n").dataset.id); return; }
    var r = view.getBoundingClientRect(), step = 60;
    var pan = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[e.key];
    if (e.key === "+" || e.key === "=") zoomAt(1.25, r.width / 2, r.height / 2);
    else if (e.key === "-") zoomAt(0.8, r.width / 2, r.height / 2);
    else if (e.key === "0") fit();
    else if (pan) { touched = true; x += pan[0]; y += pan[1]; apply(); }
    else return;
    e.preventDefault();
  });

  // Click (not drag) on a node opens its panel.
  svg.addEventListener("click", function (e) {
    if (moved > 4) return;
    var g = e.target.closest(".n"); if (g) open(g.dataset.id);
  });

  function show(g) {
    touched = true;
    var b = g.getBBox(), m = g.transform.baseVal.consolidate().matrix, r = view.getBoundingClientRect();
    if (k < 0.6) k = 0.8;
    x = r.width / 2 - (m.e + b.width / 2) * k; y = r.height / 3 - (m.f + b.height / 2) * k; apply();
  }

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
    panel.innerHTML = '<button class="close" aria-label="Close">✕</button><div class="kind">' + esc(n.kind) + "</div><h2 tabindex=\"-1\">" + esc(n.title) + "</h2>" +
      (n.summary || "") + section("Established", n.established) + section("How to start", items(n.steps, "ol")) +
      section("Pitfalls", items(n.pitfalls, "ul")) + section("Resources", items(res, "ul")) +
      section("Related", items(rel, "ul")) + section("Templates", items((n.templates || []).map(templateLink), "ul")) +
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
    var drawn = svg.querySelectorAll(".n");
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
