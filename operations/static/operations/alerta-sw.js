/* Service worker of /alerta/: keeps the page usable offline and sends the queued alerts when the
 * phone is back online (Background Sync where the browser has it; the page sends them too). */
"use strict";

importScripts("__QUEUE_JS__");

var CACHE = "alerta-v1";
var PAGE = "__PAGE__";
var SHELL = [PAGE, "__QUEUE_JS__", "__PAGE_JS__", "__CSS__", "__OPS_CSS__"];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(SHELL);
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return; // alerts go through the queue, which retries by itself
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || SHELL.indexOf(url.pathname) === -1) {
    return;
  }
  // Network first (a fresh form, fresh categories), the kept copy when there is no network.
  event.respondWith(
    fetch(request)
      .then(function (response) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) {
          cache.put(request, copy);
        });
        return response;
      })
      .catch(function () {
        return caches.match(request, { ignoreSearch: true });
      })
  );
});

self.addEventListener("sync", function (event) {
  if (event.tag === "alerta-queue") {
    event.waitUntil(self.alertaQueue.flush());
  }
});
