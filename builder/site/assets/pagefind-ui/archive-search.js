/* The archive's search box: Material's header search, driven by Pagefind.
 *
 * Markup: builder/site/overrides/partials/search.html (Material's classes, so Material's CSS styles
 * it in light and dark). Nothing is fetched until the box is opened or typed in: then
 * pagefind/pagefind.js is imported, the other shards of the index are merged into it (see load()),
 * and it fetches its worker, wasm and only the index chunks and result fragments a query needs. Filters (type, year, source) come from the data-pagefind-filter
 * attributes of article, entity and location pages: OR within a group, AND across groups. Their
 * files are fetched only when a filter group is first opened.
 *
 * Result text is never parsed as HTML: Pagefind's excerpts hold the page's raw text with <mark>
 * around matches, so they are split on the marks and inserted as text nodes.
 *
 * Best match (issue 19): Pagefind ranks by words in the text, so the page a query names can come far
 * down. As the query is typed, the name-index shard of its first two characters is fetched
 * (data/names/<cc>.json, builder/render/names.py): every entity and place page with a name or alias, folded,
 * that starts there. When the folded query equals one of them, or is a whole-word
 * prefix of one, that page is listed first as "Best match" (exact before prefix, then most mentioned;
 * at most BEST_MAX pages, only when no filter is set). `fold` below is names.py's `fold`, step for step.
 * Names are text (textContent), and a URL that does not stay on this site is skipped.
 */
(() => {
  "use strict";

  const LOADER = new URL("pagefind-loader.js", document.currentScript ? document.currentScript.src : location.href).href;

  function importModule(url) {
    // import() from here is refused by the page's policy ('strict-dynamic': this script is named by the page's
    // HTML); a module script this script adds may import (see pagefind-loader.js).
    if (window.__archiveImport) return window.__archiveImport(url);
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.type = "module";
      script.src = LOADER;
      script.onload = () => (window.__archiveImport ? window.__archiveImport(url).then(resolve, reject) : reject(new Error("loader")));
      script.onerror = () => reject(new Error("could not load " + LOADER));
      document.head.appendChild(script);
    });
  }

  const root = document.querySelector("[data-archive-search]");
  const toggle = document.getElementById("__search");
  if (!root || !toggle) return;

  const input = root.querySelector("[data-archive-search-input]");
  const form = input.form;
  const list = root.querySelector("[data-archive-search-list]");
  const meta = root.querySelector("[data-archive-search-meta]");
  const facetsBox = root.querySelector("[data-archive-search-filters]");
  const more = root.querySelector("[data-archive-search-more]");

  const PAGE_SIZE = 10;
  const BEST_MAX = 3;
  const DEBOUNCE_MS = 200;
  const FACETS = [["type", "Type"], ["year", "Year"], ["source", "Source"]];
  const TYPE_LABELS = {
    article: "Article", person: "Person", organisation: "Organisation", facility: "Facility",
    other: "Other name", place: "Place", country: "Country", neighbourhood: "Neighbourhood",
  };
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  const selected = Object.fromEntries(FACETS.map(([name]) => [name, new Set()]));
  const facetEls = {};
  let pagefind = null; // the promise of the imported module
  let allFilters = null; // {name: {value: count}} over the whole index
  let generation = 0; // bumped by every new search; stale ones drop their results
  let results = [];
  let rendered = 0;
  const names = new Map(); // shard → the promise of data/names/<shard>.json's pages, [] when it could not be loaded
  let shardList = null; // the promise of the set of shards data/names/shards.json lists
  let bestUrls = new Set(); // the best matches shown, left out of Pagefind's list below them

  const text = (key, n) => (root.dataset["t" + key] || "").replace("#", String(n));
  const make = (tag, className, content) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  };

  // The index is in shards (builder/site/pagefind.py): pagefind/shards.json names the folders of pagefind/ that
  // hold them. The first shard's pagefind.js is imported (it brings the worker and the wasm) and the others are
  // merged into it with Pagefind's mergeIndex: each fetches its small entry and meta files, then only the index
  // chunks a query needs. A search queries every shard and ranks their results together by score; filter counts
  // are summed. No shard listed (the preview's index): pagefind/ itself is the one bundle.
  function shardsOf(manifestUrl) {
    return fetch(manifestUrl, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { shards: [] }))
      .then((data) => (Array.isArray(data && data.shards) ? data.shards : [])
        .filter((name) => typeof name === "string" && /^[a-z0-9-]+$/.test(name))
        .map((name) => new URL(name + "/", manifestUrl)))
      .catch(() => []);
  }

  function load() {
    if (!pagefind) {
      const base = new URL((root.dataset.base || ".") + "/", location.href);
      const bundle = new URL(root.dataset.bundle, location.href);
      const settings = { baseUrl: base.pathname, excerptLength: 24 };
      pagefind = shardsOf(new URL("shards.json", bundle).href).then(async (shards) => {
        const module = await importModule(shards.length ? new URL("pagefind.js", shards[0]).href : bundle.href);
        await module.options(settings);
        await module.init();
        await Promise.all(shards.slice(1).map((folder) => module.mergeIndex(folder.pathname, settings)));
        return module;
      });
      pagefind.catch(() => { pagefind = null; }); // let a later attempt retry
    }
    return pagefind;
  }

  /* --- best match ------------------------------------------------------------------------------- */

  // builder/render/names.py's fold(): change both together (tests/test_names_index.py has the vectors).
  // fold: begin (tests/test_search_best_match_browser.py runs this part on its own)
  const APOSTROPHES = /['\u2019\u2018\u02bc\u02bb\u02bf\u02be`\u00b4]/gu;
  const ARTICLES = new Set(["al", "el"]);
  const EQUIVALENCES = [["sch", "sh"], ["kh", "k"], ["ou", "u"], ["oo", "u"], ["ee", "i"]];
  function fold(value) {
    const text = String(value || "").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(APOSTROPHES, "").replace(/[^\p{L}\p{N}]/gu, " ");
    const words = text.split(" ").filter(Boolean);
    const kept = words.filter((word) => !ARTICLES.has(word));
    return (kept.length ? kept : words).map((word) => {
      for (const [a, b] of EQUIVALENCES) word = word.split(a).join(b);
      return word.replace(/(.)\1+/gu, "$1");
    }).join(" ");
  }
  // fold: end

  function siteBase() {
    return new URL((root.dataset.base || ".") + "/", location.href);
  }

  /* The name-index shard of a folded query: its first two characters, each a letter or digit or "_" for
     anything else (builder/render/names.py shard_of: the same rule). */
  function shardOf(key) {
    return Array.from((key + "__").slice(0, 2), (c) => (/^[a-z0-9]$/.test(c) ? c : "_")).join("");
  }

  /* data/names/shards.json: the shards that exist (a query whose first two characters start no name asks for none). */
  function loadShardList() {
    if (!shardList) {
      shardList = fetch(new URL("data/names/shards.json", siteBase()).href, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
        .then((list) => new Set(Array.isArray(list) ? list.map(String) : []))
        .catch((error) => {
          console.warn("archive search: no name index:", error);
          return new Set();
        });
    }
    return shardList;
  }

  async function loadNames(query) {
    const key = fold(query || "");
    if (!key) return [];
    const shard = shardOf(key);
    if (!(await loadShardList()).has(shard)) return [];
    if (!names.has(shard)) {
      const base = siteBase();
      names.set(shard, fetch(new URL(`data/names/${shard}.json`, base).href, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
        .then((data) => (Array.isArray(data && data.pages) ? data.pages : []).flatMap((row) => {
          if (!Array.isArray(row) || typeof row[0] !== "string" || !Array.isArray(row[3]) || !Array.isArray(row[4])) return [];
          const url = new URL(row[0], base);
          if (url.origin !== base.origin) return [];
          return [{ url: url.href, type: String(row[1] || ""), mentions: Number(row[2]) || 0,
            names: row[3].map(String), keys: row[4].map(String) }];
        }))
        .catch((error) => {
          console.warn("archive search: no name index:", error);
          return [];
        }));
    }
    return names.get(shard);
  }

  function bestMatches(pages, query) {
    const q = fold(query);
    if (!q) return [];
    const found = [];
    pages.forEach((page, order) => {
      let best = null;
      page.keys.forEach((key, i) => {
        const rank = key === q ? 0 : key && key.startsWith(q + " ") ? 1 : -1;
        if (rank >= 0 && (!best || rank < best.rank)) best = { page, rank, name: page.names[i] || "", order };
      });
      if (best) found.push(best);
    });
    found.sort((a, b) => a.rank - b.rank || b.page.mentions - a.page.mentions || a.order - b.order);
    return found.slice(0, BEST_MAX);
  }

  function bestItem(match) {
    const { page, name } = match;
    const title = page.names[0] || page.url;
    const { item, article } = resultShell("md-search-result__item archive-search__best", page.url);
    const info = [
      valueLabel("type", page.type),
      page.mentions === 1 ? "1 mention" : `${page.mentions} mentions`,
      name && name !== title ? `also “${name}”` : "",
    ].filter(Boolean).join(" · ");
    article.append(make("div", "md-search-result__icon md-icon"),
      make("p", "archive-search__best-label", "Best match"), make("h1", "", title),
      make("p", "archive-search__info", info));
    return item;
  }

  /* One result's list item, link and article, as Material's search results are built. */
  function resultShell(itemClass, url) {
    const item = make("li", itemClass);
    const link = make("a", "md-search-result__link");
    link.href = url;
    link.tabIndex = -1;
    const article = make("article", "md-search-result__article md-search-result__article--document md-typeset");
    link.append(article);
    item.append(link);
    return { item, article };
  }

  function failed(error) {
    meta.textContent = location.protocol === "file:"
      ? "Search needs the site to be served over HTTP (it cannot run from a file:// page)."
      : "Search could not be loaded.";
    if (location.protocol !== "file:") console.warn("archive search:", error);
  }

  async function open() {
    try {
      await load();
    } catch (error) {
      failed(error);
    }
  }

  // The filter files list every page, so they are fetched only when a filter group is first
  // opened (a search without filters needs none of them).
  async function loadFilters() {
    if (allFilters) return;
    const module = await load();
    allFilters = await module.filters();
    for (const [name] of FACETS) {
      const values = Object.keys(allFilters[name] || {});
      if (!values.length && facetEls[name]) facetEls[name].details.hidden = true;
    }
    facetsBox.hidden = FACETS.every(([name]) => !facetEls[name] || facetEls[name].details.hidden);
    if (input.value.trim() || hasFilters()) search(0);
    else updateFacets(allFilters);
  }

  function setOpen(state) {
    if (toggle.checked !== state) toggle.click(); // a click fires "change", which Material listens to
  }

  /* --- filters ---------------------------------------------------------------------------- */

  function activeFilters(except) {
    const filters = {};
    for (const [name] of FACETS) {
      if (name !== except && selected[name].size) filters[name] = { any: [...selected[name]] };
    }
    return filters;
  }

  const hasFilters = () => FACETS.some(([name]) => selected[name].size);

  function buildFacets() {
    for (const [name, label] of FACETS) {
      const details = make("details", "archive-search__facet");
      details.dataset.facet = name;
      const summary = make("summary", "archive-search__facet-name", label);
      const options = make("div", "archive-search__options");
      options.append(make("span", "archive-search__loading", "Loading…"));
      details.append(summary, options);
      details.addEventListener("toggle", () => {
        if (details.open) loadFilters().catch(failed);
      });
      facetsBox.append(details);
      facetEls[name] = { details, summary, options, label };
    }
    facetsBox.hidden = false;
  }

  function valueLabel(name, value) {
    return name === "type" ? TYPE_LABELS[value] || value.charAt(0).toUpperCase() + value.slice(1) : value;
  }

  function sortedValues(name, counts) {
    const values = Object.keys(counts);
    if (name === "year") return values.sort((a, b) => b.localeCompare(a));
    return values.sort((a, b) => counts[b] - counts[a] || a.localeCompare(b));
  }

  function updateFacets(countsByFacet) {
    for (const [name] of FACETS) {
      const facet = facetEls[name];
      if (!facet) continue;
      const counts = { ...(countsByFacet[name] || {}) };
      for (const value of selected[name]) if (!(value in counts)) counts[value] = 0;
      facet.options.replaceChildren();
      for (const value of sortedValues(name, counts)) {
        if (!counts[value] && !selected[name].has(value)) continue;
        const option = make("label", "archive-search__option");
        const box = make("input");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.checked = selected[name].has(value);
        option.append(box, make("span", "archive-search__value", valueLabel(name, value)),
          make("span", "archive-search__count", String(counts[value])));
        facet.options.append(option);
      }
      const n = selected[name].size;
      facet.summary.textContent = n ? `${facet.label} (${n})` : facet.label;
      facet.details.classList.toggle("archive-search__facet--active", n > 0);
    }
  }

  facetsBox.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    if (box.checked) selected[box.name].add(box.value);
    else selected[box.name].delete(box.value);
    search(0);
  });

  /* --- searching ---------------------------------------------------------------------------- */

  // Our own debounce, not Pagefind's debouncedSearch(): that one preloads the index chunks for every
  // prefix typed ("a", "al", "ale"…), and "a" alone spans many chunks of a big archive.
  let timer = null;
  function search(delayMs = DEBOUNCE_MS) {
    const mine = ++generation;
    clearTimeout(timer);
    if (delayMs) timer = setTimeout(() => run(mine), delayMs);
    else run(mine);
  }

  async function run(mine) {
    const query = input.value.trim();
    if (!query && !hasFilters()) {
      list.replaceChildren();
      bestUrls = new Set();
      more.hidden = true;
      meta.textContent = text("Placeholder");
      if (allFilters) updateFacets(allFilters);
      return;
    }
    let module;
    try {
      module = await load();
    } catch (error) {
      failed(error);
      return;
    }
    if (mine !== generation) return; // typed on while Pagefind loaded
    const term = query || null; // null: every page that passes the filters
    const found = await module.search(term, { filters: activeFilters() });
    if (mine !== generation) return; // a newer search replaced this one
    // Facet counts: for a group with a selection, count as if that group were not filtered, so its
    // other values show what they would add (OR); other groups count within the current results.
    const counts = {};
    for (const [name] of FACETS) {
      if (selected[name].size) {
        const without = await module.search(term, { filters: activeFilters(name) });
        if (mine !== generation) return;
        counts[name] = without.filters[name] || {};
      } else {
        counts[name] = found.filters[name] || {};
      }
    }
    if (allFilters) updateFacets(counts);
    const best = query && !hasFilters() ? bestMatches(await loadNames(query), query) : [];
    if (mine !== generation) return;
    results = found.results;
    rendered = 0;
    list.replaceChildren(...best.map(bestItem));
    bestUrls = new Set(best.map((match) => match.page.url));
    const n = results.length;
    meta.textContent = n === 0 ? text("None") : n === 1 ? text("One") : text("Other", n);
    await showMore(mine);
  }

  async function showMore(mine) {
    const batch = results.slice(rendered, rendered + PAGE_SIZE);
    const pages = await Promise.all(batch.map((result) => result.data()));
    if (mine !== generation) return;
    for (const page of pages) {
      if (!bestUrls.has(new URL(page.url, location.href).href)) list.append(resultItem(page));
    }
    rendered += batch.length;
    more.hidden = rendered >= results.length;
  }

  more.querySelector("button").addEventListener("click", () => showMore(generation));

  function dateLabel(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : "";
  }

  function appendExcerpt(parent, excerpt) {
    let marked = false;
    for (const part of String(excerpt || "").split(/(<mark>|<\/mark>)/)) {
      if (part === "<mark>") marked = true;
      else if (part === "</mark>") marked = false;
      else if (part) parent.append(marked ? make("mark", "", part) : document.createTextNode(part));
    }
  }

  function resultItem(page) {
    const filters = page.filters || {};
    const { item, article } = resultShell("md-search-result__item", page.url);
    const info = [
      (filters.type || []).map((value) => valueLabel("type", value)).join(", "),
      dateLabel(page.meta && page.meta.date),
      (filters.source || []).join(", "),
    ].filter(Boolean).join(" · ");
    const excerpt = make("p", "archive-search__excerpt");
    appendExcerpt(excerpt, page.excerpt);
    article.append(make("div", "md-search-result__icon md-icon"),
      make("h1", "", (page.meta && page.meta.title) || page.url));
    if (info) article.append(make("p", "archive-search__info", info));
    article.append(excerpt);
    return item;
  }

  /* --- opening, closing, keyboard ------------------------------------------------------------ */

  buildFacets();

  input.addEventListener("focus", () => {
    setOpen(true);
    open();
  });
  input.addEventListener("input", () => {
    loadNames(input.value);
    search();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => {
    setTimeout(() => { // the reset happens after this event
      search(0);
      input.focus();
    });
  });
  toggle.addEventListener("change", () => {
    if (toggle.checked) {
      if (document.activeElement !== input) setTimeout(() => input.focus(), 0);
    } else if (document.activeElement === input) {
      input.blur();
    }
  });
  list.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a")) setOpen(false);
  });

  // Focus leaving the box (Tab or Shift+Tab past its ends) closes it, as Escape does. A click on the box's
  // own text, or the window losing focus, moves focus nowhere (no relatedTarget): the box stays open.
  let pointerInside = false;
  root.addEventListener("pointerdown", () => {
    pointerInside = true;
    setTimeout(() => { pointerInside = false; }, 0);
  });
  root.addEventListener("focusout", (event) => {
    const next = event.relatedTarget;
    if (!toggle.checked || pointerInside || !(next instanceof Node) || root.contains(next)) return;
    setOpen(false);
  });

  root.addEventListener("keydown", (event) => {
    if (!toggle.checked) return;
    const links = [input, ...list.querySelectorAll("a[href]")];
    const at = links.indexOf(document.activeElement);
    switch (event.key) {
      case "Escape":
        setOpen(false);
        input.blur();
        break;
      case "Enter":
        if (document.activeElement === input && links.length > 1) {
          event.preventDefault();
          links[1].click();
        }
        break;
      case "ArrowDown":
      case "ArrowUp": {
        if (at < 0) return;
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        links[(at + step + links.length) % links.length].focus();
        break;
      }
      default:
    }
  });

  // Material's shortcuts for its own search box: "/", "s" or "f" opens search from anywhere.
  document.addEventListener("keydown", (event) => {
    if (toggle.checked || event.metaKey || event.ctrlKey || event.altKey) return;
    if (!["/", "s", "f", "S", "F"].includes(event.key)) return;
    const active = document.activeElement;
    if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) return;
    event.preventDefault();
    setOpen(true);
    input.focus();
  });
})();
