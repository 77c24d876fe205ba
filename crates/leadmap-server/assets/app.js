// Leadmap's web app. Every action works without this file (plain forms and links); with it,
// the map pans and zooms, the topic panel opens in place, and marking updates the page
// without a reload. Keyboard: "/" search, Enter open, d/l/s/p mark, arrows move, Esc close.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  // The theme picker applies at once.
  var pick = document.getElementById("theme-pick");
  if (pick) pick.addEventListener("change", function () { pick.form.submit(); });

  var rm = document.querySelector(".rm");
  if (!rm) return;
  var roadmap = rm.dataset.roadmap, csrf = rm.dataset.csrf;
  var view = document.getElementById("view"), svg = view.querySelector("svg");
  var panel = document.getElementById("panel"), list = document.getElementById("list");
  var STATUSES = ["pending", "learning", "done", "skipped"];
  list.hidden = true;

  // ---- Pan and zoom ---------------------------------------------------------------------
  var W = svg.viewBox.baseVal.width, H = svg.viewBox.baseVal.height;
  var k = 1, x = 0, y = 0, touched = false;
  function apply() { svg.style.transform = "translate(" + x + "px," + y + "px) scale(" + k + ")"; }
  function fit() {
    var r = view.getBoundingClientRect();
    k = Math.min(r.width / W, r.height / H, 1); x = (r.width - W * k) / 2; y = 8; apply();
  }
  function fitWidth() {
    var r = view.getBoundingClientRect();
    k = Math.min(r.width / W, 1); x = (r.width - W * k) / 2; y = 0; apply();
  }
  function zoomAt(f, px, py) {
    touched = true;
    var nk = Math.max(0.05, Math.min(8, k * f));
    x = px - (px - x) * nk / k; y = py - (py - y) * nk / k; k = nk; apply();
  }
  function zoomMid(f) { var r = view.getBoundingClientRect(); zoomAt(f, r.width / 2, r.height / 2); }
  fitWidth();
  window.addEventListener("resize", function () { if (!touched) fitWidth(); });
  view.addEventListener("wheel", function (e) {
    e.preventDefault();
    var r = view.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
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
      var a = Array.from(pts.values()), d = Math.hypot(a[0].x - a[1].x, a[0].y - a[1].y), r = view.getBoundingClientRect();
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
  document.getElementById("zin").onclick = function () { zoomMid(1.25); };
  document.getElementById("zout").onclick = function () { zoomMid(0.8); };

  // Brings a node into view (without zooming out of a readable scale).
  function show(g) {
    touched = true;
    var b = g.getBBox(), m = g.transform.baseVal.consolidate().matrix, r = view.getBoundingClientRect();
    if (k < 0.6) k = 0.8;
    var wide = panel.hidden ? r.width : Math.max(r.width - panel.offsetWidth, r.width / 2);
    x = wide / 2 - (m.e + b.width / 2) * k; y = r.height / 3 - (m.f + b.height / 2) * k; apply();
  }

  // ---- Topics: the SVG nodes and list items ---------------------------------------------
  var topics = Array.prototype.slice.call(svg.querySelectorAll('.n[data-kind="topic"],.n[data-kind="subtopic"]'));
  function node(id) { return svg.querySelector('.n[data-id="' + CSS.escape(id) + '"]'); }
  function item(id) { return list.querySelector('li[data-id="' + CSS.escape(id) + '"]'); }

  function paint(id, status) {
    var g = node(id);
    if (g) {
      STATUSES.forEach(function (s) { g.classList.remove(s); });
      g.classList.add(status);
      var title = g.querySelector("title").textContent;
      g.setAttribute("aria-label", status === "pending" ? title : title + ", " + status);
      var old = g.querySelector("use"); if (old) old.remove();
      if (status !== "pending") {
        var t = g.querySelector("text"), u = document.createElementNS("http://www.w3.org/2000/svg", "use");
        u.setAttribute("href", "#s-" + status); u.setAttribute("x", "10");
        u.setAttribute("y", String(parseFloat(t.getAttribute("y")) - 12.5));
        u.setAttribute("width", "16"); u.setAttribute("height", "16");
        g.insertBefore(u, t);
      }
    }
    var li = item(id);
    if (li) {
      STATUSES.forEach(function (s) { li.classList.remove(s); });
      li.classList.add(status);
      li.querySelector(".st").textContent = status === "pending" ? "" : status;
    }
    var p = panel.querySelector('.panel[data-topic="' + CSS.escape(id) + '"]');
    if (p) p.querySelectorAll(".mark button[name=status]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.value === status));
    });
  }

  function meter(el, s, label) {
    if (!el || !s) return;
    var pr = el.querySelector("progress"); pr.value = s.percent;
    pr.setAttribute("aria-label", label + ": " + s.percent + " % complete");
    el.querySelector(".pct").textContent = s.percent + " %";
    var c = el.querySelector(".counts"), total = s.done + s.learning + s.skipped + s.pending;
    c.textContent = s.done + " done · " + s.learning + " learning · " + s.skipped + " skipped" +
      (el.id === "overall" ? "" : " · " + total + " topics");
  }

  var saved = null;
  function announce(text) {
    var el = panel.hidden ? null : panel.querySelector(".saved");
    document.getElementById("announce").textContent = text;
    if (el) el.textContent = text;
  }

  // Sends a status (and/or note) for a topic; updates the page from the stored record.
  function mark(id, fields) {
    var body = new URLSearchParams();
    body.set("csrf", csrf);
    Object.keys(fields).forEach(function (f) { body.set(f, fields[f]); });
    return fetch("/r/" + encodeURIComponent(roadmap) + "/t/" + encodeURIComponent(id), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf }
    }).then(function (r) {
      if (!r.ok) throw new Error("The server answered " + r.status + "; nothing was changed.");
      return r.json();
    }).then(function (rec) {
      paint(rec.topic, rec.status);
      meter(document.getElementById("overall"), rec.summary, "Overall");
      if (rec.area) {
        var block = list.querySelector('.area-block[data-area="' + CSS.escape(rec.area.id) + '"]');
        if (block) meter(block.querySelector(".meter"), rec.area.summary, block.querySelector("h3").textContent);
      }
      saved = rec;
      announce("Saved: " + rec.status + (rec.note ? ", with a note" : ""));
      return rec;
    }).catch(function (e) { announce(e.message); });
  }

  // ---- The panel --------------------------------------------------------------------------
  function open(id, focusTitle) {
    return fetch("/r/" + encodeURIComponent(roadmap) + "/t/" + encodeURIComponent(id) + "?fragment=1", { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        panel.innerHTML = html; panel.hidden = false;
        history.replaceState(null, "", "/r/" + roadmap + "?topic=" + encodeURIComponent(id));
        if (focusTitle !== false) { var h = panel.querySelector("h2"); if (h) h.focus(); }
      });
  }
  function close() {
    panel.hidden = true;
    history.replaceState(null, "", "/r/" + roadmap);
  }
  panel.addEventListener("submit", function (e) {
    var form = e.target.closest("form.mark"); if (!form) return;
    e.preventDefault();
    var id = form.closest(".panel").dataset.topic, fields = { note: form.note.value };
    if (e.submitter && e.submitter.name === "status") fields.status = e.submitter.value;
    mark(id, fields);
  });
  panel.addEventListener("click", function (e) {
    if (e.target.closest(".close")) { e.preventDefault(); close(); return; }
    var a = e.target.closest("a[data-open]");
    if (a) { e.preventDefault(); var g = node(a.dataset.open); if (g) show(g); open(a.dataset.open); }
  });

  svg.addEventListener("click", function (e) {
    if (moved > 4) return;
    var g = e.target.closest(".n");
    if (g && (g.dataset.kind === "topic" || g.dataset.kind === "subtopic")) { g.focus({ preventScroll: true }); open(g.dataset.id, false); }
  });
  list.addEventListener("click", function (e) {
    var a = e.target.closest("a[data-open]");
    if (a) { e.preventDefault(); open(a.dataset.open); }
  });

  // ---- Keyboard -----------------------------------------------------------------------------
  var KEYS = { d: "done", l: "learning", s: "skipped", p: "pending" };
  function focusedTopic() {
    var el = document.activeElement;
    if (!el) return null;
    var g = el.closest && el.closest(".n");
    if (g && (g.dataset.kind === "topic" || g.dataset.kind === "subtopic")) return g.dataset.id;
    var li = el.closest && el.closest("li[data-id]");
    return li ? li.dataset.id : null;
  }
  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    var typing = tag === "input" || tag === "textarea" || tag === "select";
    if (e.key === "Escape") {
      if (typing) e.target.blur();
      else if (!panel.hidden) { var id0 = (panel.querySelector(".panel") || {}).dataset; close(); if (id0) { var g0 = node(id0.topic); if (g0) g0.focus({ preventScroll: true }); } }
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/") { e.preventDefault(); document.getElementById("q").focus(); return; }
    var id = focusedTopic();
    if (id && KEYS[e.key]) { e.preventDefault(); mark(id, { status: KEYS[e.key] }); return; }
    if (id && e.key === "Enter") { e.preventDefault(); open(id, false); return; }
    if (id && /^Arrow/.test(e.key) && !list.hidden) {
      var items = Array.prototype.slice.call(list.querySelectorAll("li[data-id] a"));
      var at = items.indexOf(document.activeElement), next = items[at + (e.key === "ArrowDown" || e.key === "ArrowRight" ? 1 : -1)];
      if (next) { e.preventDefault(); next.focus(); }
      return;
    }
    if (id && /^Arrow/.test(e.key)) {
      var i = topics.indexOf(node(id)), n = topics[i + (e.key === "ArrowDown" || e.key === "ArrowRight" ? 1 : -1)];
      if (n) { e.preventDefault(); n.focus({ preventScroll: true }); show(n); }
      return;
    }
    if (e.target === view) {
      var pan = { ArrowLeft: [60, 0], ArrowRight: [-60, 0], ArrowUp: [0, 60], ArrowDown: [0, -60] }[e.key];
      if (e.key === "+" || e.key === "=") zoomMid(1.25);
      else if (e.key === "-") zoomMid(0.8);
      else if (e.key === "0") fit();
      else if (pan) { touched = true; x += pan[0]; y += pan[1]; apply(); }
      else return;
      e.preventDefault();
    }
  });

  // ---- Search and the list view ---------------------------------------------------------
  var q = document.getElementById("q"), count = document.getElementById("count"), hits = [], at = -1;
  var nodes = Array.prototype.slice.call(svg.querySelectorAll(".n"));
  var titles = nodes.map(function (g) { return (g.querySelector("title") || {}).textContent.toLowerCase(); });
  function search() {
    var s = q.value.trim().toLowerCase(); hits = []; at = -1;
    view.classList.toggle("searching", s.length > 0);
    for (var i = 0; i < nodes.length; i++) {
      var on = s.length > 0 && titles[i].indexOf(s) >= 0;
      nodes[i].classList.toggle("hit", on); if (on) hits.push(nodes[i]);
    }
    list.querySelectorAll("li[data-id]").forEach(function (li) {
      li.classList.toggle("hit", s.length > 0 && li.textContent.toLowerCase().indexOf(s) >= 0);
    });
    count.textContent = s ? hits.length + " found" : "";
  }
  q.addEventListener("input", search);
  q.form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (hits.length) { at = (at + 1) % hits.length; show(hits[at]); hits[at].focus({ preventScroll: true }); }
  });
  if (q.value) search();

  var toggle = document.getElementById("toggle");
  toggle.onclick = function () {
    var showList = list.hidden;
    list.hidden = !showList; view.hidden = showList;
    toggle.textContent = showList ? "Diagram" : "List view";
    toggle.setAttribute("aria-pressed", String(showList));
    if (showList) { var first = list.querySelector("li[data-id] a"); if (first) first.focus(); }
  };

  // A page opened on a topic (a link, or a reload) shows it.
  var open0 = new URLSearchParams(location.search).get("topic");
  if (open0) { var g1 = node(open0); if (g1) show(g1); }
  root.setAttribute("data-ready-ms", String(Math.round(performance.now())));
  window.leadmap = { mark: mark, open: open, saved: function () { return saved; } };
})();
