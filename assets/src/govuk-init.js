/* Starts GOV.UK Frontend's components. A file rather than an inline script so that the
   Content-Security-Policy can forbid inline scripts (docs/security.md). The class tells GOV.UK
   Frontend's CSS that its JavaScript runs here; browsers without ES modules keep the plain HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  document.body.classList.add("js-enabled");
  if (!("noModule" in HTMLScriptElement.prototype)) return;
  document.body.classList.add("govuk-frontend-supported");
  import(script.getAttribute("data-govuk-frontend")).then(function (govuk) { govuk.initAll(); });
})();
