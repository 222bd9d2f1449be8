// Served from our own static files (the Content-Security-Policy allows no inline script).
// When an htmx request fails, say so in the page's alert region instead of swapping an
// error page into the layout (htmx is configured not to swap 4xx/5xx except 400).
(function () {
  "use strict";

  function say(message) {
    var region = document.getElementById("htmx-alert");
    if (!region) return;
    region.textContent = "";
    var p = document.createElement("p");
    p.className = "errors";
    p.textContent = message;
    region.appendChild(p);
  }

  function messageFor(status) {
    if (status === 403) return "Your session has expired or this action is not allowed. Reload the page and try again.";
    if (status === 404) return "That item no longer exists. Reload the page to see the current list.";
    if (status === 429) return "Too many attempts. Please wait a few minutes and try again.";
    if (status >= 500) return "Something went wrong on our side and nothing was changed. Please try again in a moment.";
    return "That did not work (error " + status + "). Please reload the page and try again.";
  }

  document.addEventListener("htmx:responseError", function (event) {
    say(messageFor(event.detail.xhr.status));
  });
  document.addEventListener("htmx:sendError", function () {
    say("We could not reach the server. Check your connection and try again; nothing was changed.");
  });
  // A status button is replaced by the swap that answers it: keep keyboard focus on the
  // same button (same skill, same status) in the new row.
  var pressed = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var region = document.getElementById("htmx-alert");
    if (region) region.textContent = "";
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    var submitter = trigger && trigger.submitter;
    pressed = submitter && submitter.name === "set" ? submitter.value : null;
  });

  document.addEventListener("htmx:oobAfterSwap", function () {
    if (!pressed) return;
    var selector = 'button[name="set"][value="' + CSS.escape(pressed) + '"]';
    var button = document.querySelector(selector);
    if (button) button.focus();
  });

  // A certification taken off the plan takes its form with it: keep focus in the section,
  // on the message that says what happened, rather than dropping it to the top of the page.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && event.detail.target.id !== "certifications") return;
    var feedback = document.getElementById("certs-feedback");
    if (feedback && (document.activeElement === document.body || !document.activeElement)) {
      feedback.focus();
    }
  });

  // Back (or forward) to a filtered list: htmx restores the page from its history cache and
  // the browser may restore it from its own, and either can show the list filtered while
  // the selects say "Any". The address holds the truth: set each filter from it.
  function syncFilters() {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form.filters select").forEach(function (select) {
      select.value = params.get(select.name) || "";
    });
  }
  document.addEventListener("htmx:historyRestore", syncFilters);
  window.addEventListener("pageshow", syncFilters);
})();
