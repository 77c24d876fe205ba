// Leadmap's web app. Every action works without this file (plain forms and links); with it,
// the map pans and zooms, the topic panel opens in place, and marking updates the page
// without a reload. Keyboard: "/" search, Enter open, d/l/s/p mark, arrows move, Esc close.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  // The path prefix the app is served under ("/leadmap"), which the server puts on <html>;
  // every URL built here starts with it.
  var BASE = root.getAttribute("data-base") || "";

  // The theme picker applies with its button: a keyboard moves through the choices first.

  // A field with a pattern says what it wants in our words, not the browser's.
  document.querySelectorAll("input[data-invalid]").forEach(function (input) {
    function check() {
      input.setCustomValidity("");
      if (input.validity.patternMismatch) input.setCustomValidity(input.dataset.invalid);
    }
    input.addEventListener("input", check); check();
  });

  // The new token's Copy button.
  var copy = document.getElementById("copy-token");
  if (copy) copy.addEventListener("click", function () {
    navigator.clipboard.writeText(document.getElementById("new-token").textContent).then(
      function () { copy.textContent = "Copied"; },
      function () { copy.textContent = "Select it and copy"; });
  });


  // ---- A practice assessment: rated as you go, by keyboard --------------------------------
  // j/k or the arrows move between practices, 1-5 set the level, n "not applicable", e the
  // evidence box. Each change is saved at once; the forms work without this script.
  var sheet = document.querySelector('.assess[data-editable="true"]');
  if (sheet) (function () {
    var practices = Array.prototype.slice.call(sheet.querySelectorAll("article.practice"));
    var KEYS = { "1": "absent", "2": "ad-hoc", "3": "defined", "4": "practised", "5": "improving", "n": "not-applicable" };
    var current = null;
    function save(art, form, clear) {
      var status = form.querySelector(".saved");
      var body = new URLSearchParams(new FormData(form));
      if (clear) body.set("action", "clear");
      status.textContent = "Saving…";
      return fetch(BASE + form.getAttribute("action"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRF-Token": sheet.dataset.csrf }
      }).then(function (r) {
        return r.json().then(function (j) { return { ok: r.ok, j: j }; },
          function () { return { ok: false, j: { error: "The server answered " + r.status + "." } }; });
      }).then(function (x) {
        if (!x.ok) throw new Error(x.j.error || "Not saved.");
        art.dataset.level = x.j.level || "";
        art.querySelector(".level-tag").textContent = x.j.label;
        if (clear) form.querySelectorAll('input[name="level"]').forEach(function (i) { i.checked = false; });
        status.textContent = "Saved";
      }).catch(function (e) { status.textContent = "Not saved: " + e.message; });
    }
    function go(i) {
      if (!practices.length) return;
      current = practices[Math.max(0, Math.min(practices.length - 1, i))];
      current.focus();
      current.scrollIntoView({ block: "nearest" });
    }
    practices.forEach(function (art) {
      var form = art.querySelector("form.rate");
      if (!form) return;
      form.addEventListener("change", function () { save(art, form, false); });
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        save(art, form, e.submitter && e.submitter.value === "clear");
      });
      art.addEventListener("focusin", function () { current = art; });
    });
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      var t = e.target;
      if (t.matches && t.matches("textarea, select, input:not([type=radio])")) return;
      var i = current ? practices.indexOf(current) : -1;
      var k = e.key;
      if (k === "j" || (k === "ArrowDown" && !(t.type === "radio"))) { e.preventDefault(); go(i + 1); return; }
      if (k === "k" || (k === "ArrowUp" && !(t.type === "radio"))) { e.preventDefault(); go(i < 0 ? 0 : i - 1); return; }
      if (!current) return;
      if (KEYS[k]) {
        var radio = current.querySelector('input[name="level"][value="' + KEYS[k] + '"]');
        if (radio) { e.preventDefault(); radio.checked = true; save(current, radio.form, false); }
      } else if (k === "e") {
        var ev = current.querySelector("textarea.evidence");
        if (ev) { e.preventDefault(); ev.focus(); }
      }
    });
  })();

  var rm = document.querySelector(".rm");
  if (!rm) return;
  var roadmap = rm.dataset.roadmap, csrf = rm.dataset.csrf;
  var view = document.getElementById("view"), svg = view.querySelector("svg");
  var panel = document.getElementById("panel"), list = document.getElementById("list");
  var STATUSES = ["pending", "learning", "done", "skipped"];
  list.hidden = true;

  // ---- Pan and zoom (panzoom.js, served in front of this file) ---------------------------
  var pz = leadmapPanZoom(view, svg);

  // Brings a node into view beside the panel (`ifHidden`: only when the panel or the edge of
  // the view hides some of it).
  function show(g, ifHidden) {
    var r = view.getBoundingClientRect();
    pz.show(g, panel.hidden ? r.width : Math.max(r.width - panel.offsetWidth, r.width / 2), ifHidden);
  }
  // The view from before the panel opened, given back when it closes.
  var before = null;

  // ---- Topics: the SVG nodes and list items ---------------------------------------------
  var topics = Array.prototype.slice.call(svg.querySelectorAll('[data-kind="topic"],[data-kind="subtopic"]'));
  function node(id) { return svg.querySelector('[data-id="' + CSS.escape(id) + '"]'); }
  function item(id) { return list.querySelector('li[data-id="' + CSS.escape(id) + '"]'); }

  function paint(id, status) {
    var g = node(id);
    if (g) {
      STATUSES.forEach(function (s) { g.classList.remove(s); });
      g.classList.add(status);
      // The name (the <title>) is the words on the box and the status.
      var title = g.querySelector("text").textContent;
      g.querySelector("title").textContent = status === "pending" ? title : title + ", " + status;
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
    pr.setAttribute("aria-label", label + ": " + s.percent + " % finished, done or skipped");
    el.querySelector(".pct").textContent = s.percent + " % finished";
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

  // The status a topic shows now.
  function statusOf(id) {
    var el = node(id) || item(id);
    if (!el) return "pending";
    for (var i = 0; i < STATUSES.length; i++) if (el.classList.contains(STATUSES[i])) return STATUSES[i];
    return "pending";
  }

  // The last change of status, to undo (one step: u, or the Undo button).
  var undoBtn = document.getElementById("undo"), last = null;
  function markStatus(id, status) {
    var before = statusOf(id);
    return mark(id, { status: status }).then(function (rec) {
      if (rec && before !== status) {
        last = { id: id, status: before };
        undoBtn.hidden = false;
      }
      return rec;
    });
  }
  function undo() {
    if (!last) return;
    var l = last; last = null; undoBtn.hidden = true;
    mark(l.id, { status: l.status }).then(function (rec) {
      if (rec) announce("Undone: " + rec.status + " again");
      var g = node(l.id); if (g && !view.hidden) g.focus({ preventScroll: true });
    });
  }
  undoBtn.addEventListener("click", undo);

  // Sends a status (and/or note) for a topic; updates the page from the stored record.
  function mark(id, fields) {
    // A visitor without an account reads; marking asks them to sign in first.
    if (!csrf) {
      location.href = BASE + "/login?next=" + encodeURIComponent(location.pathname + location.search);
      return Promise.resolve(null);
    }
    var body = new URLSearchParams();
    body.set("csrf", csrf);
    Object.keys(fields).forEach(function (f) { body.set(f, fields[f]); });
    return fetch(BASE + "/r/" + encodeURIComponent(roadmap) + "/t/" + encodeURIComponent(id), {
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
    return fetch(BASE + "/r/" + encodeURIComponent(roadmap) + "/t/" + encodeURIComponent(id) + "?fragment=1", { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        if (panel.hidden && !view.hidden) before = pz.save();
        panel.innerHTML = html; panel.hidden = false;
        var g = node(id); if (g && !view.hidden) show(g, true);
        history.replaceState(null, "", BASE + "/r/" + roadmap + "?topic=" + encodeURIComponent(id));
        if (focusTitle !== false) { var h = panel.querySelector("h2"); if (h) h.focus(); }
      });
  }
  function close() {
    panel.hidden = true;
    if (before) { pz.restore(before); before = null; }
    history.replaceState(null, "", BASE + "/r/" + roadmap);
  }
  panel.addEventListener("submit", function (e) {
    var form = e.target.closest("form.mark"); if (!form) return;
    e.preventDefault();
    var id = form.closest(".panel").dataset.topic, fields = { note: form.note.value };
    if (e.submitter && e.submitter.name === "status") {
      var before = statusOf(id), to = e.submitter.value;
      fields.status = to;
      mark(id, fields).then(function (rec) {
        if (rec && before !== to) { last = { id: id, status: before }; undoBtn.hidden = false; }
      });
    } else mark(id, fields);
  });
  panel.addEventListener("click", function (e) {
    if (e.target.closest(".close")) { e.preventDefault(); close(); return; }
    var a = e.target.closest("a[data-open]");
    if (a) { e.preventDefault(); open(a.dataset.open); }
  });

  // A topic is a link to its panel page (for a browser without this script); here the panel
  // opens in place, unless the reader asks for a new tab.
  svg.addEventListener("click", function (e) {
    var g = e.target.closest("[data-id]");
    if (!g || (g.dataset.kind !== "topic" && g.dataset.kind !== "subtopic")) return;
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button === 1) return;
    e.preventDefault();
    if (pz.moved > 4) return;
    g.focus({ preventScroll: true }); open(g.dataset.id, false);
  });
  list.addEventListener("click", function (e) {
    var a = e.target.closest("a[data-open]");
    if (a) { e.preventDefault(); open(a.dataset.open); }
  });

  // ---- Keyboard -----------------------------------------------------------------------------
  var help = document.getElementById("help");
  document.getElementById("keys").addEventListener("click", function () { help.showModal(); });
  var KEYS = { d: "done", l: "learning", s: "skipped", p: "pending" };
  function focusedTopic() {
    var el = document.activeElement;
    if (!el) return null;
    var g = el.closest && el.closest("[data-id]");
    if (g && (g.dataset.kind === "topic" || g.dataset.kind === "subtopic")) return g.dataset.id;
    var li = el.closest && el.closest("li[data-id]");
    return li ? li.dataset.id : null;
  }
  document.addEventListener("keydown", function (e) {
    if (help.open) return; // the dialog takes its own keys (Esc closes it)
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
    if (e.key === "?") { e.preventDefault(); help.showModal(); return; }
    if (e.key === "u") { e.preventDefault(); undo(); return; }
    if (id && KEYS[e.key]) { e.preventDefault(); markStatus(id, KEYS[e.key]); return; }
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
    if (e.target === view) pz.key(e);
  });

  // ---- Search and the list view ---------------------------------------------------------
  var q = document.getElementById("q"), count = document.getElementById("count"), hits = [], at = -1;
  var nodes = Array.prototype.slice.call(svg.querySelectorAll("[data-id]"));
  var titles = nodes.map(function (g) { return (g.querySelector("text") || {}).textContent.toLowerCase(); });
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
    // The first match comes into view as one types (Enter moves on to the next).
    if (hits.length && !view.hidden) { at = 0; show(hits[0]); }
    else if (s && !list.hidden) { var li = list.querySelector("li.hit"); if (li) li.scrollIntoView({ block: "nearest" }); }
  }
  q.addEventListener("input", search);
  q.form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (hits.length) { at = (at + 1) % hits.length; show(hits[at]); hits[at].focus({ preventScroll: true }); }
  });
  if (q.value) search();

  var toggle = document.getElementById("toggle");
  function listView(showList, focus) {
    list.hidden = !showList; view.hidden = showList;
    rm.classList.toggle("listing", showList);
    toggle.textContent = showList ? "Diagram" : "List view";
    toggle.setAttribute("aria-pressed", String(showList));
    if (!showList) pz.refit();
    if (showList && focus) { var first = list.querySelector("li[data-id] a"); if (first) first.focus(); }
  }
  toggle.onclick = function () { listView(list.hidden, true); };

  // A page opened on a topic (a link, or a reload) shows it; a phone opens on the list, which
  // reads at the text's own size (the diagram is one button away).
  var open0 = new URLSearchParams(location.search).get("topic");
  if (open0) { var g1 = node(open0); if (g1) show(g1); }
  else if (window.matchMedia("(max-width: 40rem)").matches) listView(true, false);
  root.setAttribute("data-ready-ms", String(Math.round(performance.now())));
  window.leadmap = { mark: mark, open: open, saved: function () { return saved; } };
})();

// The roadmap editor: line numbers that follow the text, a preview that follows the typing
// (the server renders it a second after the last key), a problem's place that moves the
// cursor there, and a file read into the text for the import.
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  if (!form) return;
  var BASE = document.documentElement.getAttribute("data-base") || "";
  var text = document.getElementById("markdown");
  var ln = document.getElementById("ln");
  var preview = document.getElementById("preview");
  function gutter() {
    var n = text.value.split("\n").length, out = [];
    for (var i = 1; i <= n; i++) out.push(i);
    ln.textContent = out.join("\n");
    ln.scrollTop = text.scrollTop;
  }
  text.addEventListener("scroll", function () { ln.scrollTop = text.scrollTop; });
  var timer = null, inflight = null;
  function refresh() {
    var body = new URLSearchParams(new FormData(form));
    body.set("action", "preview");
    body.set("fragment", "1");
    if (inflight) inflight.abort();
    inflight = new AbortController();
    // The form's path without the prefix (its "action" buttons shadow form.action).
    fetch(BASE + form.dataset.path, { method: "POST", body: body, signal: inflight.signal,
      headers: { "content-type": "application/x-www-form-urlencoded" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) preview.innerHTML = html; })
      .catch(function () {});
  }
  text.addEventListener("input", function () {
    gutter();
    clearTimeout(timer);
    timer = setTimeout(refresh, 800);
  });
  // A problem's "line L, column C" puts the cursor there.
  preview.addEventListener("click", function (e) {
    var a = e.target.closest("a[data-line]");
    if (!a) return;
    e.preventDefault();
    var lines = text.value.split("\n"), line = +a.dataset.line, col = +a.dataset.col || 1, at = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
    at += Math.min(col - 1, (lines[line - 1] || "").length);
    text.focus();
    text.setSelectionRange(at, at);
    // Bring the line into view: the text's line height times the lines above it.
    var lh = parseFloat(getComputedStyle(text).lineHeight) || 20;
    text.scrollTop = Math.max(0, (line - 3) * lh);
    ln.scrollTop = text.scrollTop;
  });
  var file = document.getElementById("import-file");
  if (file) file.addEventListener("change", function () {
    var f = file.files && file.files[0];
    if (!f) return;
    f.text().then(function (t) { text.value = t; gutter(); });
  });
  gutter();
})();
