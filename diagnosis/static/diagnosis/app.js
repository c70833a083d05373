// Progressive enhancement only: every page works without this file.
//
// The answering page saves each question card (and the dimension's goal card) through
// htmx as soon as a control changes. This file makes that autosave trustworthy:
//
// - A save that gets no answer, or a 502/503/504 (the database or the app is down), is
//   retried on its own with growing delays (1 s doubling up to 20 s), no sooner than the
//   server's Retry-After; as soon as any request succeeds again, every waiting save is
//   sent at once. The card shows "Saving…" until the server has the answer, then the
//   server's "Saved".
//   Nothing typed is lost meanwhile: what the user sees is what the next try sends.
// - A card the user changed after its save left is never overwritten by that save's
//   answer (nor by another question's answer or a colleague's poll): the newer values on
//   the screen win and go out next. From its own save it only takes the new revision,
//   so the server's conflict check compares with what this author really last saw.
// - Focus stays on the control in use across swaps, so arrow keys keep moving within a
//   radio group; "not applicable", "not measured" and an answer clear each other before
//   the save leaves.
// - Any other failure says so in the card's status (its text comes from the page,
//   already translated).
(function () {
  "use strict";

  var CARD = ".question-card, [id^='goal-']";
  var RETRY_STATUSES = [0, 502, 503, 504]; // 0: no answer at all (network, server down)
  var FIRST_DELAY_MS = 1000;
  var MAX_DELAY_MS = 20000;
  var MAX_RETRY_AFTER_MS = 120000;

  // Per card id: edits (changes made), sent (edits the last request carried), acked
  // (edits the server answered for), attempts, timer (a scheduled retry), failing.
  var cards = {};

  function stateOf(id) {
    if (!cards[id]) {
      cards[id] = {
        edits: 0, sent: 0, acked: 0, attempts: 0, timer: null, failing: false, inflight: false
      };
    }
    return cards[id];
  }

  function autosaveCard(element) {
    return element instanceof Element && element.matches(CARD) && element.hasAttribute("hx-post")
      ? element
      : null;
  }

  // The card that sent a request. Not `detail.elt` after a swap: htmx then re-fires
  // afterRequest on a connected ancestor and sets `elt` to it.
  function sender(event) {
    var config = event.detail.requestConfig;
    return autosaveCard(config && config.elt ? config.elt : event.detail.elt);
  }

  function hasUnsaved(id) {
    var state = cards[id];
    return Boolean(state) && state.edits > state.acked;
  }

  function anyFailing() {
    return Object.keys(cards).some(function (id) {
      return cards[id].failing;
    });
  }

  // --- What the user changes --------------------------------------------------------

  // The check boxes that stand for "no value": "not applicable", and "not measured" on
  // number questions.
  var EXCLUSIVE = "input[type=checkbox][name$='-na'], input[type=checkbox][name$='-not_measured']";

  function valueControls(card, box) {
    var name = box.name.replace(/-(na|not_measured)$/, "-value");
    return Array.prototype.filter.call(card.querySelectorAll("input, select, textarea"), function (control) {
      return control.name === name;
    });
  }

  function hasValue(control) {
    if (control.type === "radio" || control.type === "checkbox") {
      return control.checked;
    }
    return control.value.trim() !== "";
  }

  function clear(control) {
    if (control.type === "radio" || control.type === "checkbox") {
      control.checked = false;
    } else {
      control.value = "";
    }
  }

  // An answer, "not applicable" and "not measured" exclude each other: choosing one clears
  // the others, before htmx reads the form.
  function keepExclusive(card, control) {
    var boxes = Array.prototype.slice.call(card.querySelectorAll(EXCLUSIVE));
    if (!boxes.length || !control.name || !hasValue(control)) {
      return;
    }
    var values = valueControls(card, boxes[0]);
    var group = values.concat(boxes);
    if (group.indexOf(control) < 0) {
      return;
    }
    var others = values.indexOf(control) >= 0 ? boxes : group.filter(function (other) {
      return other !== control;
    });
    others.forEach(clear);
  }

  function noteEdit(event) {
    var control = event.target;
    var card = control instanceof Element ? autosaveCard(control.closest(CARD)) : null;
    if (!card || control === card) {
      return; // not a user's edit: a retry triggers "change" on the card itself
    }
    keepExclusive(card, control);
    stateOf(card.id).edits += 1;
  }

  // Capture phase: runs before htmx's listener on the card sends the values.
  document.addEventListener("input", noteEdit, true);
  document.addEventListener("change", noteEdit, true);

  // --- Requests and answers ---------------------------------------------------------

  document.addEventListener("htmx:beforeRequest", function (event) {
    var card = sender(event);
    if (!card) {
      return;
    }
    var state = stateOf(card.id);
    clearTimeout(state.timer);
    state.timer = null;
    state.sent = state.edits;
    state.inflight = true;
  });

  function adoptRevision(card, html) {
    var own = card.querySelector("input[type=hidden][name$='-rev']");
    if (!own) {
      return;
    }
    var answer = new DOMParser().parseFromString(html, "text/html");
    var fresh = answer.querySelector("input[name='" + CSS.escape(own.name) + "']");
    if (fresh) {
      own.value = fresh.value;
    }
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    rememberFocus();
    var card = sender(event);
    if (!card || !event.detail.shouldSwap) {
      return;
    }
    var state = stateOf(card.id);
    if (state.edits > state.sent) {
      // Changed again while this save was on its way: keep the screen, which is newer.
      if (event.detail.xhr.status === 200) {
        adoptRevision(card, event.detail.serverResponse);
      }
      event.detail.swapOverride = "none"; // the progress and other questions still update
    }
  });

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (autosaveCard(target) && hasUnsaved(target.id)) {
      event.preventDefault(); // its own save will bring it up to date
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) {
      retryWaitingNow(); // the server answers again: no need to wait out the delays
    }
    var card = sender(event); // may be detached: replaced by the answer
    if (!card) {
      return;
    }
    var state = stateOf(card.id);
    state.inflight = false;
    var xhr = event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    if (event.detail.successful) {
      state.acked = state.sent;
      state.attempts = 0;
      state.failing = false;
      card.classList.remove("is-pending");
      if (!anyFailing()) {
        showRestored();
      }
    } else if (RETRY_STATUSES.indexOf(status) >= 0) {
      scheduleRetry(card, state, xhr);
    } else {
      state.acked = state.sent; // a definite refusal: the card says so, nothing to retry
      state.failing = false;
      card.classList.remove("is-pending");
      showSaveError(card, xhr);
    }
  });

  // A card put in by a swap listens for changes only once htmx has processed it, after
  // the settle delay; a change made in between (a fast arrow key) would go unsent. Send
  // it now, as if the user had just made it.
  document.addEventListener("htmx:load", function (event) {
    var root = event.detail.elt;
    if (!(root instanceof Element)) {
      return;
    }
    var found = Array.prototype.slice.call(root.querySelectorAll(CARD));
    [root].concat(found).forEach(function (element) {
      var card = autosaveCard(element);
      var state = card ? cards[card.id] : null;
      if (state && state.edits > state.sent && !state.inflight && !state.timer) {
        htmx.trigger(card, "change");
      }
    });
  });

  // --- Retrying ---------------------------------------------------------------------

  function retryAfterMs(xhr) {
    var header = xhr && xhr.status ? xhr.getResponseHeader("Retry-After") : null;
    if (!header) {
      return 0;
    }
    var seconds = /^\d+$/.test(header.trim())
      ? parseInt(header, 10)
      : (Date.parse(header) - Date.now()) / 1000;
    return isNaN(seconds) ? 0 : Math.min(Math.max(seconds * 1000, 0), MAX_RETRY_AFTER_MS);
  }

  function scheduleRetry(card, state, xhr) {
    state.attempts += 1;
    state.failing = true;
    var backoff = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * Math.pow(2, state.attempts - 1));
    // A little jitter, so that pages don't all come back at the same instant after a restart.
    var delay = Math.max(backoff, retryAfterMs(xhr)) * (1 + Math.random() * 0.2);
    clearTimeout(state.timer);
    state.timer = setTimeout(function () {
      retry(card.id);
    }, delay);
    card.classList.add("is-pending");
    showProblem(xhr);
  }

  function retryWaitingNow() {
    Object.keys(cards).forEach(function (id) {
      if (cards[id].timer) {
        clearTimeout(cards[id].timer);
        retry(id);
      }
    });
  }

  function retry(id) {
    stateOf(id).timer = null;
    var card = document.getElementById(id);
    if (card) {
      htmx.trigger(card, "change"); // the same path as the user's change: latest values
    }
  }

  // Leaving would lose saves waiting for a retry and changes not sent yet (typed, or
  // queued behind a save on its way); a save already sent completes on the server.
  window.addEventListener("beforeunload", function (event) {
    var unsaved = Object.keys(cards).some(function (id) {
      return cards[id].failing || cards[id].edits > cards[id].sent;
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- Telling the user -------------------------------------------------------------

  function banner() {
    return document.getElementById("connection-problem");
  }

  // The text of the element matching `selector` in the server's answer, if any.
  function messageIn(xhr, selector) {
    if (!xhr || !xhr.status || !xhr.responseText) {
      return "";
    }
    var answer = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var message = answer.querySelector(selector);
    return message ? message.textContent.trim() : "";
  }

  function serverMessage(xhr) {
    return messageIn(xhr, "[data-outage-message]");
  }

  function showProblem(xhr) {
    var box = banner();
    if (!box) {
      return;
    }
    var text = serverMessage(xhr) || box.getAttribute("data-offline-text");
    box.classList.remove("alert-success");
    box.classList.add("alert-warning");
    box.hidden = false; // first, so that the alert is announced when its text arrives
    if (box.textContent !== text) {
      box.textContent = text;
    }
  }

  function showRestored() {
    var box = banner();
    if (!box || box.hidden || box.classList.contains("alert-success")) {
      return;
    }
    box.textContent = box.getAttribute("data-restored-text");
    box.classList.remove("alert-warning");
    box.classList.add("alert-success");
  }

  function errorText(status) {
    var own = status.getAttribute("data-error-text");
    if (own) {
      return own;
    }
    // The goal card carries no message of its own: borrow a question's.
    var other = document.querySelector(".answer-status[data-error-text]");
    return other ? other.getAttribute("data-error-text") : "";
  }

  // A refusal that says why (an upload over the size limit, answered 413 before the
  // server read it) shows its reason instead of the card's general "not saved".
  function refusalMessage(xhr) {
    return messageIn(xhr, "[data-refusal-message]");
  }

  function showSaveError(card, xhr) {
    var status = card.isConnected ? card.querySelector(".answer-status") : null;
    var text = status ? refusalMessage(xhr) || errorText(status) : "";
    if (!text) {
      return;
    }
    status.textContent = text;
    status.classList.add("is-error");
  }

  // --- Focus across swaps -----------------------------------------------------------

  // htmx puts the focus back on an element with an id; radio buttons and links have none.
  var focusSelector = null;

  function rememberFocus() {
    var active = document.activeElement;
    focusSelector = null;
    if (!active || active === document.body || active.id) {
      return;
    }
    if (active.name && (active.type === "radio" || active.type === "checkbox")) {
      focusSelector =
        "input[name='" + CSS.escape(active.name) + "'][value='" + CSS.escape(active.value) + "']";
    } else if (active.name) {
      focusSelector = "[name='" + CSS.escape(active.name) + "']";
    } else if (active.getAttribute("href")) {
      focusSelector = "a[href='" + CSS.escape(active.getAttribute("href")) + "']";
    }
  }

  function restoreFocus() {
    var active = document.activeElement;
    if (!focusSelector || (active && active !== document.body && active.isConnected)) {
      return;
    }
    var target = document.querySelector(focusSelector);
    if (target) {
      target.focus({ preventScroll: true });
    }
  }

  document.addEventListener("htmx:afterSwap", restoreFocus);
  document.addEventListener("htmx:oobAfterSwap", restoreFocus);
  document.addEventListener("htmx:afterSettle", restoreFocus);
})();
