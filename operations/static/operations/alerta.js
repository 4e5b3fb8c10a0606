/* /alerta/: location from the phone (or a tap on the map), then the alert goes into the offline queue
 * and is sent at once, or as soon as the phone is back online. */
(function () {
  "use strict";

  var form = document.getElementById("alerta-form");
  if (!form || !window.indexedDB || !window.fetch) {
    return; // the plain form still works
  }
  var queue = window.alertaQueue;
  var lat = form.querySelector("[name=lat]");
  var lon = form.querySelector("[name=lon]");
  var where = document.getElementById("alerta-where");
  var locate = document.getElementById("alerta-locate");
  var status = document.getElementById("alerta-status");
  var result = document.getElementById("alerta-result");
  var marker = null;
  var map = null;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(form.dataset.worker).catch(function () {});
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID().replace(/-/g, "");
    }
    var bytes = new Uint8Array(18);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function setPoint(latitude, longitude) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    where.textContent = where.dataset.set + " " + lat.value + ", " + lon.value;
    if (map) {
      if (!marker) {
        marker = window.L.marker([latitude, longitude]).addTo(map);
      } else {
        marker.setLatLng([latitude, longitude]);
      }
    }
  }

  locate.hidden = false;
  locate.addEventListener("click", function () {
    if (!navigator.geolocation) {
      where.textContent = where.dataset.unavailable;
      return;
    }
    where.textContent = where.dataset.searching;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        setPoint(position.coords.latitude, position.coords.longitude);
      },
      function () {
        where.textContent = where.dataset.unavailable;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });

  // The map is the fallback when the phone cannot tell where it is; Leaflet and its tiles are loaded
  // only when asked for (a slow connection pays for them only then).
  var mapBox = document.getElementById("alerta-map");
  var mapButton = document.getElementById("alerta-map-button");
  mapButton.hidden = false;
  mapButton.addEventListener("click", function () {
    mapButton.hidden = true;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = mapButton.dataset.css;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = mapButton.dataset.js;
    script.onload = function () {
      mapBox.hidden = false;
      map = window.L.map(mapBox).setView([8.6, -80.1], 7);
      window.L.tileLayer(mapBox.dataset.tiles, { maxZoom: 18 }).addTo(map);
      map.on("click", function (event) {
        setPoint(event.latlng.lat, event.latlng.lng);
      });
    };
    document.head.appendChild(script);
  });

  function show(answer) {
    var body = answer.body || {};
    if (body.number) {
      result.hidden = false;
      result.querySelector("[data-field=number]").textContent = body.number;
      result.querySelector("a").href = body.tracking_url;
      status.hidden = true;
      form.reset();
      lat.value = lon.value = "";
    } else if (body.errors) {
      status.hidden = false;
      status.textContent = Object.keys(body.errors).map(function (k) { return body.errors[k]; }).join(" ");
    }
  }

  function flush() {
    return queue.flush().then(function (answers) {
      answers.forEach(show);
      return queue.all().then(function (left) {
        if (left.length) {
          status.hidden = false;
          status.textContent = status.dataset.queued;
        }
        document.body.dataset.alertaQueued = String(left.length);
      });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(form);
    var fields = {};
    ["category", "lat", "lon", "district", "description", "phone"].forEach(function (name) {
      fields[name] = data.get(name) || "";
    });
    var photo = data.get("photo");
    var item = {
      key: newKey(),
      action: form.action,
      fields: fields,
      photo: photo && photo.size ? photo : null,
      photoName: photo && photo.name,
      queuedAt: Date.now(),
    };
    status.hidden = false;
    status.textContent = status.dataset.sending;
    queue
      .add(item)
      .then(function () {
        if (navigator.serviceWorker && navigator.serviceWorker.ready && window.SyncManager) {
          navigator.serviceWorker.ready.then(function (registration) {
            return registration.sync.register("alerta-queue");
          }).catch(function () {});
        }
        return flush();
      });
  });

  window.addEventListener("online", flush);
  window.setInterval(function () {
    if (navigator.onLine) {
      flush();
    }
  }, 20000);
  flush();
})();
