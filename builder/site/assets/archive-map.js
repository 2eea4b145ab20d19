/*
 * Archive maps: turns every `.archive-map` element into a Leaflet map (Leaflet is shipped with the
 * site in assets/archive/vendor/leaflet/; nothing is fetched from a CDN).
 *
 * Only this small script is on every page. Leaflet, Leaflet.markercluster and their stylesheets are
 * loaded from the folder this script was loaded from, and only on a page that holds an `.archive-map`
 * (the page's policy allows them through 'strict-dynamic').
 *
 * Basemap: with no tile URL (the default) the maps draw Natural Earth country and first-level
 * boundaries as vector layers (vendor/basemap/*.geojson, fetched from the site itself), so no request
 * ever leaves the site. `data-archive-basemap` on the element says "ready" once they are drawn.
 *
 * Contract with the templates (all attributes are read once, when the element is initialised):
 *
 *   data-tiles        Tile URL template, e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png".
 *                     Empty or absent (the default): the vector basemap, no third-party request.
 *                     A tile URL is an opt-in: every reader's browser then asks that host for tiles.
 *   data-attribution  Tile attribution, plain text (it is escaped, never parsed as HTML).
 *   data-label        Optional accessible name for the map (default "Map").
 *
 *   One place:
 *   data-lat, data-lon  Decimal degrees (WGS84). One circle marker.
 *   data-zoom           Optional initial zoom, default 8.
 *   data-name           Optional place name, shown as the marker's tooltip (plain text).
 *
 *   Many places:
 *   data-geojson      URL of a GeoJSON FeatureCollection of Points, relative to the page. Each
 *                     feature's properties: `name` (text), `url` (page URL relative to the site
 *                     root, e.g. "locations/aleppo/") and `mentions` (integer). Circle markers are
 *                     sized by sqrt(mentions) (area proportional to mentions); each has a popup
 *                     linking to its page. Nearby markers are clustered. The view is fitted to the
 *                     archive's region: the central 90% of the points weighted by mentions (per axis),
 *                     so one far-away place does not zoom the map out to the world.
 *                     `data-unit` (optional, default "mention"): what `mentions` counts, in the singular, for the
 *                     popup ("1 report", "3 reports"); an "s" makes the plural.
 *                     Optional `months` ({"YYYY-MM": articles}): with two months or more a time
 *                     filter (two range sliders) is drawn under the map; a place shows while any of its
 *                     articles falls in the chosen months.
 *                     Filter hook (for a page's own controls, e.g. the events index): set
 *                     `element.archiveMapKeep = function (feature) { return true or false; }` and
 *                     dispatch `new CustomEvent("archive-map:filter")` on the element. `feature` is
 *                     {id, properties} of a GeoJSON feature (as read, never changed); only the points
 *                     it keeps are drawn and clustered (the time filter, if any, still applies on top),
 *                     and the view is fitted to them. A function set before the map is drawn applies
 *                     from the first draw; `archiveMapKeep = null` + the event shows every point again.
 *                     After every draw the element says how many points it shows in
 *                     `data-archive-map-shown`, and dispatches "archive-map:shown" (detail: {shown, total}).
 *   Many places given by the page's own script (class `archive-map--page-data`, no data-geojson): the script sets
 *                     `element.archiveMapCollection` (a FeatureCollection as above) and dispatches "archive-map:data"
 *                     on the element (before or after this script initialises the map; the events index reads its
 *                     rows once and draws the map from them, so the page fetches no second copy). Optional
 *                     `element.archiveMapOptions`, set before that: `size` (a property to size the circles by
 *                     instead of `mentions`, e.g. "fatalities"), `classBy` (a property whose value, as a slug, is a
 *                     class of the marker: `archive-map__marker--<slug>`, and of a cluster, the one most of its
 *                     points have: `archive-map__cluster--<slug>`, for colours), `point` (what one point is,
 *                     singular, for the clusters' names, default "place") and `keyboard: false` (clusters are not tab
 *                     stops: the page lists the same points in HTML, e.g. a table).
 *
 *   Markers and clusters are named for screen readers: a circle is an image named by its `name` (and its count of
 *   `data-unit`), a cluster "Cluster of 31 places: zoom in to see them".
 *
 *   data-root         Relative path from the page to the site root, e.g. "../../" (the page's
 *                     `base_url` + "/"). Link href = data-root + url. Absent: Material's
 *                     `__md_scope` (the site root) is used instead.
 *
 * Content inside the element is the fallback (e.g. a list of coordinates). It stays as it is while
 * the map cannot be drawn (Leaflet missing, GeoJSON unreachable or invalid, bad coordinates) and is
 * hidden once the map is drawn; content placed next to the element is never touched.
 *
 * State for tests and debugging, in `data-archive-map-state`: "pending" while the GeoJSON loads,
 * then "ready" or "failed" (with the reason in `data-archive-map-error`). The script writes
 * nothing to the console: a failing map leaves the fallback, not an error.
 *
 * Untrusted text (place names) only ever reaches the DOM through textContent / text nodes.
 */
(function () {
  "use strict";

  var STATE = "data-archive-map-state";
  var ERROR = "data-archive-map-error";
  var live = []; // [{element, map, observer}] for maps still in the document
  var BASEMAP = "data-archive-basemap";
  // Where this script was loaded from (assets/archive/): the vendored files are beside it.
  var HERE = (function () {
    var script = document.currentScript;
    return script && script.src ? script.src.replace(/[^\/]*$/, "") : "";
  })();
  var STYLES = ["vendor/leaflet/leaflet.css", "vendor/leaflet.markercluster/MarkerCluster.css"];
  var SCRIPTS = ["vendor/leaflet/leaflet.js", "vendor/leaflet.markercluster/leaflet.markercluster.js"];
  var LAYERS = ["vendor/basemap/countries.geojson", "vendor/basemap/admin1-lines.geojson"];
  var loading = null; // one Promise for Leaflet, shared by every map of the page
  var basemapData = null; // one Promise for the basemap's GeoJSON

  function addScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  // Leaflet and the cluster plugin, loaded once, only when a page has a map.
  function leaflet() {
    if (window.L && typeof window.L.map === "function" && window.L.markerClusterGroup) return Promise.resolve();
    if (!loading) {
      STYLES.forEach(function (href) {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = HERE + href;
        document.head.insertBefore(link, document.head.firstChild); // before archive-map.css: ours wins
      });
      var chain = Promise.resolve();
      SCRIPTS.forEach(function (src, i) {
        chain = chain.then(function () {
          if (i === 0 && window.L && typeof window.L.map === "function") return null; // the page brought its own
          if (i > 0 && !(window.L && typeof window.L.map === "function")) throw new Error("Leaflet is not loaded");
          return addScript(HERE + src);
        });
      });
      loading = chain;
    }
    return loading;
  }

  function getJSON(url) {
    return window.fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.json();
    });
  }

  function drawBasemap(element, map) {
    if (typeof window.fetch !== "function") return;
    if (!basemapData) basemapData = Promise.all(LAYERS.map(function (path) { return getJSON(HERE + path); }));
    map.createPane("archiveBasemap").style.zIndex = 250; // above tiles (200), under markers (400)
    element.setAttribute(BASEMAP, "pending");
    basemapData.then(function (layers) {
      if (!element.isConnected) return;
      window.L.geoJSON(layers[0], { pane: "archiveBasemap", interactive: false,
        style: { className: "archive-map__country", weight: 1, fillOpacity: 1 } }).addTo(map);
      window.L.geoJSON(layers[1], { pane: "archiveBasemap", interactive: false,
        style: { className: "archive-map__province", weight: 0.7, fill: false } }).addTo(map);
      map.attributionControl.addAttribution("Boundaries: Natural Earth");
      element.setAttribute(BASEMAP, "ready");
    }).catch(function (reason) {
      element.setAttribute(BASEMAP, "failed");
      element.setAttribute(ERROR, String(reason && reason.message ? reason.message : reason));
    });
  }

  function fail(element, reason) {
    element.setAttribute(STATE, "failed");
    element.setAttribute(ERROR, String(reason && reason.message ? reason.message : reason));
  }

  function number(value) {
    if (value === null || value === undefined || String(value).trim() === "") return NaN;
    var n = Number(value);
    return isFinite(n) ? n : NaN;
  }

  function validLatLon(lat, lon) {
    return isFinite(lat) && isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
  }

  // Leaflet's attribution control renders its strings as HTML: escape the configured text.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // A site-relative page URL from the data: never a scheme (javascript:, data:, http:), never
  // protocol- or root-relative.
  function safeRelative(url) {
    if (typeof url !== "string" || url === "") return null;
    if (/^[a-z][a-z0-9+.\-]*:/i.test(url) || /^[\/\\]/.test(url) || /[\u0000-\u001f]/.test(url)) return null;
    return url;
  }

  function siteRoot(element) {
    var root = element.getAttribute("data-root");
    if (root !== null) return root;
    if (window.__md_scope instanceof URL) {
      var href = window.__md_scope.href;
      return href.charAt(href.length - 1) === "/" ? href : href + "/";
    }
    return "";
  }

  // The map is drawn into a child of the element, so the fallback content can stay in place.
  function createMap(element) {
    var canvas = document.createElement("div");
    canvas.className = "archive-map__canvas";
    canvas.setAttribute("role", "region");
    canvas.setAttribute("aria-label", element.getAttribute("data-label") || "Map");
    element.insertBefore(canvas, element.firstChild);
    var map = window.L.map(canvas, { scrollWheelZoom: false, worldCopyJump: true });
    element.archiveMap = map; // for tests and debugging
    var tiles = (element.getAttribute("data-tiles") || "").trim();
    if (tiles) {
      window.L.tileLayer(tiles, {
        attribution: escapeHtml(element.getAttribute("data-attribution") || ""),
        maxZoom: 19,
      }).addTo(map);
    } else {
      map.setMaxZoom(12); // boundaries only: closer than this shows nothing more
      drawBasemap(element, map);
    }
    element.classList.add("archive-map--ready");
    element.setAttribute(STATE, "ready");
    element.removeAttribute(ERROR);
    var entry = { element: element, map: map, observer: null };
    if (typeof ResizeObserver === "function") {
      // Maps inside closed <details> or hidden tabs start at size 0: redraw when they appear.
      entry.observer = new ResizeObserver(function () { map.invalidateSize(); });
      entry.observer.observe(canvas);
    }
    live.push(entry);
    return map;
  }

  function textNode(text) {
    return function () { return document.createTextNode(text); };
  }

  function drawPoint(element) {
    var lat = number(element.getAttribute("data-lat"));
    var lon = number(element.getAttribute("data-lon"));
    if (!validLatLon(lat, lon)) return fail(element, "invalid data-lat/data-lon");
    var zoom = number(element.getAttribute("data-zoom"));
    if (!(zoom >= 0 && zoom <= 19)) zoom = 8;
    if (!(element.getAttribute("data-tiles") || "").trim()) zoom = Math.min(zoom, 7); // boundaries: some context
    var map = createMap(element);
    map.setView([lat, lon], zoom);
    var marker = window.L.circleMarker([lat, lon], { radius: 9, className: "archive-map__marker" }).addTo(map);
    var name = element.getAttribute("data-name");
    if (name) marker.bindTooltip(textNode(name));
  }

  function points(collection) {
    if (!collection || collection.type !== "FeatureCollection" || !Array.isArray(collection.features)) {
      throw new Error("not a GeoJSON FeatureCollection");
    }
    var out = [];
    collection.features.forEach(function (feature) {
      var geometry = feature && feature.geometry;
      if (!geometry || geometry.type !== "Point" || !Array.isArray(geometry.coordinates)) return;
      var lon = number(geometry.coordinates[0]);
      var lat = number(geometry.coordinates[1]);
      if (!validLatLon(lat, lon)) return;
      var p = (feature.properties && typeof feature.properties === "object") ? feature.properties : {};
      var mentions = number(p.mentions);
      var months = {};
      if (p.months && typeof p.months === "object") {
        Object.keys(p.months).forEach(function (month) {
          var n = number(p.months[month]);
          if (/^\d{4}-\d{2}$/.test(month) && n > 0) months[month] = n;
        });
      }
      out.push({
        lat: lat,
        lon: lon,
        name: p.name === undefined || p.name === null ? "" : String(p.name),
        url: safeRelative(p.url),
        mentions: mentions > 0 ? mentions : 0,
        months: months,
        country: p.kind === "country",
        feature: { id: feature.id === undefined ? null : feature.id, properties: p }, // for archiveMapKeep
      });
    });
    return out;
  }

  function popup(point, root, unit) {
    return function () {
      var box = document.createElement("div");
      box.className = "archive-map__popup";
      var title = document.createElement(point.url ? "a" : "strong");
      title.textContent = point.name || "(unnamed)";
      if (point.url) title.setAttribute("href", root + point.url);
      box.appendChild(title);
      var count = document.createElement("div");
      count.className = "archive-map__mentions";
      count.textContent = point.mentions + " " + (point.mentions === 1 ? unit : unit + "s");
      box.appendChild(count);
      return box;
    };
  }

  // The value below which `share` of the total weight lies (points sorted by `key`).
  function weightedQuantile(list, key, share) {
    var sorted = list.slice().sort(function (a, b) { return a[key] - b[key]; });
    var total = sorted.reduce(function (sum, p) { return sum + p.weight; }, 0);
    var seen = 0;
    for (var i = 0; i < sorted.length; i++) {
      seen += sorted[i].weight;
      if (seen >= share * total) return sorted[i][key];
    }
    return sorted[sorted.length - 1][key];
  }

  // The archive's region: per axis, the central 90% of the points weighted by mentions. Countries are left
  // out when there are enough other places: a country's point is its capital, not where its events happen
  // (the United States, mentioned everywhere, would stretch a Syrian archive's view to Washington). Few
  // points: all of them.
  function regionBounds(list) {
    var places = list.filter(function (p) { return !p.country; });
    if (places.length >= 5) list = places;
    var weighted = list.map(function (p) { return { lat: p.lat, lon: p.lon, weight: Math.max(1, p.mentions) }; });
    var south, north, west, east;
    if (list.length < 5) {
      south = Math.min.apply(null, list.map(function (p) { return p.lat; }));
      north = Math.max.apply(null, list.map(function (p) { return p.lat; }));
      west = Math.min.apply(null, list.map(function (p) { return p.lon; }));
      east = Math.max.apply(null, list.map(function (p) { return p.lon; }));
    } else {
      south = weightedQuantile(weighted, "lat", 0.05);
      north = weightedQuantile(weighted, "lat", 0.95);
      west = weightedQuantile(weighted, "lon", 0.05);
      east = weightedQuantile(weighted, "lon", 0.95);
    }
    var pad = 0.5; // degrees: one city alone still shows its surroundings
    if (north - south < 2 * pad) { south -= pad; north += pad; }
    if (east - west < 2 * pad) { west -= pad; east += pad; }
    return window.L.latLngBounds([south, west], [north, east]);
  }

  function monthLabel(month) {
    var names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    return names[Number(month.slice(5, 7)) - 1] + " " + month.slice(0, 4);
  }

  // Every month from the first to the last one of any point.
  function monthRange(list) {
    var all = [];
    list.forEach(function (p) { all = all.concat(Object.keys(p.months)); });
    if (!all.length) return [];
    all.sort();
    var y = Number(all[0].slice(0, 4)), m = Number(all[0].slice(5, 7));
    var last = all[all.length - 1], out = [];
    for (;;) {
      var month = y + "-" + (m < 10 ? "0" : "") + m;
      out.push(month);
      if (month >= last || out.length > 2400) break;
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
    return out;
  }

  function slider(label, months, value) {
    var wrap = document.createElement("label");
    wrap.className = "archive-map__slider";
    var text = document.createElement("span");
    text.textContent = label;
    var input = document.createElement("input");
    input.type = "range";
    input.min = "0";
    input.max = String(months.length - 1);
    input.step = "1";
    input.value = String(value);
    wrap.appendChild(text);
    wrap.appendChild(input);
    return { label: wrap, input: input };
  }

  // Two range sliders (from, to) under the map; `apply(from, to)` is called with the chosen months.
  function timeFilter(element, months, apply) {
    var box = document.createElement("div");
    box.className = "archive-map__filter";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Show places by the dates of their articles");
    var from = slider("From", months, 0), to = slider("To", months, months.length - 1);
    var status = document.createElement("output");
    status.className = "archive-map__filter-status";
    status.setAttribute("aria-live", "polite");
    box.appendChild(from.label);
    box.appendChild(to.label);
    box.appendChild(status);
    function update(event) {
      var a = Number(from.input.value), b = Number(to.input.value);
      if (a > b) { // the slider being moved pushes the other
        if (event && event.target === to.input) from.input.value = String(b); else to.input.value = String(a);
        a = Number(from.input.value); b = Number(to.input.value);
      }
      from.input.setAttribute("aria-valuetext", monthLabel(months[a]));
      to.input.setAttribute("aria-valuetext", monthLabel(months[b]));
      var shown = apply(months[a], months[b], a === 0 && b === months.length - 1);
      status.textContent = shown + (shown === 1 ? " place" : " places") + ", " + monthLabel(months[a]) +
        (a === b ? "" : " to " + monthLabel(months[b]));
    }
    from.input.addEventListener("input", update);
    to.input.addEventListener("input", update);
    element.appendChild(box);
    update();
  }

  function slug(value) {
    return String(value).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  function drawCollection(element, collection) {
    var list = points(collection);
    if (!list.length) return fail(element, "no valid points in the GeoJSON");
    var options = element.archiveMapOptions && typeof element.archiveMapOptions === "object" ? element.archiveMapOptions : {};
    var root = siteRoot(element);
    var unit = (element.getAttribute("data-unit") || "").trim() || "mention";
    var pointWord = typeof options.point === "string" && options.point ? options.point : "place";
    list.forEach(function (point) {
      var size = options.size ? number(point.feature.properties[options.size]) : point.mentions;
      point.size = size > 0 ? size : 0;
    });
    var most = list.reduce(function (m, p) { return Math.max(m, p.size); }, 0) || 1;
    // Largest first, so smaller circles are drawn on top and stay clickable.
    list.sort(function (a, b) { return b.size - a.size; });
    var map = createMap(element);
    // Names for screen readers, set as Leaflet adds each marker and cluster to the map.
    map.on("layeradd", function (event) {
      var layer = event.layer;
      if (typeof layer.getChildCount === "function" && typeof layer.getElement === "function") {
        var icon = layer.getElement();
        if (!icon) return;
        var n = layer.getChildCount();
        icon.setAttribute("aria-label", "Cluster of " + n + " " + (n === 1 ? pointWord : pointWord + "s") + ": zoom in to see them");
        if (options.keyboard === false) {
          icon.setAttribute("tabindex", "-1");
          icon.setAttribute("role", "img");
        }
      } else if (layer.options && layer.options.archiveLabel && layer._path) {
        layer._path.setAttribute("role", "img");
        layer._path.setAttribute("aria-label", layer.options.archiveLabel);
        if (options.keyboard === false) layer._path.setAttribute("tabindex", "-1");
      }
    });
    var group = window.L.markerClusterGroup({
      maxClusterRadius: 36,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: function (cluster) {
        var count = cluster.getChildCount();
        var size = count < 10 ? 30 : count < 100 ? 36 : 42;
        var className = "archive-map__cluster";
        if (options.classBy) { // the kind most of its points are (classBy), for its colour
          var kinds = {}, top = null;
          cluster.getAllChildMarkers().forEach(function (m) {
            var kind = m.options.archiveKind;
            if (!kind) return;
            kinds[kind] = (kinds[kind] || 0) + 1;
            if (top === null || kinds[kind] > kinds[top]) top = kind;
          });
          if (top) className += " archive-map__cluster--" + top;
        }
        return window.L.divIcon({
          html: '<span aria-hidden="true">' + String(Number(count)) + "</span>", // a number, never data; named on layeradd
          className: className,
          iconSize: window.L.point(size, size),
        });
      },
    });
    var markers = list.map(function (point) {
      var radius = options.size ? 4 + 16 * Math.sqrt(point.size / most) : Math.max(4, 22 * Math.sqrt(point.mentions / most));
      var className = "archive-map__marker";
      var kind = options.classBy ? point.feature.properties[options.classBy] : null;
      kind = kind !== null && kind !== undefined && slug(kind) ? slug(kind) : null;
      if (kind) className += " archive-map__marker--" + kind;
      var archiveLabel = (point.name || "(unnamed)") + ", " + point.mentions + " " + (point.mentions === 1 ? unit : unit + "s");
      var marker = window.L.circleMarker([point.lat, point.lon], { radius: radius, className: className, archiveLabel: archiveLabel,
        archiveKind: kind });
      marker.bindPopup(popup(point, root, unit));
      if (point.name) marker.bindTooltip(textNode(point.name));
      return marker;
    });
    map.addLayer(group);
    var range = null; // the time filter's [first, last] months; null: every month

    // The points that pass the time filter and the page's own filter (element.archiveMapKeep), drawn again.
    function refresh(fit) {
      var keep = typeof element.archiveMapKeep === "function" ? element.archiveMapKeep : null;
      var shown = [], kept = [];
      list.forEach(function (point, i) {
        if (range && !Object.keys(point.months).some(function (m) { return m >= range[0] && m <= range[1]; })) return;
        if (keep) {
          var ok = false;
          try { ok = Boolean(keep(point.feature)); } catch (ignored) { ok = true; } // a broken filter hides nothing
          if (!ok) return;
        }
        shown.push(markers[i]);
        kept.push(point);
      });
      if (fit) { // the view first: the cluster group needs one to place what it is given
        var basis = kept.length ? kept : list;
        if (basis.length === 1) map.setView([basis[0].lat, basis[0].lon], 7);
        else map.fitBounds(regionBounds(basis), { padding: [24, 24], maxZoom: 9 });
      }
      group.clearLayers();
      group.addLayers(shown);
      element.setAttribute("data-archive-map-shown", String(shown.length));
      if (typeof window.CustomEvent === "function") {
        element.dispatchEvent(new window.CustomEvent("archive-map:shown", { detail: { shown: shown.length, total: list.length } }));
      }
      return shown.length;
    }

    element.addEventListener("archive-map:filter", function () {
      if (element.isConnected) refresh(true);
    });
    refresh(true);
    var months = monthRange(list);
    if (months.length >= 2) {
      timeFilter(element, months, function (first, last, everything) {
        range = everything ? null : [first, last];
        return refresh(false);
      });
    }
  }

  function loadCollection(element) {
    var source = element.getAttribute("data-geojson");
    element.setAttribute(STATE, "pending");
    if (typeof window.fetch !== "function") return fail(element, "fetch is not available");
    window.fetch(source, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("GeoJSON: HTTP " + response.status);
        return response.json();
      })
      .then(function (collection) {
        if (!element.isConnected) return; // navigated away meanwhile
        drawCollection(element, collection);
      })
      .catch(function (reason) {
        try { fail(element, reason); } catch (ignored) { /* nothing to report to */ }
      });
  }

  // The page's own script gives the points (archive-map--page-data): now, or later with "archive-map:data".
  function awaitCollection(element) {
    element.setAttribute(STATE, "pending");
    function take() {
      if (!element.archiveMapCollection || element.getAttribute(STATE) !== "pending") return false;
      try { drawCollection(element, element.archiveMapCollection); } catch (reason) { fail(element, reason); }
      return true;
    }
    if (!take()) element.addEventListener("archive-map:data", take);
  }

  function draw(element) {
    try {
      if (!window.L || typeof window.L.map !== "function") return fail(element, "Leaflet is not loaded");
      if (element.classList.contains("archive-map--page-data") && !element.getAttribute("data-geojson")) awaitCollection(element);
      else if (element.getAttribute("data-geojson")) loadCollection(element);
      else drawPoint(element);
    } catch (reason) {
      fail(element, reason);
    }
  }

  function initialise(element) {
    if (element.hasAttribute(STATE)) return;
    element.setAttribute(STATE, "loading");
    leaflet().then(function () { draw(element); }, function () { fail(element, "Leaflet is not loaded"); });
  }

  // Maps whose page was replaced by Material's instant navigation are released.
  function forgetDetached() {
    live = live.filter(function (entry) {
      if (entry.element.isConnected) return true;
      try {
        if (entry.observer) entry.observer.disconnect();
        entry.map.remove();
      } catch (ignored) { /* already gone */ }
      return false;
    });
  }

  function scan() {
    forgetDetached();
    var elements = document.querySelectorAll(".archive-map");
    for (var i = 0; i < elements.length; i++) initialise(elements[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
  // Material for MkDocs: document$ emits after every (instant) page load, including the first.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { scan(); });
  }
})();
