/* The offline queue of /alerta/, shared by the page and its service worker (importScripts).
 * Each queued alert is {key, action, fields, photo}: `key` is the idempotency key made on the phone,
 * so the server files an alert sent twice (by the page and by the worker, or after a lost answer) once.
 */
(function (scope) {
  "use strict";

  var DB = "ventanilla-alerta";
  var STORE = "queue";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () {
          resolve(result && "result" in result ? result.result : undefined);
        };
        tx.onerror = function () {
          reject(tx.error);
        };
      });
    });
  }

  function add(item) {
    return run("readwrite", function (store) {
      return store.put(item);
    });
  }

  function all() {
    return run("readonly", function (store) {
      return store.getAll();
    });
  }

  function remove(key) {
    return run("readwrite", function (store) {
      return store.delete(key);
    });
  }

  var sending = false;

  /* Send every queued alert. Resolves to [{item, status, body}] for those the server answered;
   * an alert the network could not carry stays queued for the next try. */
  function flush() {
    if (sending) {
      return Promise.resolve([]);
    }
    sending = true;
    return all()
      .then(function (items) {
        return items.reduce(function (chain, item) {
          return chain.then(function (done) {
            return send(item).then(function (answer) {
              if (answer) {
                done.push(answer);
              }
              return done;
            });
          });
        }, Promise.resolve([]));
      })
      .finally(function () {
        sending = false;
      });
  }

  function send(item) {
    var body = new FormData();
    Object.keys(item.fields).forEach(function (name) {
      body.append(name, item.fields[name]);
    });
    body.append("client_key", item.key);
    if (item.photo) {
      body.append("photo", item.photo, item.photoName || "photo.jpg");
    }
    return scope
      .fetch(item.action, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.status >= 500) {
          return null; // the server is in trouble: try again later
        }
        return response.json().then(function (json) {
          return remove(item.key).then(function () {
            return { item: item, status: response.status, body: json };
          });
        });
      })
      .catch(function () {
        return null;
      });
  }

  scope.alertaQueue = { add: add, all: all, flush: flush };
})(typeof self !== "undefined" ? self : window);
