/*
 * Entities index (entities/index.html): a filter-as-you-type box, a sort (most mentioned, or A–Z) and a type
 * facet over the page's A–Z lists, with a live count ("123 of 980 shown").
 *
 * Contract with entities_index.html.j2: an empty `.archive-entities-tools` (filled here, so a page without
 * scripts shows the plain A–Z lists) and `.archive-entities-az` holding, per type, an `h2[data-type]` and
 * entries `li[data-type][data-name]` (data-name: the A–Z key, subjects.az_key: folded, a leading "a", "the"
 * or "al-" passed over) with `.archive-count__mentions`. With scripts the entries are moved into one list,
 * each with its type shown, sorted and filtered here. A fragment naming a type's heading (#people) selects
 * that type.
 *
 * Names are only read (textContent) and compared; everything added is built with createElement and
 * textContent: nothing is parsed as HTML.
 */
(function () {
  "use strict";

  var TYPES = [["person", "Person", "People"], ["organisation", "Organisation", "Organisations"],
    ["facility", "Facility", "Facilities"], ["other", "Other", "Other names"]];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Case and accents folded, spaces collapsed: what the filter box compares.
  function fold(text) {
    var s = String(text || "");
    if (s.normalize) s = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    return s.toLowerCase().replace(/\s+/g, " ").trim();
  }

  function init() {
    var tools = document.querySelector(".archive-entities-tools");
    var az = document.querySelector(".archive-entities-az");
    if (!tools || !az || tools.getAttribute("data-entities-state") === "ready") return;

    var items = Array.prototype.map.call(az.querySelectorAll("li[data-type]"), function (li) {
      var link = li.querySelector("a");
      var mentions = li.querySelector(".archive-count__mentions");
      var name = link ? link.textContent : li.textContent;
      return {
        li: li, type: li.getAttribute("data-type") || "other",
        key: li.getAttribute("data-name") || fold(name), text: fold(name),
        mentions: mentions ? parseInt(mentions.textContent, 10) || 0 : 0
      };
    });
    if (!items.length) return;

    var counts = {};
    items.forEach(function (it) { counts[it.type] = (counts[it.type] || 0) + 1; });
    var types = TYPES.filter(function (t) { return counts[t[0]]; });
    Object.keys(counts).forEach(function (t) {
      if (!types.some(function (k) { return k[0] === t; })) types.push([t, t, t]);
    });

    /* the controls */
    var form = el("form", { "class": "archive-entities-tools__form", role: "search", "aria-label": "Filter and sort the entities" });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var filterRow = el("div", { "class": "archive-entities-tools__field" });
    filterRow.appendChild(el("label", { "for": "entities-filter" }, "Filter names"));
    var input = el("input", { type: "search", id: "entities-filter", autocomplete: "off", spellcheck: "false",
      placeholder: "Type part of a name", "aria-controls": "entities-list" });
    filterRow.appendChild(input);

    var sortRow = el("div", { "class": "archive-entities-tools__field" });
    sortRow.appendChild(el("label", { "for": "entities-sort" }, "Sort by"));
    var sort = el("select", { id: "entities-sort", "aria-controls": "entities-list" });
    sort.appendChild(el("option", { value: "mentions" }, "Most mentioned"));
    sort.appendChild(el("option", { value: "name" }, "Name (A–Z)"));
    sortRow.appendChild(sort);

    var facet = el("fieldset", { "class": "archive-entities-tools__types" });
    facet.appendChild(el("legend", {}, "Type"));
    var boxes = {};
    types.forEach(function (t) {
      var id = "entities-type-" + t[0];
      var row = el("span", { "class": "archive-entities-tools__type" });
      var box = el("input", { type: "checkbox", id: id, value: t[0], "aria-controls": "entities-list" });
      box.checked = true;
      var label = el("label", { "for": id }, t[2] + " ");
      label.appendChild(el("span", { "class": "archive-count" }, counts[t[0]]));
      row.appendChild(box); row.appendChild(label);
      facet.appendChild(row);
      boxes[t[0]] = box;
    });

    var status = el("p", { "class": "archive-entities-tools__status", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    form.appendChild(filterRow); form.appendChild(sortRow); form.appendChild(facet);
    tools.appendChild(form);
    tools.appendChild(status);

    /* one list of every entry, each with its type */
    var list = el("ul", { id: "entities-list", "class": "archive-entities-list", "aria-label": "Entities" });
    var labels = {};
    types.forEach(function (t) { labels[t[0]] = t[1]; });
    items.forEach(function (it) {
      var tag = el("span", { "class": "archive-legend archive-legend--" + it.type }, labels[it.type] || it.type);
      it.li.insertBefore(document.createTextNode(" "), it.li.firstChild);
      it.li.insertBefore(tag, it.li.firstChild);
    });
    var empty = el("p", { "class": "archive-entities-tools__empty", hidden: "" }, "No entity matches.");
    az.hidden = true;
    az.parentNode.insertBefore(list, az);
    az.parentNode.insertBefore(empty, az);

    function byName(a, b) {
      return a.key < b.key ? -1 : a.key > b.key ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
    }
    function byMentions(a, b) { return b.mentions - a.mentions || byName(a, b); }

    var sorted = null;
    function applySort() {
      sorted = items.slice().sort(sort.value === "name" ? byName : byMentions);
      var frag = document.createDocumentFragment();
      sorted.forEach(function (it) { frag.appendChild(it.li); });
      list.appendChild(frag);
    }

    function applyFilter() {
      var query = fold(input.value);
      var shown = 0;
      items.forEach(function (it) {
        var keep = boxes[it.type].checked && (!query || it.text.indexOf(query) !== -1 || it.key.indexOf(query) !== -1);
        it.li.hidden = !keep;
        if (keep) shown += 1;
      });
      status.textContent = shown + " of " + items.length + " shown";
      empty.hidden = shown !== 0;
    }

    // A fragment naming a type's heading (#people, from an older link) selects that type alone.
    function fromHash() {
      var id = decodeURIComponent(window.location.hash.replace(/^#/, ""));
      if (!id) return;
      var heading = document.getElementById(id);
      if (!heading || !az.contains(heading) || !boxes[heading.getAttribute("data-type")]) return;
      Object.keys(boxes).forEach(function (t) { boxes[t].checked = t === heading.getAttribute("data-type"); });
      applyFilter();
      tools.scrollIntoView();
    }

    input.addEventListener("input", applyFilter);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && input.value) { input.value = ""; applyFilter(); e.stopPropagation(); }
    });
    sort.addEventListener("change", applySort);
    Object.keys(boxes).forEach(function (t) { boxes[t].addEventListener("change", applyFilter); });
    window.addEventListener("hashchange", fromHash);

    applySort();
    applyFilter();
    fromHash();
    tools.setAttribute("data-entities-state", "ready");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
