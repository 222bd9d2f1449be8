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

  // Under DEBUG, django-htmx's helper replaces the whole page with any 400, 403, 404 or 500
  // answer. The page handles all but the 500 in place (a 400 is a form with its message,
  // the others a message in the alert region): those never reach the helper, so
  // development shows what production shows. A 500 still gets Django's debug page.
  window.addEventListener("htmx:beforeOnLoad", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (status >= 400 && status < 500) event.stopPropagation();
  }, true);

  document.addEventListener("htmx:responseError", function (event) {
    say(messageFor(event.detail.xhr.status));
  });
  document.addEventListener("htmx:sendError", function () {
    say("We could not reach the server. Check your connection and try again; nothing was changed.");
  });
  // A status button is replaced by the swap that answers it: keep keyboard focus on the
  // same button (same skill, same status) in the new row. While the request is out, the
  // pressed button says it is busy.
  var pressed = null;
  var busy = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var region = document.getElementById("htmx-alert");
    if (region) region.textContent = "";
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    var submitter = trigger && trigger.submitter;
    pressed = submitter && submitter.name === "set" ? submitter.value : null;
    if (submitter) {
      busy = submitter;
      busy.classList.add("is-busy");
      busy.setAttribute("aria-busy", "true");
    }
  });

  document.addEventListener("htmx:afterRequest", function () {
    if (!busy) return;
    busy.classList.remove("is-busy");
    busy.removeAttribute("aria-busy");
    busy = null;
  });

  // The announcement of a change shows as a toast at the foot of the screen, near where
  // the eye is on a phone, then clears itself.
  var toastTimer = null;
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "status-announcer") return;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      target.textContent = "";
      document.body.style.paddingBottom = "";
    }, 5000);
  });

  // The toast never covers the element with focus (WCAG 2.4.11), at any zoom: while it shows,
  // the page gets room below its last control, and a focused element under the toast is
  // scrolled up clear of it.
  function keepFocusClearOfToast() {
    var toast = document.getElementById("status-announcer");
    var focused = document.activeElement;
    if (!toast || !toast.textContent.trim() || !focused || focused === document.body) return;
    var room = toast.getBoundingClientRect();
    document.body.style.paddingBottom = Math.ceil(room.height + 32) + "px";
    var box = focused.getBoundingClientRect();
    if (box.bottom > room.top - 8 && box.top < room.bottom) {
      window.scrollBy(0, Math.ceil(box.bottom - room.top + 16));
    }
  }
  document.addEventListener("htmx:afterSettle", keepFocusClearOfToast);
  document.addEventListener("focusin", keepFocusClearOfToast);

  // Each status toolbar is one Tab stop (the chosen status); arrow keys, Home and End move
  // between its buttons, and Enter or Space presses one.
  function rove(root) {
    root.querySelectorAll(".status-buttons").forEach(function (group) {
      var buttons = group.querySelectorAll("button");
      var chosen = group.querySelector('button[aria-pressed="true"]') || buttons[0];
      buttons.forEach(function (b) { b.tabIndex = b === chosen ? 0 : -1; });
    });
  }
  var MOVES = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first", End: "last" };
  document.addEventListener("keydown", function (event) {
    var button = event.target.closest && event.target.closest(".status-buttons button");
    var move = MOVES[event.key];
    if (!button || move === undefined) return;
    var buttons = Array.prototype.slice.call(button.parentNode.querySelectorAll("button"));
    var i = buttons.indexOf(button);
    var next = move === "first" ? 0 : move === "last" ? buttons.length - 1
      : (i + move + buttons.length) % buttons.length;
    event.preventDefault();
    buttons.forEach(function (b) { b.tabIndex = -1; });
    buttons[next].tabIndex = 0;
    buttons[next].focus();
  });
  document.addEventListener("htmx:load", function (event) { rove(event.detail.elt); });
  rove(document);

  // Folded or unfolded stays as the user left it when a tick replaces a section.
  var opened = {};
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelectorAll) return;
    target.querySelectorAll("details[id]").forEach(function (d) { opened[d.id] = d.open; });
  });
  document.addEventListener("htmx:oobAfterSwap", function () {
    Object.keys(opened).forEach(function (id) {
      var d = document.getElementById(id);
      if (d) d.open = opened[id];
    });
    opened = {};
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
    // A filter the address does not name is at its default: the first option.
    document.querySelectorAll("form.filters select").forEach(function (select) {
      var wanted = params.get(select.name);
      select.value = wanted !== null ? wanted : select.options[0].value;
      if (select.selectedIndex === -1) select.selectedIndex = 0;
    });
  }
  document.addEventListener("htmx:historyRestore", syncFilters);
  window.addEventListener("pageshow", syncFilters);

  // Certifications side by side: the address holds the comparison (?c=one&c=two), so after
  // Back the checkboxes are set from it, like the filters above.
  function syncComparison() {
    var wanted = new URLSearchParams(window.location.search).getAll("c");
    document.querySelectorAll("#compare-choices input[name=c]").forEach(function (box) {
      box.checked = wanted.indexOf(box.value) !== -1;
    });
  }
  document.addEventListener("htmx:historyRestore", syncComparison);
  window.addEventListener("pageshow", syncComparison);

  // A column's "Remove" goes with its column: keep focus in the comparison, on its heading,
  // rather than dropping it to the top of the page.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "comparison") return;
    var heading = document.getElementById("comparison-heading");
    if (heading && (document.activeElement === document.body || !document.activeElement)) {
      heading.focus();
    }
  });
})();
