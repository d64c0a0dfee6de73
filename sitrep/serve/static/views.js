// Views shared by the workbench and the one-file report: a stacked histogram timeline with brushing and
// a Leaflet map with clustering, areas and labels. No network access here: the caller hands in the data.
// Text from articles is only ever set with textContent, never parsed as HTML.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";

  function svg(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function day(iso) { return new Date(iso + "T00:00:00Z"); }
  function iso(d) { return d.toISOString().slice(0, 10); }
  function step(start, unit, n) {
    var d = day(start);
    if (unit === "day") d.setUTCDate(d.getUTCDate() + n);
    else if (unit === "week") d.setUTCDate(d.getUTCDate() + 7 * n);
    else d.setUTCMonth(d.getUTCMonth() + n);
    return iso(d);
  }
  function binEnd(start, unit) { return unit === "day" ? start : iso(new Date(day(step(start, unit, 1)) - 864e5)); }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function label(start, unit) {
    var d = day(start);
    if (unit === "day") return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()];
    return MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }

  // data: {unit, bins: [[start, {TYPE: n}]], types: [...], colours: {TYPE: "#hex"}}
  // onBrush(since, until) is called when the user drags across (or clicks) the bars.
  function timeline(el, data, onBrush) {
    el.textContent = "";
    if (!data.bins.length) {
      var p = document.createElement("p");
      p.className = "muted";
      p.textContent = "No dated incident in this view.";
      el.appendChild(p);
      return null;
    }
    // a continuous run of bins, empty ones included, so time reads evenly
    var counts = {}, bins = [];
    data.bins.forEach(function (b) { counts[b[0]] = b[1]; });
    var last = data.bins[data.bins.length - 1][0];
    for (var s = data.bins[0][0], guard = 0; s <= last && guard < 5000; s = step(s, data.unit, 1), guard++) {
      bins.push([s, counts[s] || {}]);
    }
    var W = el.clientWidth || 600, H = el.clientHeight || 300;
    var left = 36, right = 8, top = 8, bottom = 22 + 16 * Math.ceil(data.types.length / 6);
    var root = svg("svg", {viewBox: "0 0 " + W + " " + H, role: "img",
                           "aria-label": "Incidents per " + data.unit + " by type"}, el);
    var max = 1;
    bins.forEach(function (b) {
      var t = 0;
      for (var k in b[1]) t += b[1][k];
      b.total = t;
      if (t > max) max = t;
    });
    var bw = (W - left - right) / bins.length, ph = H - top - bottom;
    var y = function (n) { return top + ph - n / max * ph; };
    var axis = svg("g", {"class": "axis"}, root);
    [0, Math.round(max / 2), max].forEach(function (n, i) {
      if (i === 1 && (n === 0 || n === max)) return;
      svg("line", {x1: left - 3, x2: W - right, y1: y(n), y2: y(n), "stroke-opacity": n ? 0.35 : 1}, axis);
      svg("text", {x: left - 5, y: y(n) + 3.5, "text-anchor": "end"}, axis).textContent = String(n);
    });
    var every = Math.max(1, Math.ceil(64 / bw));
    var bars = svg("g", {}, root);
    bins.forEach(function (b, i) {
      var x = left + i * bw, acc = 0;
      data.types.forEach(function (t) {
        var n = b[1][t];
        if (!n) return;
        var r = svg("rect", {"class": "bar", x: x + (bw > 3 ? 0.5 : 0), width: Math.max(0.6, bw - (bw > 3 ? 1 : 0)),
                             y: y(acc + n), height: Math.max(0.5, y(acc) - y(acc + n)), fill: data.colours[t] || "#7f7f7f",
                             "data-type": t, "data-bin": b[0]}, bars);
        svg("title", {}, r).textContent = label(b[0], data.unit) + (data.unit === "week" ? " (week)" : "") + ": " + n + " " + t;
        acc += n;
      });
      if (i % every === 0) {
        svg("line", {x1: x, x2: x, y1: top + ph, y2: top + ph + 4}, axis);
        svg("text", {x: x + 2, y: top + ph + 15}, axis).textContent = label(b[0], data.unit);
      }
    });
    var legend = svg("g", {"class": "legend"}, root);
    var lw = (W - left) / 6;
    data.types.forEach(function (t, i) {
      var lx = left + (i % 6) * lw, ly = top + ph + 24 + 16 * Math.floor(i / 6);
      svg("rect", {x: lx, y: ly, width: 9, height: 9, fill: data.colours[t] || "#7f7f7f"}, legend);
      svg("text", {x: lx + 13, y: ly + 8.5}, legend).textContent = t;
    });
    // brushing: drag across the bars to choose a date range (a click chooses one bin)
    var brush = svg("rect", {"class": "brush", x: 0, y: top, width: 0, height: ph, visibility: "hidden"}, root);
    var x0 = null;
    function binAt(clientX) {
      var box = root.getBoundingClientRect();
      var x = (clientX - box.left) * (W / box.width);
      return Math.max(0, Math.min(bins.length - 1, Math.floor((x - left) / bw)));
    }
    root.addEventListener("mousedown", function (ev) { x0 = binAt(ev.clientX); ev.preventDefault(); });
    window.addEventListener("mousemove", function (ev) {
      if (x0 === null) return;
      var a = Math.min(x0, binAt(ev.clientX)), b = Math.max(x0, binAt(ev.clientX));
      brush.setAttribute("x", left + a * bw);
      brush.setAttribute("width", (b - a + 1) * bw);
      brush.setAttribute("visibility", "visible");
    });
    window.addEventListener("mouseup", function (ev) {
      if (x0 === null) return;
      var a = Math.min(x0, binAt(ev.clientX)), b = Math.max(x0, binAt(ev.clientX));
      x0 = null;
      if (onBrush) onBrush(bins[a][0], binEnd(bins[b][0], data.unit));
    });
    el.setAttribute("data-bins", String(bins.length));
    el.setAttribute("data-unit", data.unit);
    return root;
  }

  // ------------------------------------------------------------------ map
  // data: {points: [[id, lat, lon, type, compliance(0|1|2), place, date]], areas: [{key, name, n, v, types,
  // geometry}], apart: [{name, n}], unlocated, colours}; base: {countries, labels}; admin: GeoJSON or null.
  // opts.link(id) gives an incident's address; opts.areaLink(name) a list's.
  function map(el, data, base, opts) {
    opts = opts || {};
    var m = L.map(el, {zoomSnap: 0.5, worldCopyJump: true, minZoom: 1, maxZoom: 14});
    var mark = function (name) { if (window.performance && performance.mark) performance.mark("sitrep-map-" + name); };
    mark("start");
    var canvas = L.canvas({padding: 0.3});       // outlines and areas on one canvas: fast with 1:50m shapes
    // a point among shapes (a zone given as a place) is a small circle, never Leaflet's image marker
    var dot = function (f, ll) { return L.circleMarker(ll, {radius: 5, renderer: canvas}); };
    m.attributionControl.setPrefix(false);
    m.attributionControl.addAttribution("Boundaries: Natural Earth; UN OCHA (Syria)");
    L.control.scale({imperial: false}).addTo(m);
    if (base && base.countries) {
      L.geoJSON(base.countries, {interactive: false, renderer: canvas, pointToLayer: dot, style: function () {
        return {color: "#a3a9b3", weight: 0.8, fillColor: "#f5f3ee", fillOpacity: 1};
      }}).addTo(m);
    }
    if (opts.tiles) L.tileLayer(opts.tiles, {attribution: "© OpenStreetMap contributors", opacity: 0.85}).addTo(m);
    if (opts.zones && opts.zones.features && opts.zones.features.length) {
      L.geoJSON(opts.zones, {renderer: canvas, pointToLayer: dot, style: function () {
        return {color: "#1f78b4", weight: 1.2, fillColor: "#1f78b4", fillOpacity: 0.12};
      }, onEachFeature: function (f, layer) {
        if (f.properties && f.properties.name) layer.bindTooltip(document.createTextNode(f.properties.name), {sticky: true});
      }}).addTo(m);
    }
    mark("basemap");
    var adminLayer = null;
    if (opts.admin) {
      adminLayer = L.geoJSON(opts.admin, {interactive: false, renderer: canvas, pointToLayer: dot, style: function () {
        return {color: "#b08850", weight: 0.9, dashArray: "3 3", fill: false};
      }}).addTo(m);
    }
    // labels: countries by size as you zoom in, admin areas when close
    var countryLabels = L.layerGroup(), adminLabels = L.layerGroup();
    (base && base.labels || []).forEach(function (c) {
      var t = L.tooltip({permanent: true, direction: "center", className: "label", interactive: false})
        .setLatLng([c.lat, c.lon]).setContent(document.createTextNode(c.name));
      t.pop = c.pop;
      countryLabels.addLayer(t);
    });
    if (opts.admin) {
      opts.admin.features.forEach(function (f) {
        var b = L.geoJSON(f).getBounds();
        if (!b.isValid()) return;
        adminLabels.addLayer(L.tooltip({permanent: true, direction: "center", className: "label admin", interactive: false})
          .setLatLng(b.getCenter()).setContent(document.createTextNode(f.properties.name)));
      });
    }
    function updateLabels() {
      var z = m.getZoom(), minPop = z < 3 ? 6e7 : z < 4 ? 2e7 : z < 5 ? 3e6 : 0, view = m.getBounds().pad(0.1);
      countryLabels.eachLayer(function (t) {
        // only labels that can be seen: each one is an element on the page
        var show = z >= 2 && z < 9 && t.pop >= minPop && view.contains(t.getLatLng());
        if (show && !m.hasLayer(t)) t.addTo(m);
        if (!show && m.hasLayer(t)) m.removeLayer(t);
      });
      if (z >= 7 && !m.hasLayer(adminLabels)) adminLabels.addTo(m);
      if (z < 7 && m.hasLayer(adminLabels)) m.removeLayer(adminLabels);
    }
    mark("labels");
    // areas: incidents located only to a province or country, drawn as that area
    var bounds = L.latLngBounds([]);
    var areaLayers = L.layerGroup().addTo(m);
    data.areas.forEach(function (a) {
      if (!a.geometry) return;
      var main = Object.keys(a.types).sort(function (x, y) { return a.types[y] - a.types[x]; })[0];
      var layer = L.geoJSON(a.geometry, {renderer: canvas, pointToLayer: dot, style: function () {
        return {color: a.v ? "#111" : (data.colours[main] || "#7f7f7f"), weight: a.v ? 2.5 : 1.5,
                dashArray: "5 4", fillColor: data.colours[main] || "#7f7f7f", fillOpacity: 0.12};
      }});
      a.layer = layer;
      areaLayers.addLayer(layer);
      layer.bindTooltip(document.createTextNode(a.name + ": " + a.n + " incident" + (a.n === 1 ? "" : "s") +
                        " located only to this " + (a.key.indexOf("country:") === 0 ? "country" : "area")), {sticky: true});
      if (opts.areaLink) layer.on("click", function () { window.location.href = opts.areaLink(a.name); });
      if (!data.points.length) bounds.extend(layer.getBounds());
    });
    data.points.forEach(function (p) { bounds.extend([p[1], p[2]]); });
    // clusters: points that fall within CELL pixels at this zoom; a cluster sits on its member nearest the
    // members' mean (a real place, so it stays on land), coloured by its most frequent type
    var CELL = 46, clusters = L.layerGroup().addTo(m), shown = data.points;
    function radius(n) { return n === 1 ? 8 : Math.min(22, 10 + 3 * Math.log(n)); }
    function recluster() {
      clusters.clearLayers();
      var z = m.getZoom(), cells = {}, k0 = m.getZoomScale(z, 0);
      var vb = m.getPixelBounds(), padX = (vb.max.x - vb.min.x) * 0.25, padY = (vb.max.y - vb.min.y) * 0.25;
      shown.forEach(function (p) {
        // pixel positions: projected once at zoom 0, then scaled (projecting 10,000 points per zoom is slow)
        var o = p.q0 || (p.q0 = m.project([p[1], p[2]], 0)), q = L.point(o.x * k0, o.y * k0);
        if (q.x < vb.min.x - padX || q.x > vb.max.x + padX || q.y < vb.min.y - padY || q.y > vb.max.y + padY) return;
        var k = Math.floor(q.x / CELL) + ":" + Math.floor(q.y / CELL);
        var c = cells[k] || (cells[k] = {pts: [], xy: [], sx: 0, sy: 0});
        c.pts.push(p); c.xy.push(q); c.sx += q.x; c.sy += q.y;
      });
      // neighbouring cells whose clusters would overlap are merged (largest first), so markers never pile up
      var order = Object.keys(cells).sort(function (a, b) { return cells[b].pts.length - cells[a].pts.length || (a < b ? -1 : 1); });
      var kept = [];
      order.forEach(function (k) {
        var c = cells[k], n = c.pts.length, r = radius(n);
        var cx = c.sx / n, cy = c.sy / n;
        for (var j = 0; j < kept.length; j++) {
          var o = kept[j], on = o.pts.length;
          if (Math.pow(o.sx / on - cx, 2) + Math.pow(o.sy / on - cy, 2) < Math.pow(radius(on) + r + 2, 2)) {
            o.pts = o.pts.concat(c.pts); o.xy = o.xy.concat(c.xy); o.sx += c.sx; o.sy += c.sy;
            return;
          }
        }
        kept.push(c);
      });
      cells = {};
      kept.forEach(function (c, i) { cells[i] = c; });
      Object.keys(cells).forEach(function (k) {
        var c = cells[k], n = c.pts.length, mx = c.sx / n, my = c.sy / n, best = 0, bd = Infinity;
        var types = {}, v = 0, same = true;
        c.pts.forEach(function (p, i) {
          var d = Math.pow(c.xy[i].x - mx, 2) + Math.pow(c.xy[i].y - my, 2);
          if (d < bd) { bd = d; best = i; }
          types[p[3]] = (types[p[3]] || 0) + 1;
          v = Math.max(v, p[4]);
          if (p[1] !== c.pts[0][1] || p[2] !== c.pts[0][2]) same = false;
        });
        var main = Object.keys(types).sort(function (a, b) { return types[b] - types[a] || (a < b ? -1 : 1); })[0];
        var size = 2 * radius(n);
        var span = document.createElement("span");
        span.className = "bg-" + main.toLowerCase();
        span.textContent = n > 1 ? String(n) : "";
        var icon = L.divIcon({className: "cluster" + (v === 2 ? " violated" : v === 1 ? " possible" : ""),
                              html: span, iconSize: [size, size]});
        var at = c.pts[best];
        var mk = L.marker([at[1], at[2]], {icon: icon, keyboard: true,
                                           title: n === 1 ? at[3] + " · " + (at[5] || "") + " · " + (at[6] || "undated")
                                                          : n + " incidents"});
        mk.on("click", function () {
          if (n > 1 && !same && z < m.getMaxZoom()) {
            m.fitBounds(L.latLngBounds(c.pts.map(function (p) { return [p[1], p[2]]; })), {padding: [30, 30], maxZoom: m.getMaxZoom()});
            return;
          }
          var box = document.createElement("div"), list = document.createElement("ul");
          c.pts.slice(0, 15).forEach(function (p) {
            var li = document.createElement("li"), a = document.createElement("a");
            a.href = opts.link ? opts.link(p[0]) : "#" + p[0];
            a.textContent = (p[6] || "undated") + " " + p[3];
            li.appendChild(a);
            li.appendChild(document.createTextNode(" " + (p[5] || "") + (p[4] === 2 ? " (violation)" : p[4] === 1 ? " (possible violation)" : "")));
            list.appendChild(li);
          });
          box.appendChild(list);
          if (n > 15) box.appendChild(document.createTextNode("… and " + (n - 15) + " more"));
          L.popup().setLatLng([at[1], at[2]]).setContent(box).openOn(m);
        });
        clusters.addLayer(mk);
      });
      el.setAttribute("data-zoom", String(z));
      el.setAttribute("data-markers", String(Object.keys(cells).length));
      el.setAttribute("data-points", String(shown.length));
      updateLabels();
    }
    mark("areas");
    if (data.frame) m.fitBounds([[data.frame[1], data.frame[0]], [data.frame[3], data.frame[2]]], {maxZoom: 9});
    else if (bounds.isValid()) m.fitBounds(bounds.pad(0.15), {maxZoom: 9});
    else m.setView([30, 20], 2);
    m.on("zoomend moveend", recluster);
    mark("fit");
    recluster();
    mark("clusters");
    return {
      map: m,
      // show only the incidents a predicate keeps (the report's filters): points and areas alike
      filter: function (keep) {
        shown = keep ? data.points.filter(function (p) { return keep(p[0]); }) : data.points;
        data.areas.forEach(function (a) {
          if (!a.layer || !a.ids) return;
          var on = !keep || a.ids.some(keep);
          if (on && !areaLayers.hasLayer(a.layer)) areaLayers.addLayer(a.layer);
          if (!on && areaLayers.hasLayer(a.layer)) areaLayers.removeLayer(a.layer);
        });
        recluster();
        el.setAttribute("data-points", String(shown.length));
      }
    };
  }

  window.SitrepViews = {timeline: timeline, map: map};
})();
