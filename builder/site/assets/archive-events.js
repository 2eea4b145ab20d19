/*
 * Events index filter (events/index.html): choose a type, an actor, a governorate and a place; only the matching timeline
 * entries stay shown, months left without entries are hidden, and the map shows only the matching incidents.
 * Each option says how many entries it would show with the other filters as they are ("Aleppo (12)").
 *
 * Contract with events_index.html.j2: an empty `div.archive-event-filter` (filled here, so a page without
 * scripts shows the plain list and every marker); entries `.archive-event-timeline li` with data-id (the
 * incident's id, the same as its feature's id in data/events.geojson), data-type, data-admin1, data-place and
 * data-actors ("A|B"), grouped in months (`.archive-event-month`); the map, `.archive-map[data-geojson]`.
 * The map is filtered through archive-map.js's hook: `element.archiveMapKeep` + an "archive-map:filter" event.
 *
 * The filter is kept in the URL's fragment, e.g. `#type=Armed+clash&place=Aleppo`, so a filtered view can
 * be cited and shared; it is read again on load and when the fragment changes (a fragment without "=" is an
 * ordinary anchor and left alone). A value the page does not have is ignored.
 *
 * Entry text is only read and compared; options and the count are set with textContent: nothing is parsed as HTML.
 */
(function () {
  "use strict";
  // [key, label, "all" option, the entry's attribute]
  var FILTERS = [["type", "Type", "All types", "data-type"], ["actor", "Actor", "All actors", "data-actors"],
    ["governorate", "Governorate", "All governorates", "data-admin1"], ["place", "Place", "All places", "data-place"]];

  function valuesOf(li, filter) {
    var raw = li.getAttribute(filter[3]) || "";
    return (filter[0] === "actor" ? raw.split("|") : [raw]).filter(function (v) { return v; });
  }

  // value → number of entries that have it, for one filter.
  function tally(items, filter) {
    var counts = {};
    items.forEach(function (li) {
      valuesOf(li, filter).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
    });
    return counts;
  }

  // Whether an entry has every chosen value (`except`: one filter left out of the test).
  function passes(li, chosen, except) {
    return FILTERS.every(function (f) {
      return f === except || !chosen[f[0]] || valuesOf(li, f).indexOf(chosen[f[0]]) !== -1;
    });
  }

  function plural(n, word) {
    return n === 1 ? word : word + "s";
  }

  function readHash() {
    var hash = window.location.hash.replace(/^#/, "");
    if (hash.indexOf("=") === -1) return null; // an ordinary anchor (#month-2017-11), not a filter
    var state = {};
    try {
      var params = new URLSearchParams(hash);
      FILTERS.forEach(function (f) { state[f[0]] = params.get(f[0]) || ""; });
    } catch (ignored) {
      return null;
    }
    return state;
  }

  function init() {
    var box = document.querySelector(".archive-event-filter");
    if (!box || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", box.getAttribute("data-label") || "Filter the events");
    var items = Array.prototype.slice.call(document.querySelectorAll(".archive-event-timeline li"));
    var months = Array.prototype.slice.call(document.querySelectorAll(".archive-event-timeline .archive-event-month"));
    var map = document.querySelector(".archive-map[data-geojson]");
    var mapShown = null; // markers the map shows, once it says so
    var selects = {};

    var row = document.createElement("div");
    row.className = "archive-event-filter__row";
    box.appendChild(row);
    FILTERS.forEach(function (f) {
      var field = document.createElement("div");
      field.className = "archive-event-filter__field";
      var label = document.createElement("label");
      label.htmlFor = "archive-event-filter-" + f[0];
      label.textContent = f[1];
      var select = document.createElement("select");
      select.id = "archive-event-filter-" + f[0];
      select.name = f[0];
      var counts = tally(items, f);
      var all = document.createElement("option");
      all.value = "";
      all.textContent = f[2];
      select.appendChild(all);
      Object.keys(counts).sort(function (a, b) {
        var x = a.toLowerCase(), y = b.toLowerCase();
        return x < y ? -1 : x > y ? 1 : 0;
      }).forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v + " (" + counts[v] + ")"; // apply() keeps the count in step with the other filters
        select.appendChild(option);
      });
      select.addEventListener("change", function () { apply(true); });
      field.appendChild(label);
      field.appendChild(select);
      row.appendChild(field);
      selects[f[0]] = select;
    });
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "archive-event-filter__reset";
    reset.textContent = "Reset filters";
    reset.addEventListener("click", function () {
      FILTERS.forEach(function (f) { selects[f[0]].value = ""; });
      apply(true);
      selects.type.focus();
    });
    var footer = document.createElement("div");
    footer.className = "archive-event-filter__footer";
    var shown = document.createElement("output");
    shown.className = "archive-event-filter__count";
    shown.setAttribute("aria-live", "polite");
    footer.appendChild(shown);
    footer.appendChild(reset);
    box.appendChild(footer);

    var count = 0;
    function say() {
      var text = "Showing " + count + " of " + items.length + " " + plural(items.length, "incident");
      if (mapShown !== null) text += " (" + mapShown + " on the map)";
      if (!count && items.length) text += ": none has all the chosen values; change or reset a filter";
      shown.textContent = text;
    }

    if (map) {
      map.addEventListener("archive-map:shown", function (event) {
        mapShown = event.detail ? event.detail.shown : null;
        say();
      });
    }

    // Show the entries, months and markers that pass; `remember`: write the filter into the URL's fragment.
    function apply(remember) {
      var chosen = {};
      FILTERS.forEach(function (f) { chosen[f[0]] = selects[f[0]].value; });
      var active = FILTERS.some(function (f) { return Boolean(chosen[f[0]]); });
      var passing = {};
      count = 0;
      items.forEach(function (li) {
        var ok = passes(li, chosen, null);
        li.hidden = !ok;
        if (ok) {
          count += 1;
          passing[li.getAttribute("data-id")] = true;
        }
      });
      months.forEach(function (month) { month.hidden = !month.querySelector("li:not([hidden])"); });
      // Each option counts the entries it would show with the other two filters as they are (0: a dead end).
      FILTERS.forEach(function (f) {
        var counts = tally(items.filter(function (li) { return passes(li, chosen, f); }), f);
        Array.prototype.forEach.call(selects[f[0]].options, function (option) {
          if (option.value) option.textContent = option.value + " (" + (counts[option.value] || 0) + ")";
        });
      });
      reset.disabled = !active;
      if (remember) writeHash(chosen, active);
      if (map) {
        map.archiveMapKeep = active ? function (feature) { return passing[String(feature.id)] === true; } : null;
        if (typeof window.CustomEvent === "function") map.dispatchEvent(new window.CustomEvent("archive-map:filter"));
      }
      say();
    }

    function writeHash(chosen, active) {
      var params = new URLSearchParams();
      FILTERS.forEach(function (f) { if (chosen[f[0]]) params.set(f[0], chosen[f[0]]); });
      var url = window.location.pathname + window.location.search + (active ? "#" + params.toString() : "");
      try { window.history.replaceState(window.history.state, "", url); } catch (ignored) { /* file:// etc. */ }
    }

    // Select the fragment's values (those the page has); true if it held a filter.
    function restore() {
      var state = readHash();
      if (!state) return false;
      FILTERS.forEach(function (f) {
        var select = selects[f[0]], value = state[f[0]];
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
        select.value = known ? value : "";
      });
      return true;
    }

    window.addEventListener("hashchange", function () { if (restore()) apply(false); });
    restore();
    apply(false);
  }

  // The site does not use Material's instant navigation (mkdocs.yml), so each page load runs this once; it does
  // not subscribe to Material's document$ (archive-map.js does, for its maps).
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
