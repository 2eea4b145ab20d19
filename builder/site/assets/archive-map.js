/*
 * Archive maps: turns every `.archive-map` element into a Leaflet map (Leaflet is shipped with the
 * site in assets/archive/vendor/leaflet/; nothing is fetched from a CDN).
 *
 * Contract with the templates (all attributes are read once, when the element is initialised):
 *
 *   data-tiles        Tile URL template, e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png".
 *                     Empty or absent: no tile layer is drawn (markers on a plain background). The
 *                     templates pass "" when the tile URL is configured as empty: offline builds and
 *                     the browser tests use that, because the browser itself logs every failed tile
 *                     request as a console error, which no script can suppress.
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
 *                     linking to its page; the view is fitted to the markers.
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
    var tiles = (element.getAttribute("data-tiles") || "").trim();
    if (tiles) {
      window.L.tileLayer(tiles, {
        attribution: escapeHtml(element.getAttribute("data-attribution") || ""),
        maxZoom: 19,
      }).addTo(map);
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
      out.push({
        lat: lat,
        lon: lon,
        name: p.name === undefined || p.name === null ? "" : String(p.name),
        url: safeRelative(p.url),
        mentions: mentions > 0 ? mentions : 0,
      });
    });
    return out;
  }

  function popup(point, root) {
    return function () {
      var box = document.createElement("div");
      box.className = "archive-map__popup";
      var title = document.createElement(point.url ? "a" : "strong");
      title.textContent = point.name || "(unnamed)";
      if (point.url) title.setAttribute("href", root + point.url);
      box.appendChild(title);
      var count = document.createElement("div");
      count.className = "archive-map__mentions";
      count.textContent = point.mentions === 1 ? "1 mention" : point.mentions + " mentions";
      box.appendChild(count);
      return box;
    };
  }

  function drawCollection(element, collection) {
    var list = points(collection);
    if (!list.length) return fail(element, "no valid points in the GeoJSON");
    var root = siteRoot(element);
    var most = list.reduce(function (m, p) { return Math.max(m, p.mentions); }, 0) || 1;
    // Largest first, so smaller circles are drawn on top and stay clickable.
    list.sort(function (a, b) { return b.mentions - a.mentions; });
    var map = createMap(element);
    var bounds = window.L.latLngBounds([]);
    list.forEach(function (point) {
      var radius = Math.max(4, 22 * Math.sqrt(point.mentions / most));
      var marker = window.L.circleMarker([point.lat, point.lon], { radius: radius, className: "archive-map__marker" });
      marker.bindPopup(popup(point, root));
      if (point.name) marker.bindTooltip(textNode(point.name));
      marker.addTo(map);
      bounds.extend([point.lat, point.lon]);
    });
    if (list.length === 1) map.setView(bounds.getCenter(), 8);
    else map.fitBounds(bounds, { padding: [24, 24], maxZoom: 10 });
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

  function initialise(element) {
    if (element.hasAttribute(STATE)) return;
    try {
      if (!window.L || typeof window.L.map !== "function") return fail(element, "Leaflet is not loaded");
      if (element.getAttribute("data-geojson")) loadCollection(element);
      else drawPoint(element);
    } catch (reason) {
      fail(element, reason);
    }
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
