/*
 * Events index filter (events/index.md): choose a type, an actor and a place; only the matching timeline
 * entries stay shown. Contract with events_index.md.j2: an empty `div.archive-event-filter` (filled here, so a
 * page without scripts shows the plain list) and entries `.archive-event-timeline li` with data-type,
 * data-place and data-actors ("A|B"); a month (`.archive-event-month`) left without entries is hidden.
 * Entry text is only read and compared, and options are set with textContent: nothing is parsed as HTML.
 */
(function () {
  "use strict";
  var FILTERS = [["type", "Type", "All types"], ["actor", "Actor", "All actors"], ["place", "Place", "All places"]];

  function valuesOf(items, key) {
    var seen = {};
    items.forEach(function (li) {
      var raw = li.getAttribute(key === "actor" ? "data-actors" : "data-" + key) || "";
      (key === "actor" ? raw.split("|") : [raw]).forEach(function (v) { if (v) seen[v] = true; });
    });
    return Object.keys(seen).sort(function (a, b) { return a.toLowerCase() < b.toLowerCase() ? -1 : 1; });
  }

  function init() {
    var box = document.querySelector(".archive-event-filter");
    if (!box || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Filter the events");
    var items = Array.prototype.slice.call(document.querySelectorAll(".archive-event-timeline li"));
    var months = Array.prototype.slice.call(document.querySelectorAll(".archive-event-timeline .archive-event-month"));
    var selects = {};
    FILTERS.forEach(function (f) {
      var label = document.createElement("label");
      label.appendChild(document.createTextNode(f[1] + " "));
      var select = document.createElement("select");
      select.name = f[0];
      [""].concat(valuesOf(items, f[0])).forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v || f[2];
        select.appendChild(option);
      });
      select.addEventListener("change", apply);
      label.appendChild(select);
      box.appendChild(label);
      selects[f[0]] = select;
    });
    var shown = document.createElement("output");
    shown.setAttribute("aria-live", "polite");
    box.appendChild(shown);

    function apply() {
      var type = selects.type.value, actor = selects.actor.value, place = selects.place.value, count = 0;
      items.forEach(function (li) {
        var actors = (li.getAttribute("data-actors") || "").split("|");
        var ok = (!type || li.getAttribute("data-type") === type) && (!place || li.getAttribute("data-place") === place)
          && (!actor || actors.indexOf(actor) !== -1);
        li.hidden = !ok;
        if (ok) count += 1;
      });
      months.forEach(function (month) { month.hidden = !month.querySelector("li:not([hidden])"); });
      shown.textContent = count + " of " + items.length + " events shown";
    }
    apply();
  }

  // The site does not use Material's instant navigation (mkdocs.yml), so each page load runs this once; it does
  // not subscribe to Material's document$ (archive-map.js does, for its maps).
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
