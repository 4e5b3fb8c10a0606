/* Catalog search: results appear as the citizen types. The page works without this file: the form is
   an ordinary GET form and the server renders the same results after "Search". */
(function () {
  "use strict";

  var DELAY_MS = 250;
  var MIN_LENGTH = 3;

  function enhance(form) {
    var input = form.querySelector("input[name=q]");
    var region = document.querySelector("[data-results-region]");
    var status = document.querySelector("[data-results-status]");
    if (!input || !region || !window.fetch || !window.URLSearchParams) return;
    var timer = null;
    var latest = 0;

    function parameters() {
      var params = new URLSearchParams();
      Array.prototype.forEach.call(form.elements, function (element) {
        if (element.name && element.type !== "submit") params.append(element.name, element.value);
      });
      return params;
    }

    function update() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) return;
      var params = parameters();
      var shareable = form.getAttribute("action") + "?" + params.toString();
      params.append("parcial", "1");
      var request = ++latest;
      fetch(form.getAttribute("action") + "?" + params.toString(), { headers: { Accept: "text/html" } })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          // Answers can arrive out of order; only the newest query may change the page.
          if (html === null || request !== latest) return;
          region.innerHTML = html;
          // A theme's or institution's full list gives way to the results.
          var listing = document.querySelector("[data-listing]");
          if (listing) listing.hidden = true;
          // Screen readers hear the number of results, not the whole list again on every keystroke.
          var heading = region.querySelector("[data-results-count]");
          if (status && heading) status.textContent = heading.textContent.trim();
          // The address always matches what is shown, so it can be shared or bookmarked.
          window.history.replaceState(null, "", shareable);
        })
        .catch(function () {
          /* Offline or a server error: the Search button still works. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, DELAY_MS);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-catalog-search]"), enhance);
})();
