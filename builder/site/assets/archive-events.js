/*
 * Events index filter: shows only the timeline entries matching the chosen type, actor and place.
 * Contract with events_index.html.j2: a `form.archive-event-filter` (hidden until this script runs, so a page
 * without scripts shows the whole list) with selects named type, actor and place and an output named shown;
 * entries are `.archive-event-timeline li` with data-type, data-place and data-actors ("A|B"). Month sections
 * left empty are hidden. Text is only compared, never inserted as HTML.
 */
(function () {
  "use strict";
  function init() {
    var form = document.querySelector("form.archive-event-filter");
    if (!form || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var items = Array.prototype.slice.call(document.querySelectorAll(".archive-event-timeline li"));
    var sections = Array.prototype.slice.call(document.querySelectorAll(".archive-event-timeline section"));
    function apply() {
      var type = form.elements.type.value, actor = form.elements.actor.value, place = form.elements.place.value;
      var shown = 0;
      items.forEach(function (li) {
        var actors = (li.getAttribute("data-actors") || "").split("|");
        var ok = (!type || li.getAttribute("data-type") === type) && (!place || li.getAttribute("data-place") === place)
          && (!actor || actors.indexOf(actor) !== -1);
        li.hidden = !ok;
        if (ok) shown += 1;
      });
      sections.forEach(function (section) {
        section.hidden = !section.querySelector("li:not([hidden])");
      });
      form.elements.shown.value = shown + " of " + items.length + " shown";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }
  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(init); // Material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
