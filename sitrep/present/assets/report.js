// The one-file report: type toggles, a text search and the timeline's date brush filter the incident table,
// the map and the counts together; tables and long lists are paged and the incident table sorts by column.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var off = {}, q = "", since = null, until = null;
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.incident-row"));
  var text = {}, visible = {};
  // the search folds case and accents on both sides ("erdogan" finds "Erdoğan")
  function fold(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/ı/g, "i").replace(/['’`]/g, "").toLowerCase();
  }
  rows.forEach(function (r) {
    var id = r.getAttribute("data-incident");
    text[id] = fold(id + " " + r.getAttribute("data-type") + " " + (r.getAttribute("data-search") || ""));
  });

  // ---------------------------------------------------------------- paging
  var pagers = [];
  function pager(nav) {
    var size = Number(nav.getAttribute("data-size")) || 50, page = 0;
    var items = function () {
      var sel = nav.getAttribute("data-table") ? "#" + nav.getAttribute("data-table") + " > tbody > tr"
                                                : "#" + nav.getAttribute("data-list") + " > .pageable";
      return Array.prototype.slice.call(document.querySelectorAll(sel));
    };
    function draw() {
      var all = items(), on = all.filter(function (el) { return !el.classList.contains("filtered"); });
      var pages = Math.max(1, Math.ceil(on.length / size));
      if (page >= pages) page = pages - 1;
      all.forEach(function (el) { el.classList.add("paged-out"); });
      on.slice(page * size, (page + 1) * size).forEach(function (el) { el.classList.remove("paged-out"); });
      nav.textContent = "";
      if (pages < 2) return;
      var prev = document.createElement("button"), next = document.createElement("button"), info = document.createElement("span");
      prev.textContent = "← previous"; next.textContent = "next →";
      prev.disabled = page === 0; next.disabled = page === pages - 1;
      info.textContent = "page " + (page + 1) + " of " + pages + " (" + on.length + ")";
      prev.addEventListener("click", function () { page--; draw(); });
      next.addEventListener("click", function () { page++; draw(); });
      nav.appendChild(prev); nav.appendChild(info); nav.appendChild(next);
    }
    var p = {draw: draw, reset: function () { page = 0; draw(); }, show: function (el) {
      var on = items().filter(function (x) { return !x.classList.contains("filtered"); });
      var k = on.indexOf(el);
      if (k >= 0) { page = Math.floor(k / size); draw(); }
    }};
    pagers.push(p);
    return p;
  }
  document.querySelectorAll("nav.pager").forEach(function (nav) { pager(nav).draw(); });
  var incidentPager = pagers.filter(function (p, i) {
    return document.querySelectorAll("nav.pager")[i].getAttribute("data-table") === "incident-table"; })[0];

  // ---------------------------------------------------------------- sorting
  document.querySelectorAll("#incident-table th[data-sort]").forEach(function (th) {
    th.classList.add("sortable");
    th.addEventListener("click", function () {
      var by = th.getAttribute("data-sort"), desc = th.getAttribute("aria-sort") === "ascending";
      var key = {id: "data-incident", type: "data-type", date: "data-start", place: "data-place", sources: "data-sources"}[by];
      var val = function (r) {       // undated and unplaced rows last; sources as numbers
        var v = r.getAttribute(key) || "";
        if (by === "sources") return ("00000" + v).slice(-5);
        return v || "\uffff";
      };
      document.querySelectorAll("#incident-table th[data-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", desc ? "descending" : "ascending");
      var body = document.querySelector("#incident-table tbody");
      rows.slice().sort(function (a, b) {
        var x = val(a), y = val(b);
        return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
      }).forEach(function (r) { body.appendChild(r); });
      if (incidentPager) incidentPager.reset();
    });
  });

  // ---------------------------------------------------------------- views
  var mapView = null, chart = document.getElementById("timeline-chart");
  if (window.L && document.getElementById("map-canvas")) {
    mapView = window.SitrepViews.map(document.getElementById("map-canvas"), data.map, data.base, {
      admin: data.admin, zones: data.zones, tiles: data.tiles,
      link: function (id) { return "#row-" + id; }
    });
    var notes = [], s = function (n, w) { return n + " " + w + (n === 1 ? "" : "s"); };
    var inAreas = data.map.areas.reduce(function (a, b) { return a + b.n; }, 0);
    if (inAreas) notes.push(s(inAreas, "incident") + " located only to a province or country, drawn as dashed areas");
    if (data.map.apart.length) notes.push("located only to a region with no outline: " + data.map.apart.map(function (a) {
      return a.name + " (" + a.n + ")"; }).join(", "));
    if (data.map.unlocated) notes.push(s(data.map.unlocated, "incident") + " with no place");
    document.getElementById("map-notes").textContent = notes.join(" · ");
  }
  if (chart) {
    document.getElementById("timeline-unit").textContent = data.timeline.unit;
    window.SitrepViews.timeline(chart, data.timeline, function (a, b) {
      since = a; until = b;
      document.getElementById("timeline-clear").classList.remove("hidden");
      apply();
    });
  }
  var clear = document.getElementById("timeline-clear");
  if (clear) clear.addEventListener("click", function (ev) {
    ev.preventDefault(); since = until = null; clear.classList.add("hidden"); apply();
  });

  // ---------------------------------------------------------------- filters
  function keep(id, type, row) {
    if (off[type]) return false;
    if (q && id in text && text[id].indexOf(q) < 0) return false;
    if (since && row) {
      var st = row.getAttribute("data-start"), en = row.getAttribute("data-end");
      if (!st || en < since || st > until) return false;
    }
    return true;
  }
  function apply() {
    var shown = 0;
    visible = {};
    rows.forEach(function (r) {
      var id = r.getAttribute("data-incident"), ok = keep(id, r.getAttribute("data-type"), r);
      r.classList.toggle("filtered", !ok);
      if (ok) { shown++; visible[id] = true; }
    });
    document.querySelectorAll(".brief-item").forEach(function (el) {
      el.classList.toggle("hidden", !visible[el.getAttribute("data-incident")]);
    });
    var c = document.getElementById("shown-count");
    if (c) c.textContent = String(shown);
    if (incidentPager) incidentPager.reset();
    if (mapView) mapView.filter(shown === rows.length ? null : function (id) { return !!visible[id]; });
  }
  document.querySelectorAll(".legend-item").forEach(function (el) {
    el.addEventListener("click", function () {
      var t = el.getAttribute("data-type");
      off[t] = !off[t];
      el.classList.toggle("off", !!off[t]);
      apply();
    });
  });
  var box = document.getElementById("search");
  if (box) box.addEventListener("input", function () { q = fold(box.value.trim()); apply(); });
  // a link to an incident (brief, coverage, map popup) opens its row on the right page
  function reveal(id) {
    var row = document.getElementById("row-" + id);
    if (!row) return;
    if (row.classList.contains("filtered")) { off = {}; q = ""; since = until = null; if (box) box.value = "";
      document.querySelectorAll(".legend-item").forEach(function (el) { el.classList.remove("off"); }); apply(); }
    if (incidentPager) incidentPager.show(row);
    var det = row.querySelector("details");
    if (det) det.open = true;
    row.scrollIntoView({behavior: "smooth", block: "center"});
    row.classList.add("flash");
    setTimeout(function () { row.classList.remove("flash"); }, 1600);
  }
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-incident], a[href^='#row-']") : null;
    if (!el || el.classList.contains("incident-row") || el.closest("tr.incident-row")) return;
    var id = el.getAttribute("data-incident") || el.getAttribute("href").slice(5);
    ev.preventDefault();
    reveal(id);
  });
  apply();
})();
