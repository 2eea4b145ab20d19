/*
 * Accessibility repairs to the theme's own markup that a stylesheet cannot make (WCAG 2.1 AA; checked by
 * tests/test_accessibility_browser.py with axe-core).
 *
 * - Material's lunr search box is a role="dialog" without a name (axe: aria-dialog-name). It is named
 *   after its own input's label ("Search"), so the name follows the theme's language. The archive's
 *   Pagefind box (overrides/partials/search.html) carries its name in the template already.
 *
 * Runs on every page load, and again after Material's instant navigation (document$).
 */
(function () {
  "use strict";

  function nameSearchDialogs() {
    var dialogs = document.querySelectorAll('.md-search[role="dialog"]:not([aria-label]):not([aria-labelledby])');
    for (var i = 0; i < dialogs.length; i++) {
      var input = dialogs[i].querySelector(".md-search__input");
      var name = (input && (input.getAttribute("aria-label") || input.getAttribute("placeholder"))) || "Search";
      dialogs[i].setAttribute("aria-label", name);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", nameSearchDialogs);
  else nameSearchDialogs();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { nameSearchDialogs(); });
  }
})();
