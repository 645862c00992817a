/* Reports one view of this article to our own server: no cookies, no third party.
   Waits while the page is prerendered or opened in a background tab: those are not reads. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.article || !script.dataset.endpoint) return;
  var sent = false;

  function send() {
    if (sent || document.prerendering || document.visibilityState === "hidden") return;
    sent = true;
    var body = new URLSearchParams({ article: script.dataset.article });
    if (navigator.sendBeacon && navigator.sendBeacon(script.dataset.endpoint, body)) return;
    if (window.fetch) {
      fetch(script.dataset.endpoint, {
        method: "POST", body: body, keepalive: true, credentials: "same-origin"
      }).catch(function () {});
    }
  }

  document.addEventListener("prerenderingchange", send);
  document.addEventListener("visibilitychange", send);
  send();
})();
