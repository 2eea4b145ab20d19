/*
 * Events index (events/index.html): a date range and multi-select filters (event type, sub-type, actor,
 * governorate, place), a map of the chosen incidents (coloured by type, sized by toll), a sortable table in pages
 * and a CSV of the current selection, all from one file the page fetches once: data/events-index.json
 * (builder/render/events.py, index_data; the row layout is described there).
 *
 * Contract with events_index.html.j2: `div.archive-event-filter[data-root]` (empty: filled here), the map
 * `.archive-map.archive-map--page-data` (archive-map.js draws it from the collection given here, see its header),
 * `.archive-event-legend` (shown once the map is drawn) and `.archive-event-table` holding a table whose first
 * page the build wrote (so the page lists incidents without scripts); its rows are drawn here from the data.
 *
 * Within one filter the chosen values are alternatives (Israel or Iran); different filters all apply (Israel, in
 * Aleppo). Each option counts the incidents it would show beside the other filters as they are ("Aleppo (12)").
 * The view (filters, dates, sort, page) is kept in the URL's fragment, e.g. `#actor=Israel&actor=Iran&from=2017-01-01`,
 * so it can be cited; it is read on load and when the fragment changes (a fragment without "=" is an ordinary
 * anchor). A value the data does not have is ignored.
 *
 * Nothing from the data is parsed as HTML: every text is set with textContent; links are built from ids.
 */
(function () {
  "use strict";
  var DATA = "data/events-index.json";
  var PAGE = 50;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"];
  // [key, label, the row's values (indices), the name of a value]
  var FACETS = [
    ["type", "Event type", function (r, d) { return [d.subs[r[3]][1]]; }, function (i, d) { return d.types[i]; }],
    ["sub", "Sub-type", function (r) { return [r[3]]; }, function (i, d) { return d.subs[i][0]; }],
    ["actor", "Actor", function (r, d) { return r[12].filter(function (a) { return a < d.clean_actors; }); },
      function (i, d) { return d.actors[i]; }],
    ["governorate", "Governorate", function (r) { return r[5] >= 0 ? [r[5]] : []; }, function (i, d) { return d.admin1[i]; }],
    ["place", "Place", function (r, d) { return r[4] >= 0 && r[4] < d.clean_places ? [r[4]] : []; },
      function (i, d) { return d.places[i]; }],
  ];
  // [key, header, sort key of a row] (the table's columns)
  var COLUMNS = [
    ["date", "Date", function (r) { return r[1]; }],
    ["incident", "Incident", function (r, d) { return label(r, d).toLowerCase(); }],
    ["governorate", "Governorate", function (r, d) { return r[5] >= 0 ? d.admin1[r[5]].toLowerCase() : ""; }],
    ["actors", "Actors", function (r, d) { return actorsOf(r, d).join(", ").toLowerCase(); }],
    ["killed", "Killed", function (r) { return r[8] === null ? -1 : r[8]; }],
    ["reports", "Reports", function (r) { return r[10]; }],
  ];

  function plural(n, word) { return n + " " + (n === 1 ? word : word + "s"); }

  function dateLabel(date, precision) {
    var y = date.slice(0, 4), m = MONTHS[Number(date.slice(5, 7)) - 1], day = String(Number(date.slice(8, 10)));
    if (precision === 3) return m + " " + y;
    return (precision === 2 ? "week of " : "") + day + " " + m + " " + y;
  }

  // As builder/render/events.py's label(): "Air/drone strike in Aleppo, 4 May 2020".
  function label(r, d) {
    return d.subs[r[3]][0] + " in " + (r[4] >= 0 ? d.places[r[4]] : "an unknown place") + ", " +
      (r[1] ? dateLabel(r[1], r[2]) : "undated");
  }

  function actorsOf(r, d) {
    return r[12].filter(function (a) { return a < d.clean_actors; }).map(function (a) { return d.actors[a]; });
  }

  function killed(r) {
    if (r[8] === null) return "";
    return r[8] === r[9] ? String(r[8]) : r[8] + "–" + r[9];
  }

  function typeClass(name) { return String(name).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, ""); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // CSV: RFC 4180 quoting; a cell that starts like a formula gets a leading ' (as the site's own CSV files).
  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  var CSV_COLUMNS = ["event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "location", "admin1", "latitude", "longitude", "fatalities", "fatalities_max", "reports", "main", "url"];

  function csvOf(rows, d, base) {
    var lines = [CSV_COLUMNS.join(",")];
    rows.forEach(function (r) {
      lines.push([r[0], r[1], r[2] || "", d.types[d.subs[r[3]][1]], d.subs[r[3]][0], r[13] >= 0 ? d.actors[r[13]] : "",
        r[14] >= 0 ? d.actors[r[14]] : "", r[4] >= 0 ? d.places[r[4]] : "", r[5] >= 0 ? d.admin1[r[5]] : "",
        r[6] === null ? "" : r[6], r[7] === null ? "" : r[7], r[8] === null ? "" : r[8], r[9] === null ? "" : r[9],
        r[10], r[11] ? "true" : "false", base + "events/" + r[0] + "/"].map(csvCell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function init() {
    var box = document.querySelector(".archive-event-filter");
    if (!box || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    var root = box.getAttribute("data-root") || "";
    if (typeof window.fetch !== "function") return;
    window.fetch(root + DATA, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { start(box, root, data); })
      .catch(function () {
        box.appendChild(el("p", "archive-event-filter__failed",
          "The filters could not load their data (" + DATA + "): the table lists the newest incidents, and every one is in data/events.csv."));
      });
  }

  function start(box, root, d) {
    var rows = d.rows;
    var table = document.querySelector(".archive-event-table table");
    var map = document.querySelector(".archive-map.archive-map--page-data");
    var legend = document.querySelector(".archive-event-legend");
    var base = new URL(root, window.location.href).href; // the site's address, for the CSV's links
    var state = { chosen: {}, from: "", to: "", sort: "date", desc: true, page: 0 };
    FACETS.forEach(function (f) { state.chosen[f[0]] = {}; });
    var mapShown = null, selection = rows, controls = {};
    var dated = rows.filter(function (r) { return r[1]; }).map(function (r) { return r[1]; }).sort();

    box.setAttribute("role", "group");
    box.setAttribute("aria-label", box.getAttribute("data-label") || "Filter the events");

    // Dates
    var dates = el("div", "archive-event-filter__dates");
    ["from", "to"].forEach(function (key) {
      var field = el("div", "archive-event-filter__field");
      var input = el("input");
      input.type = "date";
      input.id = "archive-event-" + key;
      input.name = key;
      if (dated.length) { input.min = dated[0]; input.max = dated[dated.length - 1]; }
      var text = el("label", null, key === "from" ? "From" : "To");
      text.htmlFor = input.id;
      input.addEventListener("change", function () { state[key] = /^\d{4}-\d{2}-\d{2}$/.test(input.value) ? input.value : ""; state.page = 0; apply(true); });
      field.appendChild(text);
      field.appendChild(input);
      dates.appendChild(field);
      controls[key] = input;
    });
    box.appendChild(dates);

    // Facets: a disclosure each, holding its checkboxes (and a box to find one, when there are many).
    var facets = el("div", "archive-event-filter__row");
    box.appendChild(facets);
    FACETS.forEach(function (f) {
      var values = {};
      rows.forEach(function (r) { f[2](r, d).forEach(function (v) { values[v] = true; }); });
      var order = Object.keys(values).map(Number).sort(function (a, b) {
        var x = f[3](a, d).toLowerCase(), y = f[3](b, d).toLowerCase();
        return x < y ? -1 : x > y ? 1 : a - b;
      });
      var details = el("details", "archive-event-facet");
      details.setAttribute("data-facet", f[0]);
      var summary = el("summary");
      var name = el("span", "archive-event-facet__name", f[1]);
      var chosen = el("span", "archive-event-facet__chosen", "any");
      summary.appendChild(name);
      summary.appendChild(document.createTextNode(": "));
      summary.appendChild(chosen);
      details.appendChild(summary);
      var panel = el("div", "archive-event-facet__panel");
      panel.setAttribute("role", "group");
      panel.setAttribute("aria-label", f[1]);
      var list = el("ul", "archive-event-facet__options");
      var boxes = [];
      order.forEach(function (v) {
        var item = el("li");
        var option = el("label");
        var check = el("input");
        check.type = "checkbox";
        check.value = String(v);
        check.name = f[0];
        var text = el("span", null, f[3](v, d));
        var count = el("span", "archive-event-facet__count");
        option.appendChild(check);
        option.appendChild(text);
        option.appendChild(count);
        item.appendChild(option);
        list.appendChild(item);
        check.addEventListener("change", function () {
          if (check.checked) state.chosen[f[0]][v] = true; else delete state.chosen[f[0]][v];
          state.page = 0;
          apply(true);
        });
        boxes.push({ value: v, name: f[3](v, d), check: check, count: count, item: item });
      });
      if (order.length > 10) {
        var find = el("input", "archive-event-facet__find");
        find.type = "search";
        find.setAttribute("aria-label", "Find a value of " + f[1].toLowerCase());
        find.placeholder = "Find…";
        find.addEventListener("input", function () {
          var q = find.value.trim().toLowerCase();
          boxes.forEach(function (b) { b.item.hidden = q !== "" && b.name.toLowerCase().indexOf(q) === -1; });
        });
        panel.appendChild(find);
      }
      panel.appendChild(list);
      details.appendChild(panel);
      facets.appendChild(details);
      controls[f[0]] = { boxes: boxes, chosen: chosen, details: details };
    });

    var footer = el("div", "archive-event-filter__footer");
    var shown = el("output", "archive-event-filter__count");
    shown.setAttribute("aria-live", "polite");
    var buttons = el("div", "archive-event-filter__buttons");
    var download = el("button", "archive-event-filter__button archive-event-filter__csv", "Download CSV");
    download.type = "button";
    var reset = el("button", "archive-event-filter__button archive-event-filter__reset", "Reset filters");
    reset.type = "button";
    buttons.appendChild(download);
    buttons.appendChild(reset);
    footer.appendChild(shown);
    footer.appendChild(buttons);
    box.appendChild(footer);

    reset.addEventListener("click", function () {
      FACETS.forEach(function (f) { state.chosen[f[0]] = {}; });
      state.from = state.to = "";
      state.page = 0;
      apply(true);
      controls.from.focus();
    });
    download.addEventListener("click", function () {
      var blob = new Blob([csvOf(selection, d, base)], { type: "text/csv;charset=utf-8" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "events-selection.csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    });

    // The table: sort buttons in its headers, its rows from the data, a pager under it.
    var note = document.querySelector(".archive-event-table__note");
    if (note) note.hidden = true;
    var caption = table.querySelector("caption");
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    heads.forEach(function (th, i) {
      var column = COLUMNS[i];
      if (!column) return;
      th.textContent = "";
      var button = el("button", "archive-event-table__sort", column[1]);
      button.type = "button";
      button.addEventListener("click", function () {
        if (state.sort === column[0]) state.desc = !state.desc;
        else { state.sort = column[0]; state.desc = column[0] === "date" || column[0] === "killed" || column[0] === "reports"; }
        state.page = 0;
        apply(true);
      });
      th.appendChild(button);
    });
    var body = table.querySelector("tbody");
    var pager = el("nav", "archive-event-pager");
    pager.setAttribute("aria-label", "Pages of the table");
    var prev = el("button", "archive-event-filter__button", "Previous page");
    prev.type = "button";
    var where = el("span", "archive-event-pager__where");
    var next = el("button", "archive-event-filter__button", "Next page");
    next.type = "button";
    pager.appendChild(prev);
    pager.appendChild(where);
    pager.appendChild(next);
    table.parentNode.appendChild(pager);
    prev.addEventListener("click", function () { if (state.page > 0) { state.page -= 1; apply(true); } });
    next.addEventListener("click", function () { state.page += 1; apply(true); });

    function passes(r, except) {
      if (state.from && (!r[1] || r[1] < state.from)) return false;
      if (state.to && (!r[1] || r[1] > state.to)) return false;
      return FACETS.every(function (f) {
        var chosen = state.chosen[f[0]];
        if (f === except || !Object.keys(chosen).length) return true;
        return f[2](r, d).some(function (v) { return chosen[v]; });
      });
    }

    function active() {
      return Boolean(state.from || state.to) || FACETS.some(function (f) { return Object.keys(state.chosen[f[0]]).length > 0; });
    }

    function say() {
      var text = "Showing " + selection.length + " of " + plural(rows.length, "incident");
      if (mapShown !== null) text += " (" + mapShown + " on the map)";
      if (!selection.length && rows.length) text += ": none has all the chosen values; change or reset a filter";
      shown.textContent = text;
    }

    function row(r) {
      var tr = el("tr");
      tr.setAttribute("data-id", r[0]);
      tr.appendChild(el("td", null, r[1] || "undated"));
      var cell = el("td");
      var swatch = el("span", "archive-event-swatch archive-event-swatch--" + typeClass(d.types[d.subs[r[3]][1]]));
      swatch.setAttribute("aria-hidden", "true");
      var link = el("a", null, label(r, d));
      link.href = root + "events/" + encodeURIComponent(r[0]) + "/";
      cell.appendChild(swatch);
      cell.appendChild(link);
      tr.appendChild(cell);
      tr.appendChild(el("td", null, r[5] >= 0 ? d.admin1[r[5]].replace(/ Governorate$/, "") : "")); // the header says it
      tr.appendChild(el("td", null, actorsOf(r, d).join(", ")));
      tr.appendChild(el("td", null, killed(r)));
      tr.appendChild(el("td", null, String(r[10])));
      return tr;
    }

    function drawTable() {
      var column = COLUMNS.filter(function (c) { return c[0] === state.sort; })[0] || COLUMNS[0];
      var keyed = selection.map(function (r, i) { return [column[2](r, d), i, r]; });
      keyed.sort(function (a, b) {
        var x = a[0], y = b[0];
        if (x !== y) return (x < y ? -1 : 1) * (state.desc ? -1 : 1);
        return a[1] - b[1]; // ties keep the data's order (newest first)
      });
      var pages = Math.max(1, Math.ceil(keyed.length / PAGE));
      if (state.page >= pages) state.page = pages - 1;
      var slice = keyed.slice(state.page * PAGE, (state.page + 1) * PAGE);
      var fragment = document.createDocumentFragment();
      slice.forEach(function (k) { fragment.appendChild(row(k[2])); });
      body.textContent = "";
      body.appendChild(fragment);
      heads.forEach(function (th, i) {
        if (!COLUMNS[i]) return;
        if (COLUMNS[i][0] === state.sort) th.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
        else th.removeAttribute("aria-sort");
      });
      var first = keyed.length ? state.page * PAGE + 1 : 0, last = state.page * PAGE + slice.length;
      caption.textContent = "Incidents " + first + "–" + last + " of " + keyed.length + ", by " + column[1].toLowerCase() +
        (state.desc ? ", descending" : ", ascending");
      where.textContent = "Page " + (state.page + 1) + " of " + pages;
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
      pager.hidden = pages <= 1;
    }

    function apply(remember) {
      selection = rows.filter(function (r) { return passes(r, null); });
      FACETS.forEach(function (f) {
        var counts = {};
        rows.forEach(function (r) {
          if (passes(r, f)) f[2](r, d).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
        });
        var c = controls[f[0]], names = [];
        c.boxes.forEach(function (b) {
          b.count.textContent = " (" + (counts[b.value] || 0) + ")";
          b.check.checked = Boolean(state.chosen[f[0]][b.value]);
          if (b.check.checked) names.push(b.name);
        });
        c.chosen.textContent = names.length ? names.join(", ") : "any";
      });
      controls.from.value = state.from;
      controls.to.value = state.to;
      reset.disabled = !active();
      download.textContent = "Download CSV (" + plural(selection.length, "incident") + ")";
      download.disabled = selection.length === 0;
      drawTable();
      if (remember) writeHash();
      if (map) {
        var passing = {};
        selection.forEach(function (r) { passing[r[0]] = true; });
        map.archiveMapKeep = active() ? function (feature) { return passing[String(feature.id)] === true; } : null;
        if (typeof window.CustomEvent === "function") map.dispatchEvent(new window.CustomEvent("archive-map:filter"));
      }
      say();
    }

    function writeHash() {
      var params = new URLSearchParams();
      FACETS.forEach(function (f) {
        Object.keys(state.chosen[f[0]]).forEach(function (v) { params.append(f[0], f[3](Number(v), d)); });
      });
      if (state.from) params.set("from", state.from);
      if (state.to) params.set("to", state.to);
      if (state.sort !== "date" || !state.desc) params.set("sort", state.sort + (state.desc ? "-desc" : "-asc"));
      if (state.page) params.set("page", String(state.page + 1));
      var text = params.toString();
      var url = window.location.pathname + window.location.search + (text ? "#" + text : "");
      try { window.history.replaceState(window.history.state, "", url); } catch (ignored) { /* file:// etc. */ }
    }

    function restore() {
      var hash = window.location.hash.replace(/^#/, "");
      if (hash.indexOf("=") === -1) return false; // an ordinary anchor, not a view
      var params;
      try { params = new URLSearchParams(hash); } catch (ignored) { return false; }
      FACETS.forEach(function (f) {
        state.chosen[f[0]] = {};
        var wanted = params.getAll(f[0]);
        controls[f[0]].boxes.forEach(function (b) { if (wanted.indexOf(b.name) !== -1) state.chosen[f[0]][b.value] = true; });
      });
      ["from", "to"].forEach(function (key) {
        var v = params.get(key) || "";
        state[key] = /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : "";
      });
      var sort = /^(\w+)-(asc|desc)$/.exec(params.get("sort") || "");
      if (sort && COLUMNS.some(function (c) { return c[0] === sort[1]; })) { state.sort = sort[1]; state.desc = sort[2] === "desc"; }
      else { state.sort = "date"; state.desc = true; }
      var page = Number(params.get("page"));
      state.page = page >= 1 && page <= 100000 ? Math.floor(page) - 1 : 0;
      return true;
    }

    if (map) {
      map.addEventListener("archive-map:shown", function (event) {
        mapShown = event.detail ? event.detail.shown : null;
        say();
      });
      map.addEventListener("archive-map:shown", function () {
        if (legend) legend.classList.add("archive-event-legend--ready");
      });
      var features = [];
      rows.forEach(function (r) {
        if (r[6] === null || r[7] === null) return;
        var toll = killed(r);
        features.push({ type: "Feature", id: r[0], geometry: { type: "Point", coordinates: [r[7], r[6]] },
          properties: { name: label(r, d) + (toll ? ", " + toll + " killed" : ""), url: "events/" + r[0] + "/",
            mentions: r[10], fatalities: r[8] === null ? 0 : r[8], event_type: d.types[d.subs[r[3]][1]] } });
      });
      map.archiveMapOptions = { size: "fatalities", classBy: "event_type", point: "incident", keyboard: false };
      map.archiveMapCollection = { type: "FeatureCollection", features: features };
    }
    window.addEventListener("hashchange", function () { if (restore()) apply(false); });
    restore();
    apply(false);
    if (map && typeof window.CustomEvent === "function") map.dispatchEvent(new window.CustomEvent("archive-map:data"));
  }

  // The site does not use Material's instant navigation (mkdocs.yml), so each page load runs this once.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
