// Pan and zoom of a roadmap's SVG inside its view: the wheel, a drag (mouse or one finger), a
// pinch (two fingers), the Fit / + / - buttons and the view's keys (+ - 0 and the arrows).
// Shared by the offline page (page.js) and the web app (app.js), which put it before their own
// script. `onMove` runs after every change of the view.
function leadmapPanZoom(view, svg, onMove) {
  "use strict";
  var W = svg.viewBox.baseVal.width, H = svg.viewBox.baseVal.height;
  // k: scale; x, y: offset in pixels; touched: the reader has moved the view;
  // moved: how far the current pointer has dragged (a click after a drag opens nothing).
  var pz = { k: 1, x: 0, y: 0, touched: false, moved: 0 };

  function apply() {
    svg.style.transform = "translate(" + pz.x + "px," + pz.y + "px) scale(" + pz.k + ")";
    if (onMove) onMove();
  }
  // Fit shows the whole map; a page opens fitted to the width, readable from the top.
  function fit() {
    var r = view.getBoundingClientRect();
    pz.k = Math.min(r.width / W, r.height / H, 1);
    pz.x = (r.width - W * pz.k) / 2; pz.y = 8; apply();
  }
  // Opening never goes below a readable scale (labels of 12 px and more, boxes a finger
  // can tap): a narrow view opens at full size, at the top, with the first topic in view.
  function fitWidth() {
    var r = view.getBoundingClientRect();
    if (!r.width) return;
    pz.k = Math.min(r.width / W, 1);
    pz.x = (r.width - W * pz.k) / 2; pz.y = 0;
    if (pz.k < 0.86) {
      pz.k = 1; pz.x = (r.width - W) / 2;
      var g = svg.querySelector('[data-kind="topic"]');
      if (g) {
        var m = g.transform.baseVal.consolidate().matrix, b = g.getBBox();
        pz.x = Math.min(0, Math.max(r.width - W, r.width / 2 - m.e - b.width / 2));
      }
    }
    apply();
  }
  function zoomAt(f, px, py) {
    pz.touched = true;
    var nk = Math.max(0.05, Math.min(8, pz.k * f));
    pz.x = px - (px - pz.x) * nk / pz.k; pz.y = py - (py - pz.y) * nk / pz.k; pz.k = nk; apply();
  }
  function zoomMid(f) { var r = view.getBoundingClientRect(); zoomAt(f, r.width / 2, r.height / 2); }
  function panBy(dx, dy) { pz.touched = true; pz.x += dx; pz.y += dy; apply(); }
  // Brings a node into view without zooming out of a readable scale; `wide` is the width not
  // covered by a side panel (the whole view when left out).
  // With `ifHidden`, a node already wholly inside that width stays where it is.
  function show(g, wide, ifHidden) {
    var b = g.getBBox(), m = g.transform.baseVal.consolidate().matrix, r = view.getBoundingClientRect();
    wide = wide || r.width;
    if (ifHidden) {
      var left = pz.x + m.e * pz.k, top = pz.y + m.f * pz.k;
      if (left >= 0 && left + b.width * pz.k <= wide && top >= 0 && top + b.height * pz.k <= r.height) return;
    }
    pz.touched = true;
    if (pz.k < 0.6) pz.k = 0.8;
    pz.x = wide / 2 - (m.e + b.width / 2) * pz.k;
    pz.y = r.height / 3 - (m.f + b.height / 2) * pz.k; apply();
  }
  // The view as it is, and back to it (the panel keeps the view from before it opened).
  function save() { return { k: pz.k, x: pz.x, y: pz.y, touched: pz.touched }; }
  function restore(v) { pz.k = v.k; pz.x = v.x; pz.y = v.y; pz.touched = v.touched; apply(); }
  // The view's own keys. Returns whether the key was one of them (and then takes it).
  function key(e) {
    var step = 60, pan = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[e.key];
    if (e.key === "+" || e.key === "=") zoomMid(1.25);
    else if (e.key === "-") zoomMid(0.8);
    else if (e.key === "0") fit();
    else if (pan) panBy(pan[0], pan[1]);
    else return false;
    e.preventDefault();
    return true;
  }

  fitWidth();
  // A resize refits only a view the reader has not moved yet.
  window.addEventListener("resize", function () { pz.refit(); });
  view.addEventListener("wheel", function (e) {
    e.preventDefault();
    var r = view.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });

  var pts = new Map(), last = null, pinch = 0;
  view.addEventListener("pointerdown", function (e) {
    pts.set(e.pointerId, { x: e.clientX, y: e.clientY });
    last = { x: e.clientX, y: e.clientY }; pz.moved = 0;
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
    pz.moved += Math.abs(dx) + Math.abs(dy);
    if (pz.moved > 4) { view.classList.add("drag"); if (!view.hasPointerCapture(e.pointerId)) view.setPointerCapture(e.pointerId); }
    last = { x: e.clientX, y: e.clientY }; panBy(dx, dy);
  });
  function up(e) { pts.delete(e.pointerId); pinch = 0; view.classList.remove("drag"); }
  view.addEventListener("pointerup", up); view.addEventListener("pointercancel", up);

  document.getElementById("fit").onclick = fit;
  document.getElementById("zin").onclick = function () { zoomMid(1.25); };
  document.getElementById("zout").onclick = function () { zoomMid(0.8); };

  pz.fit = fit; pz.zoomMid = zoomMid; pz.show = show; pz.key = key; pz.save = save; pz.restore = restore;
  pz.refit = function () { if (!pz.touched) fitWidth(); };
  return pz;
}
