/*
 * Reading aids, all optional (every page works without them):
 *
 *   a[data-archive-preview]  Hover or focus a link to an entity or place: after a short pause a popover
 *                            shows the page's type and counts (its `.archive-subject-meta`) and its first
 *                            quoted sentence, read from the linked page itself (fetched once, same site).
 *                            Not `data-preview`: Material mounts its own instant previews on that attribute
 *                            and fetches the whole sitemap.xml on every page that has one.
 *   a[data-permalink]        The "Cite this page" link shows its full address (the build knows only the
 *                            path).
 *   .archive-network         An entity's co-occurrence network from its `data-network` JSON
 *                            ({nodes: [{id, name, kind, type, url}], links: [{source, target,
 *                            weight}]}; a node's size is its weight to the first node, the subject), laid out with d3-force (vendor/d3-force/, ISC, loaded only on
 *                            pages that have a network) and drawn as SVG; each node links to its page.
 *   .archive-browse          The browse page: facets over `data-browse` (data/browse.json; see
 *                            builder/render/browse.py), filtered here.
 *
 * Untrusted text (titles, names, sentences) only ever reaches the DOM through textContent or
 * attribute setters; no HTML is built from strings. Nothing is written to the console.
 */
(function () {
  "use strict";

  var SCRIPT_URL = document.currentScript ? document.currentScript.src : "";
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* ---------- previews ---------- */
  var previewCache = {};
  var popover = null;
  var showTimer = null;
  var previewFor = null;

  function ensurePopover() {
    if (!popover) {
      popover = el("div", { id: "archive-preview", role: "tooltip", "class": "archive-preview", hidden: "" });
      document.body.appendChild(popover);
    }
    return popover;
  }

  function loadPreview(href) {
    if (!previewCache[href]) {
      previewCache[href] = fetch(href, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      }).then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var h1 = doc.querySelector(".archive-page h1");
        var meta = doc.querySelector(".archive-subject-meta");
        var quote = doc.querySelector(".archive-entry blockquote");
        return {
          name: h1 ? h1.textContent.trim() : "",
          meta: meta ? meta.textContent.replace(/\s+/g, " ").trim() : "",
          quote: quote ? quote.textContent.replace(/\s+/g, " ").trim() : ""
        };
      }).catch(function () { return null; });
    }
    return previewCache[href];
  }

  function placePopover(link) {
    var rect = link.getBoundingClientRect();
    var width = Math.min(340, document.documentElement.clientWidth - 16);
    popover.style.width = width + "px";
    var left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    popover.style.left = left + "px";
    popover.style.top = (rect.bottom + window.scrollY + 6) + "px";
  }

  function showPreview(link) {
    previewFor = link;
    loadPreview(link.href).then(function (data) {
      if (previewFor !== link || !data) return;
      var box = ensurePopover();
      box.textContent = "";
      box.appendChild(el("strong", { "class": "archive-preview__name" }, data.name || link.textContent));
      if (data.meta) box.appendChild(el("span", { "class": "archive-preview__meta" }, data.meta));
      if (data.quote) box.appendChild(el("span", { "class": "archive-preview__quote" }, "“" + data.quote + "”"));
      box.hidden = false;
      link.setAttribute("aria-describedby", "archive-preview");
      placePopover(link);
    });
  }

  function hidePreview() {
    clearTimeout(showTimer);
    if (previewFor) previewFor.removeAttribute("aria-describedby");
    previewFor = null;
    if (popover) popover.hidden = true;
  }

  function previewTarget(event) {
    var t = event.target;
    return t && t.closest ? t.closest("a[data-archive-preview]") : null;
  }

  function schedule(event) {
    var link = previewTarget(event);
    if (!link || link === previewFor) return;
    hidePreview();
    showTimer = setTimeout(function () { showPreview(link); }, 300);
  }

  document.addEventListener("mouseover", schedule);
  document.addEventListener("focusin", schedule);
  document.addEventListener("mouseout", function (e) { if (previewTarget(e)) hidePreview(); });
  document.addEventListener("focusout", function (e) { if (previewTarget(e)) hidePreview(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hidePreview(); });

  /* ---------- permalinks ---------- */
  function permalinks() {
    document.querySelectorAll("a[data-permalink]").forEach(function (a) { a.textContent = a.href; });
  }

  /* ---------- co-occurrence network ---------- */
  var D3_FILES = ["d3-dispatch.min.js", "d3-quadtree.min.js", "d3-timer.min.js", "d3-force.min.js"];

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(s);
    });
  }

  function loadD3() {
    if (window.d3 && window.d3.forceSimulation) return Promise.resolve(window.d3);
    var base = new URL("vendor/d3-force/", SCRIPT_URL || document.baseURI).href;
    return D3_FILES.reduce(function (p, f) { return p.then(function () { return loadScript(base + f); }); }, Promise.resolve())
      .then(function () { return window.d3; });
  }

  var KIND_LABEL = { person: "Person", organisation: "Organisation", facility: "Facility", other: "Other name" };

  function drawNetwork(box, d3) {
    var data;
    try { data = JSON.parse(box.getAttribute("data-network")); } catch (e) { box.setAttribute("data-network-state", "failed"); return; }
    var rootUrl = box.getAttribute("data-root") || "";
    var width = Math.max(340, Math.min(760, box.clientWidth || 760));  // drawn at the box's own size: readable labels on phones
    var height = Math.round(width * 0.7);
    var scale = width / 760;
    var nodes = data.nodes.map(function (n, i) { return Object.assign({ index: i }, n); });
    var links = data.links.map(function (l) { return Object.assign({}, l); });
    var maxWeight = Math.max.apply(null, links.map(function (l) { return l.weight; }).concat([1]));
    var weightTo = {};
    links.forEach(function (l) { if (l.source === nodes[0].id) weightTo[l.target] = l.weight; });
    var maxSpoke = Math.max.apply(null, Object.keys(weightTo).map(function (k) { return weightTo[k]; }).concat([1]));
    nodes[0].fx = width / 2; nodes[0].fy = height / 2;
    var sim = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(links).id(function (d) { return d.id; })
        .distance(function (l) { return scale * ((l.source.index === 0 ? 230 : 140) - 100 * (l.weight / maxWeight)); }).strength(function (l) { return 0.15 + 0.5 * l.weight / maxWeight; }))
      .force("charge", d3.forceManyBody().strength(-600 * scale))
      .force("collide", d3.forceCollide(34 * scale))
      .force("x", d3.forceX(width / 2).strength(0.05))
      .force("y", d3.forceY(height / 2).strength(0.07))
      .stop();
    for (var i = 0; i < 300; i++) sim.tick();
    nodes.forEach(function (n) {
      n.x = Math.max(60 * scale, Math.min(width - 60 * scale, n.x));
      n.y = Math.max(20, Math.min(height - 34, n.y));
    });
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("class", "archive-network__svg");
    svg.setAttribute("role", "group");
    svg.setAttribute("aria-label", "Co-occurrence network of " + nodes[0].name + ": " + (nodes.length - 1) + " names and places");
    var edgeLayer = document.createElementNS(SVG, "g");
    edgeLayer.setAttribute("aria-hidden", "true");
    links.forEach(function (l) {
      var line = document.createElementNS(SVG, "line");
      line.setAttribute("x1", l.source.x); line.setAttribute("y1", l.source.y);
      line.setAttribute("x2", l.target.x); line.setAttribute("y2", l.target.y);
      line.setAttribute("stroke-width", (0.8 + 5 * l.weight / maxWeight).toFixed(2));
      line.setAttribute("class", "archive-network__edge" + (l.source.index === 0 ? " archive-network__edge--center" : " archive-network__edge--tie"));
      var title = document.createElementNS(SVG, "title");
      title.textContent = l.source.name + " – " + l.target.name + ": " + l.weight + " shared article" + (l.weight === 1 ? "" : "s");
      line.appendChild(title);
      edgeLayer.appendChild(line);
    });
    svg.appendChild(edgeLayer);
    nodes.forEach(function (n, idx) {
      var a = document.createElementNS(SVG, "a");
      a.setAttribute("href", rootUrl + n.url);
      var kind = n.kind === "entity" ? (KIND_LABEL[n.type] || "Name") : "Place";
      var label = n.name + " (" + kind.toLowerCase() + ")" + (idx === 0 ? "" : ": " + (weightTo[n.id] || 0) + " shared article" + (weightTo[n.id] === 1 ? "" : "s"));
      a.setAttribute("aria-label", label);
      a.setAttribute("class", "archive-network__node archive-network__node--" + (n.kind === "entity" ? n.type : "place") + (idx === 0 ? " archive-network__node--center" : ""));
      var circle = document.createElementNS(SVG, "circle");
      circle.setAttribute("cx", n.x); circle.setAttribute("cy", n.y);
      circle.setAttribute("r", (idx === 0 ? 14 : 5 + 9 * Math.sqrt((weightTo[n.id] || 0) / maxSpoke)).toFixed(1));
      var title = document.createElementNS(SVG, "title");
      title.textContent = label;
      circle.appendChild(title);
      var text = document.createElementNS(SVG, "text");
      text.setAttribute("x", n.x); text.setAttribute("y", n.y + (idx === 0 ? 28 : 22));
      text.setAttribute("text-anchor", "middle");
      text.textContent = n.name;
      a.appendChild(circle); a.appendChild(text);
      svg.appendChild(a);
    });
    var legend = el("p", { "class": "archive-network__legend" });
    [["person", "Person"], ["organisation", "Organisation"], ["facility", "Facility"], ["other", "Other name"], ["place", "Place"]].forEach(function (k) {
      if (!nodes.some(function (n) { return (n.kind === "entity" ? n.type : "place") === k[0]; })) return;
      var item = el("span", { "class": "archive-legend archive-legend--" + k[0] }, k[1]);
      legend.appendChild(item);
      legend.appendChild(document.createTextNode(" "));
    });
    legend.appendChild(document.createTextNode("Line width: shared articles; dashed: the strongest ties between the others."));
    box.appendChild(svg);
    box.appendChild(legend);
    box.setAttribute("data-network-state", "ready");
  }

  function networks() {
    var boxes = document.querySelectorAll(".archive-network[data-network]");
    if (!boxes.length) return;
    loadD3().then(function (d3) {
      boxes.forEach(function (box) { drawNetwork(box, d3); });
    }).catch(function () {
      boxes.forEach(function (box) { box.setAttribute("data-network-state", "failed"); });
    });
  }

  /* ---------- browse ---------- */
  var TYPE_LABELS = { article: "Article", person: "Person", organisation: "Organisation", facility: "Facility",
    other: "Other name", place: "Place", country: "Country", neighbourhood: "Neighbourhood", region: "Region" };
  var PAGE = 50;
  var FACET_SHOWN = 12;

  function browse(box) {
    var url = box.getAttribute("data-browse");
    var root = box.getAttribute("data-root") || "";
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (data) { buildBrowse(box, root, data); })
      .catch(function () { box.setAttribute("data-browse-state", "failed"); });
  }

  function buildBrowse(box, root, data) {
    // facet: [name, label, item field, value labels]
    var facets = [
      ["type", "Type", 0, data.types.map(function (t) { return TYPE_LABELS[t] || t; })],
      ["year", "Year", 4, null],
      ["source", "Source", 5, data.sources],
      ["place", "Place", 6, data.places.map(function (p) { return p[1]; })],
      ["entity", "Entity", 7, data.entities.map(function (e) { return e[1]; })]
    ];
    var selected = {};
    facets.forEach(function (f) { selected[f[0]] = new Set(); });
    var shown = PAGE;

    function values(item, f) {
      var v = item[f[2]];
      return Array.isArray(v) ? v : [v];
    }
    function matches(item, skip) {
      return facets.every(function (f) {
        if (f[0] === skip || !selected[f[0]].size) return true;
        return values(item, f).some(function (v) { return selected[f[0]].has(v); });
      });
    }

    box.textContent = "";
    var layout = el("div", { "class": "archive-browse__layout" });
    var side = el("details", { "class": "archive-browse__facets" });
    var sideSummary = el("summary", {}, "Filters");
    side.appendChild(sideSummary);
    side.open = !window.matchMedia || !window.matchMedia("(max-width: 44.9375em)").matches;  // closed on phones: results first
    var main = el("div", { "class": "archive-browse__results" });
    var status = el("p", { "class": "archive-browse__status", role: "status", "aria-live": "polite" });
    var clear = el("button", { type: "button", "class": "archive-browse__clear md-button" }, "Clear all filters");
    var list = el("ol", { "class": "archive-browse__list" });
    var more = el("button", { type: "button", "class": "archive-browse__more md-button" }, "Show more");
    main.appendChild(status); main.appendChild(clear); main.appendChild(list); main.appendChild(more);
    layout.appendChild(side); layout.appendChild(main);
    box.appendChild(layout);

    var facetBoxes = {};
    facets.forEach(function (f) {
      var fs = el("fieldset", { "class": "archive-browse__facet", "data-facet": f[0] });
      fs.appendChild(el("legend", {}, f[1]));
      var opts = el("div", { "class": "archive-browse__options" });
      fs.appendChild(opts);
      side.appendChild(fs);
      facetBoxes[f[0]] = { fieldset: fs, options: opts, expanded: false };
    });

    function label(f, v) { return f[3] ? f[3][v] : String(v); }

    function renderFacets() {
      facets.forEach(function (f) {
        var counts = new Map();
        data.items.forEach(function (item) {
          if (!matches(item, f[0])) return;
          values(item, f).forEach(function (v) { counts.set(v, (counts.get(v) || 0) + 1); });
        });
        selected[f[0]].forEach(function (v) { if (!counts.has(v)) counts.set(v, 0); });
        var entries = Array.from(counts.entries());
        if (f[0] === "year") entries.sort(function (a, b) { return b[0] - a[0]; });
        else entries.sort(function (a, b) { return b[1] - a[1] || String(label(f, a[0])).localeCompare(String(label(f, b[0]))); });
        var fb = facetBoxes[f[0]];
        fb.options.textContent = "";
        var limit = fb.expanded ? entries.length : FACET_SHOWN;
        entries.forEach(function (e, i) {
          if (i >= limit && !selected[f[0]].has(e[0])) return;
          var id = "facet-" + f[0] + "-" + e[0];
          var row = el("div", { "class": "archive-browse__option" });
          var input = el("input", { type: "checkbox", id: id, value: String(e[0]) });
          input.checked = selected[f[0]].has(e[0]);
          input.addEventListener("change", function () {
            if (input.checked) selected[f[0]].add(e[0]); else selected[f[0]].delete(e[0]);
            shown = PAGE;
            update();
            var again = document.getElementById(id);
            if (again) again.focus();
          });
          var lab = el("label", { "for": id }, label(f, e[0]));
          lab.appendChild(el("span", { "class": "archive-count" }, e[1]));
          row.appendChild(input); row.appendChild(lab);
          fb.options.appendChild(row);
        });
        if (entries.length > FACET_SHOWN) {
          var toggle = el("button", { type: "button", "class": "archive-browse__toggle", "aria-expanded": String(fb.expanded) },
            fb.expanded ? "Show fewer" : "Show all " + entries.length);
          toggle.addEventListener("click", function () { fb.expanded = !fb.expanded; renderFacets(); });
          fb.options.appendChild(toggle);
        }
      });
    }

    function renderResults() {
      var found = data.items.filter(function (item) { return matches(item, null); });
      var active = facets.reduce(function (n, f) { return n + selected[f[0]].size; }, 0);
      status.textContent = found.length + " of " + data.items.length + (data.items.length === 1 ? " item" : " items") +
        (active ? " match the filters." : ".");
      clear.hidden = !active;
      sideSummary.textContent = active ? "Filters (" + active + " selected)" : "Filters";
      list.textContent = "";
      found.slice(0, shown).forEach(function (item) {
        var li = el("li", { "class": "archive-browse__item" });
        var type = data.types[item[0]];
        li.appendChild(el("span", { "class": "archive-legend archive-legend--" + (type === "article" ? "article" : type) }, TYPE_LABELS[type] || type));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("a", { href: root + item[2] }, item[1]));
        var meta = [];
        if (item[3]) meta.push(item[3]);
        if (type === "article" && item[5].length) meta.push(data.sources[item[5][0]]);
        if (meta.length) li.appendChild(el("span", { "class": "archive-entry__meta" }, " · " + meta.join(" · ")));
        list.appendChild(li);
      });
      more.hidden = found.length <= shown;
      more.textContent = "Show " + Math.min(PAGE, found.length - shown) + " more";
    }

    function update() { renderFacets(); renderResults(); }

    clear.addEventListener("click", function () {
      facets.forEach(function (f) { selected[f[0]].clear(); });
      shown = PAGE;
      update();
    });
    more.addEventListener("click", function () { shown += PAGE; renderResults(); });
    update();
    box.setAttribute("data-browse-state", "ready");
  }

  function init() {
    permalinks();
    networks();
    document.querySelectorAll(".archive-browse[data-browse]").forEach(browse);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
