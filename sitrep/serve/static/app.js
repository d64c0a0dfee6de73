// The workbench page: fetch the view's data from this server and draw the timeline and the map.
// Brushing the timeline reloads the page with since/until set, so the table, the map and the URL follow.
(function () {
  "use strict";
  function getJSON(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }
  var tl = document.getElementById("timeline");
  if (tl) {
    getJSON("/api/timeline?" + tl.getAttribute("data-query")).then(function (data) {
      window.SitrepViews.timeline(tl, data, function (since, until) {
        var base = tl.getAttribute("data-base");
        window.location.href = "/incidents?" + (base ? base + "&" : "") + "since=" + since + "&until=" + until;
      });
      tl.setAttribute("data-ready", "1");
    });
  }
  var mapEl = document.getElementById("map");
  if (mapEl) {
    var q = mapEl.getAttribute("data-query");
    Promise.all([getJSON("/api/map?" + q), getJSON("/api/basemap"), getJSON("/api/admin?level=1")]).then(function (r) {
      var data = r[0], pk = data.packed;
      data.points = pk.points.map(function (p) { return [p[0], p[1], p[2], pk.types[p[3]], p[4], pk.places[p[5]], p[6]]; });
      window.SitrepViews.map(mapEl, data, r[1], {
        admin: r[2],
        link: function (id) { return "/incidents/" + encodeURIComponent(id); },
        areaLink: function (name) { return "/incidents?" + (q ? q + "&" : "") + "place=" + encodeURIComponent(name); }
      });
      var notes = document.getElementById("map-notes"), parts = [];
      var s = function (n, w) { return n + " " + w + (n === 1 ? "" : "s"); };
      if (data.areas.length) parts.push(s(data.areas.reduce(function (a, b) { return a + b.n; }, 0), "incident") +
                                        " located only to a province or country, drawn as dashed areas");
      if (data.apart.length) parts.push("located only to a region with no outline: " + data.apart.map(function (a) {
        return a.name + " (" + a.n + ")"; }).join(", "));
      if (data.unlocated) parts.push(s(data.unlocated, "incident") + " with no place");
      notes.textContent = parts.join(" · ");
      mapEl.setAttribute("data-ready", "1");
    });
  }
})();
