// Filters for the situation report: type toggles and a text search act on every view at once.
// The search text lives on the table rows only; the timeline, map and brief follow their row.
(function () {
  "use strict";
  var off = {};
  var q = "";
  var text = {};
  document.querySelectorAll("tr.incident-row").forEach(function (row) {
    text[row.getAttribute("data-incident")] = (row.getAttribute("data-search") || "").toLowerCase();
  });
  function apply() {
    var shown = 0;
    document.querySelectorAll("[data-type]").forEach(function (el) {
      if (el.classList.contains("legend-item")) return;
      var id = el.getAttribute("data-incident");
      var hide = off[el.getAttribute("data-type")] || (q && id in text && text[id].indexOf(q) < 0);
      el.classList.toggle("hidden", !!hide);
      if (!hide && el.classList.contains("incident-row")) shown++;
    });
    var c = document.getElementById("shown-count");
    if (c) c.textContent = String(shown);
  }
  document.querySelectorAll(".legend-item").forEach(function (el) {
    el.addEventListener("click", function () {
      var t = el.getAttribute("data-type");
      off[t] = !off[t];
      el.style.opacity = off[t] ? 0.35 : 1;
      apply();
    });
  });
  var box = document.getElementById("search");
  if (box) box.addEventListener("input", function () { q = box.value.trim().toLowerCase(); apply(); });
  document.querySelectorAll("[data-incident]").forEach(function (el) {
    if (el.classList.contains("incident-row")) return;
    el.addEventListener("click", function () {
      var row = document.getElementById("row-" + el.getAttribute("data-incident"));
      if (!row) return;
      var det = row.querySelector("details");
      if (det) det.open = true;
      row.scrollIntoView({behavior: "smooth", block: "center"});
      row.classList.add("flash");
      setTimeout(function () { row.classList.remove("flash"); }, 1600);
    });
  });
  apply();
})();
