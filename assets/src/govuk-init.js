/* Starts GOV.UK Frontend's components. A file rather than an inline script so that the
   Content-Security-Policy can forbid inline scripts (docs/security.md). The class tells GOV.UK
   Frontend's CSS that its JavaScript runs here; browsers without ES modules keep the plain HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  document.body.classList.add("js-enabled");
  if (!("noModule" in HTMLScriptElement.prototype)) return;
  document.body.classList.add("govuk-frontend-supported");
  import(script.getAttribute("data-govuk-frontend")).then(function (govuk) {
    govuk.initAll();
    // On a slow phone the module can arrive after the citizen has already put the cursor in a
    // text box. The character count starts watching the text on "focus", which has then been
    // missed, so its "you have N characters remaining" would stay frozen until the box is left
    // and entered again. Replay the focus it missed (without moving the real focus or closing
    // the phone's keyboard).
    var active = document.activeElement;
    if (active && active.classList && active.classList.contains("govuk-js-character-count")) {
      active.dispatchEvent(new FocusEvent("focus"));
    }
  });
})();
