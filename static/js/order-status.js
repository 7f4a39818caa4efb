/* The VietQR panel, a little livelier: "Copy" buttons, and a status line that follows the
   order (polled every 5 s) until it is paid, expired or cancelled, or for at most 35 minutes.
   Without JavaScript the details stay selectable text and a reload shows the status. */
(function () {
  "use strict";

  var POLL_MS = 5000;
  var GIVE_UP_MS = 35 * 60 * 1000;

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function setUpCopyButtons() {
    var buttons = document.querySelectorAll(".vietqr-copy-btn[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(button.getAttribute("data-copy")).then(function () {
          button.textContent = button.getAttribute("data-copied");
          window.setTimeout(function () { button.textContent = label; }, 2000);
        }, function () { /* the text stays selectable */ });
      });
    });
  }

  function followStatus(line) {
    var url = line.getAttribute("data-status-url");
    var started = Date.now();
    var timer = null;

    function stop() { if (timer) { window.clearInterval(timer); timer = null; } }

    function check() {
      if (Date.now() - started > GIVE_UP_MS) { stop(); return; }
      if (document.hidden) { return; }
      fetch(url, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (order) {
          if (!order || order.status === "pending_payment") { return; }
          stop();
          line.querySelector(".vietqr-status-label").textContent = order.status_label;
          var waiting = line.querySelector(".vietqr-waiting");
          if (waiting) { waiting.remove(); }
          line.setAttribute("data-status", order.status);
          // Once, so the whole page shows the new state (it no longer polls: not pending).
          window.setTimeout(function () { window.location.reload(); }, 1500);
        })
        .catch(function () { /* offline for a moment: the next tick tries again */ });
    }

    timer = window.setInterval(check, POLL_MS);
    document.addEventListener("visibilitychange", function () { if (!document.hidden && timer) { check(); } });
  }

  function start() {
    setUpCopyButtons();
    var line = document.querySelector(".vietqr-status[data-status-url]");
    if (line && line.getAttribute("data-status") === "pending_payment" && window.fetch) {
      followStatus(line);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
