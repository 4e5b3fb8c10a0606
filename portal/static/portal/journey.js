/* Enhancements for the report, complaint and receipt pages. Every page works without this file: it
   adds a filter to the category list, the map (Leaflet, fetched only when the citizen asks for it),
   "use my current location", a check of the number of files and a print button. */
(function () {
  "use strict";

  function normalise(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function show(element, visible) {
    element.hidden = !visible;
    element.style.display = visible ? "" : "none";
  }

  /* --- The category list: type to narrow it down. --- */
  function categoryFilter(container) {
    var form = container.closest("form");
    var items = Array.prototype.slice.call(form.querySelectorAll(".govuk-radios__item[data-search]"));
    var groups = Array.prototype.slice.call(form.querySelectorAll("[data-category-group]"));
    var mostReported = form.querySelector("[data-most-reported]");
    var group = document.createElement("div");
    group.className = "govuk-form-group";
    var label = document.createElement("label");
    label.className = "govuk-label govuk-label--s";
    label.htmlFor = "category-filter";
    label.textContent = container.getAttribute("data-label");
    var hint = document.createElement("div");
    hint.className = "govuk-hint";
    hint.id = "category-filter-hint";
    hint.textContent = container.getAttribute("data-hint");
    var input = document.createElement("input");
    input.className = "govuk-input";
    input.id = "category-filter";
    input.type = "search";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("aria-describedby", "category-filter-hint");
    var status = document.createElement("p");
    status.className = "govuk-body";
    status.setAttribute("role", "status");
    group.appendChild(label);
    group.appendChild(hint);
    group.appendChild(input);
    container.appendChild(group);
    container.appendChild(status);
    show(container, true);
    var texts = items.map(function (item) {
      return normalise(item.getAttribute("data-search") + " " + item.textContent);
    });

    function apply() {
      var words = normalise(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item, index) {
        var match = words.every(function (word) { return texts[index].indexOf(word) !== -1; });
        show(item, match);
        if (match) shown += 1;
      });
      groups.forEach(function (group) {
        var visible = group.querySelector(".govuk-radios__item:not([hidden])");
        show(group, Boolean(visible));
        // Groups are collapsed headings: while filtering, open those with a match; after, as they were.
        if (group.tagName === "DETAILS") group.open = words.length ? Boolean(visible) : group.hasAttribute("data-open");
      });
      if (mostReported) show(mostReported, !words.length);
      status.textContent = shown ? "" : container.getAttribute("data-no-match");
    }

    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      // Enter in the filter chooses the only match instead of sending the form without a choice.
      if (event.key !== "Enter") return;
      event.preventDefault();
      var visible = items.filter(function (item) { return !item.hidden; });
      if (visible.length === 1) visible[0].querySelector("input").checked = true;
    });
  }

  /* --- The map: a pin fills the hidden lat/lon inputs. --- */
  var leafletLoading = null;

  function loadLeaflet(tools) {
    if (window.L) return Promise.resolve(window.L);
    if (leafletLoading) return leafletLoading;
    leafletLoading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = tools.getAttribute("data-stylesheet");
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = tools.getAttribute("data-script");
      script.onload = function () { resolve(window.L); };
      script.onerror = function () { leafletLoading = null; reject(new Error("leaflet")); };
      document.head.appendChild(script);
    });
    return leafletLoading;
  }

  function locationTools(tools) {
    var form = tools.closest("form");
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    var canvas = tools.querySelector("[data-map-canvas]");
    var status = tools.querySelector("[data-map-status]");
    var clear = tools.querySelector("[data-map-clear]");
    var openButton = tools.querySelector("[data-map-open]");
    var locateButton = tools.querySelector("[data-map-locate]");
    var map = null;
    var marker = null;
    var text = function (name) { return tools.getAttribute("data-text-" + name); };

    function setPin(latitude, longitude, message) {
      lat.value = Number(latitude).toFixed(6);
      lon.value = Number(longitude).toFixed(6);
      if (map) {
        if (marker) marker.setLatLng([latitude, longitude]);
        else marker = window.L.marker([latitude, longitude]).addTo(map);
      }
      status.textContent = message || text("placed");
      show(clear, true);
    }

    function clearPin() {
      lat.value = "";
      lon.value = "";
      if (marker) { marker.remove(); marker = null; }
      status.textContent = text("cleared");
      show(clear, false);
    }

    function openMap() {
      return loadLeaflet(tools).then(function (L) {
        if (map) return map;
        show(canvas, true);
        L.Icon.Default.imagePath = tools.getAttribute("data-images");
        map = L.map(canvas);
        // Tiles may fail (no connection, tile server down): the pin still works on the blank map.
        L.tileLayer(tools.getAttribute("data-tiles"), {
          attribution: tools.getAttribute("data-attribution"),
          maxZoom: 19
        }).addTo(map);
        var bounds = (tools.getAttribute("data-bounds") || "").split(",").map(Number);
        if (lat.value && lon.value) {
          map.setView([Number(lat.value), Number(lon.value)], 16);
          marker = L.marker([Number(lat.value), Number(lon.value)]).addTo(map);
        } else if (bounds.length === 4 && bounds.every(isFinite)) {
          map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]]);
        } else {
          map.setView([0, 0], 2);
        }
        map.on("click", function (event) { setPin(event.latlng.lat, event.latlng.lng); });
        show(openButton, false);
        api.map = map;
        return map;
      }).catch(function () {
        status.textContent = text("failed");
      });
    }

    function locate() {
      if (!navigator.geolocation) { status.textContent = text("denied"); return; }
      status.textContent = text("locating");
      navigator.geolocation.getCurrentPosition(function (position) {
        setPin(position.coords.latitude, position.coords.longitude, text("located"));
        if (map) map.setView([position.coords.latitude, position.coords.longitude], 17);
      }, function () {
        status.textContent = text("denied");
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    }

    openButton.addEventListener("click", openMap);
    locateButton.addEventListener("click", locate);
    clear.querySelector("button").addEventListener("click", clearPin);
    if (lat.value && lon.value) {
      status.textContent = text("placed");
      show(clear, true);
    }
    show(tools, true);
    // For people who script their browser, and for the end-to-end tests.
    var api = { open: openMap, setPin: setPin, clear: clearPin, map: null };
    window.ventanillaMap = api;
  }

  /* --- Files: say "too many" before a long upload does. --- */
  function fileLimit(input) {
    var limit = Number(input.getAttribute("data-max-files"));
    input.addEventListener("change", function () {
      input.setCustomValidity(input.files.length > limit ? input.getAttribute("data-too-many") : "");
      if (input.files.length > limit) input.reportValidity();
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-category-filter]"), categoryFilter);
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), locationTools);
    Array.prototype.forEach.call(document.querySelectorAll("input[type=file][data-max-files]"), fileLimit);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (wrapper) {
      show(wrapper, true);
      wrapper.querySelector("button").addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
