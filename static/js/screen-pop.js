// Screen-pop (issue 20): every few seconds ask whether a call has been put through to this
// member of staff, and show it at the top of the page without a reload. The server renders
// the banner (api/_screen_pop.html); this only fetches it. Stops while the tab is hidden.
(function () {
  "use strict";
  var region = document.getElementById("screen-pop");
  if (!region) { return; }
  var url = region.getAttribute("data-poll-url");
  var seconds = parseInt(region.getAttribute("data-poll-seconds"), 10) || 5;
  var last = "";
  function poll() {
    if (document.hidden) { return; }
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        // Only the banner itself: a redirect (to sign-in, or the two-factor step before it is
        // done) would put a whole page inside this one.
        return response.status === 200 && !response.redirected ? response.text() : "";
      })
      .then(function (html) {
        if (html !== last) { region.innerHTML = html; last = html; }
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }
  poll();
  window.setInterval(poll, seconds * 1000);
})();
