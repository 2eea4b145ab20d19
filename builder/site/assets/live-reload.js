// `archive serve` only (never in a built site): reload the page when the preview has been rebuilt.
// The server answers /__archive__/reload?since=N when build N+1 is done (long poll).
(function () {
  "use strict";
  var since = null;
  function poll() {
    fetch("/__archive__/reload?since=" + (since === null ? "-1" : since), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (since !== null && data.build > since) { window.location.reload(); return; }
        since = data.build;
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
