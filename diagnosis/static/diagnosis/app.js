// Progressive enhancement only: every page works without this file.
//
// When an autosave fails (the server answers with an error, or the request never gets
// there), htmx swaps nothing, so the question would still look saved. Say so in its
// status instead. The message comes from the page (data-error-text), already translated.
(function () {
  "use strict";

  var CARD = ".question-card, [id^='goal-']";

  function errorText(status) {
    var own = status.getAttribute("data-error-text");
    if (own) {
      return own;
    }
    // The goal card carries no message of its own: borrow a question's.
    var other = document.querySelector(".answer-status[data-error-text]");
    return other ? other.getAttribute("data-error-text") : "";
  }

  function showSaveError(event) {
    var source = event.detail && event.detail.elt;
    var card = source instanceof Element ? source.closest(CARD) : null;
    var status = card ? card.querySelector(".answer-status") : null;
    var text = status ? errorText(status) : "";
    if (!text) {
      return;
    }
    status.textContent = text;
    status.classList.add("is-error");
  }

  document.addEventListener("htmx:responseError", showSaveError);
  document.addEventListener("htmx:sendError", showSaveError);
})();
