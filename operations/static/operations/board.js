/* The operations board: live list and map of open alerts over /ws/operaciones/.
 *
 * Every server message of type "event" carries a sequence number and the alert as the board shows it;
 * the board keeps the highest sequence it saw and, when the socket comes back after a disconnect,
 * asks for everything after it (?since=N), so no alert is lost. Rows are cloned from the
 * server-rendered <template> so that labels stay translated by Django. No inline script (CSP).
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("ops-config").textContent);
  var initial = JSON.parse(document.getElementById("ops-alerts").textContent);
  var list = document.getElementById("ops-list");
  var rowTemplate = document.getElementById("ops-alert-template");
  var dispatchTemplate = document.getElementById("ops-dispatch-template");
  var statusBox = document.getElementById("ops-status");
  var PLACEHOLDER = "0000-000000";
  var OPEN = ["new", "acknowledged", "dispatched", "on_scene"];
  var alerts = new Map(); // number -> {data, seq}
  var lastSeq = config.last_seq || 0;
  var socket = null;
  var retries = 0;
  var paused = false;
  var map = null;
  var markers = new Map();
  var audio = null;

  function field(root, name) {
    return root.querySelector('[data-field="' + name + '"]');
  }

  function whenAllows(element, state) {
    var when = element.getAttribute("data-when");
    return !when || when.split(" ").indexOf(state) !== -1;
  }

  function categoryName(a) {
    return (config.language === "en" && a.category_en) || a.category_es || a.category;
  }

  function fixUrls(root, number) {
    root.querySelectorAll("form").forEach(function (form) {
      form.setAttribute("action", form.getAttribute("action").replace(PLACEHOLDER, encodeURIComponent(number)));
    });
    root.querySelectorAll("[id*='" + PLACEHOLDER + "']").forEach(function (element) {
      element.id = element.id.replace(PLACEHOLDER, number);
    });
    root.querySelectorAll("label[for*='" + PLACEHOLDER + "']").forEach(function (label) {
      label.htmlFor = label.htmlFor.replace(PLACEHOLDER, number);
    });
  }

  function renderDispatches(row, a) {
    var box = field(row, "dispatches");
    box.textContent = "";
    (a.dispatches || []).forEach(function (d) {
      var item = dispatchTemplate.content.firstElementChild.cloneNode(true);
      fixUrls(item, a.number);
      item.dataset.agency = d.agency_id;
      item.dataset.state = d.state;
      field(item, "agency").textContent = d.agency;
      field(item, "dispatch-state").textContent = config.dispatch_states[d.state] || d.state;
      field(item, "note").textContent = d.note || "";
      var form = item.querySelector("form");
      if (form) {
        form.hidden = !(config.operates || config.agencies.indexOf(d.agency_id) !== -1);
        form.querySelector("[name=agency]").value = d.agency_id;
        form.querySelectorAll("button[data-when]").forEach(function (button) {
          button.hidden = !whenAllows(button, d.state);
        });
      }
      box.appendChild(item);
    });
  }

  function fill(row, a) {
    row.dataset.number = a.number;
    row.dataset.state = a.state;
    row.classList.toggle("ops-alert--exercise", !!a.exercise);
    row.classList.toggle("ops-alert--escalated", !!a.escalated);
    var severity = field(row, "severity");
    severity.textContent = a.severity;
    severity.dataset.severity = a.severity;
    field(row, "number").textContent = a.number;
    field(row, "category").textContent = categoryName(a);
    field(row, "district").textContent = a.district || "";
    field(row, "state").textContent = config.states[a.state] || a.state;
    var urgency = field(row, "urgency");
    if (urgency) {
      urgency.hidden = !a.urgency;
      urgency.textContent = a.urgency ? config.urgencies[a.urgency] || a.urgency : "";
    }
    field(row, "age").setAttribute("datetime", a.created_at);
    field(row, "exercise").hidden = !a.exercise;
    field(row, "escalated").hidden = !a.escalated;
    var claim = field(row, "claim");
    claim.hidden = !a.claimed_by;
    claim.textContent = a.claimed_by ? claim.dataset.label + " " + a.claimed_by : "";
    field(row, "description").textContent = a.description || "";
    var nearby = field(row, "nearby");
    nearby.hidden = !(a.nearby && a.nearby.length);
    nearby.textContent = nearby.hidden ? "" : nearby.dataset.label + " " + a.nearby.join(", ");
    renderDispatches(row, a);
    row.querySelectorAll(".ops-actions > [data-when]").forEach(function (element) {
      element.hidden = !whenAllows(element, a.state);
    });
    var takeOver = row.querySelector("form[data-unclaimed]");
    if (takeOver && a.claimed_by_id === config.user_id) {
      takeOver.hidden = true;
    }
    row.querySelectorAll("input[name=version]").forEach(function (input) {
      input.value = a.version;
    });
    var into = row.querySelector("input[name=into]");
    if (into && !into.value && a.nearby && a.nearby.length) {
      into.value = a.nearby[0];
    }
  }

  function isBefore(a, b) {
    return a.severity > b.severity || (a.severity === b.severity && a.created_at > b.created_at);
  }

  function place(row, a) {
    var before = null;
    Array.prototype.some.call(list.children, function (other) {
      if (other === row) {
        return false;
      }
      var known = alerts.get(other.dataset.number);
      if (known && isBefore(a, known.data)) {
        before = other;
        return true;
      }
      return false;
    });
    if (before) {
      if (row.nextElementSibling !== before) {
        list.insertBefore(row, before);
      }
    } else if (row.parentNode !== list || list.lastElementChild !== row) {
      list.appendChild(row);
    }
  }

  function updateCount() {
    document.getElementById("ops-count").textContent = list.children.length;
    document.getElementById("ops-empty").hidden = list.children.length > 0;
  }

  function rowOf(number) {
    return Array.prototype.find.call(list.children, function (row) {
      return row.dataset.number === number;
    });
  }

  function render(a) {
    var row = rowOf(a.number);
    if (OPEN.indexOf(a.state) === -1) {
      if (row) {
        row.remove();
      }
      removeMarker(a.number);
      updateCount();
      return null;
    }
    if (!row) {
      row = rowTemplate.content.firstElementChild.cloneNode(true);
      fixUrls(row, a.number);
    }
    fill(row, a);
    place(row, a);
    updateMarker(a);
    updateCount();
    return row;
  }

  // Operators hear every event, and sequence order is commit order, so a hole in the sequence is a
  // message the channel layer dropped (a full queue in a storm) or one still on its way from another
  // server process. Wait a moment for late ones, then ask for what is still missing.
  var GAP_WAIT_MS = 2000;
  var contiguous = lastSeq; // every event up to here was applied
  var ahead = new Set(); // events applied above it
  var gapTimer = null;

  function advance() {
    // Move the unbroken mark over what arrived above it; while a hole is left, wait for it.
    while (ahead.has(contiguous + 1)) {
      ahead.delete(contiguous + 1);
      contiguous += 1;
    }
    if (ahead.size && !gapTimer) {
      gapTimer = window.setTimeout(fillGap, GAP_WAIT_MS);
    }
  }

  function track(seq) {
    if (!config.operates || seq <= contiguous) {
      return;
    }
    ahead.add(seq);
    advance();
  }

  function caughtUp(seq) {
    // The server sent everything up to seq that exists: nothing below it is missing any more.
    if (config.operates && seq > contiguous) {
      contiguous = seq;
      ahead.forEach(function (s) {
        if (s <= contiguous) {
          ahead.delete(s);
        }
      });
      advance();
    }
  }

  function fillGap() {
    gapTimer = null;
    if (ahead.size && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "resume", since: contiguous }));
    }
  }

  function apply(seq, kind, data) {
    track(seq);
    if (seq > lastSeq) {
      lastSeq = seq;
      document.body.dataset.opsSeq = String(lastSeq);
    }
    if (!data || !data.number) {
      return;
    }
    var known = alerts.get(data.number);
    if (known && known.seq >= seq) {
      return;
    }
    if (known && known.data.nearby && !data.nearby) {
      data.nearby = known.data.nearby;
    }
    alerts.set(data.number, { data: data, seq: seq });
    var row = render(data);
    if (row && kind === "created" && !known) {
      announce(row);
    } else if (row) {
      row.classList.remove("ops-alert--changed");
      void row.offsetWidth; // restart the animation
      row.classList.add("ops-alert--changed");
    }
  }

  function announce(row) {
    row.classList.add("ops-alert--new");
    window.setTimeout(function () {
      row.classList.remove("ops-alert--new");
    }, 4000);
    if (audio && audio.state === "running") {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.value = 0.15;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + 0.25);
    }
  }

  function setStatus(state) {
    statusBox.dataset.state = state;
    statusBox.textContent = statusBox.dataset[state] || statusBox.textContent;
  }

  function connect() {
    if (paused) {
      return;
    }
    var protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    // An operator's board resumes below any hole it still has; a dispatcher's sees only some events.
    var since = config.operates ? contiguous : lastSeq;
    socket = new WebSocket(protocol + "//" + window.location.host + config.socket + "?since=" + since);
    socket.addEventListener("open", function () {
      retries = 0;
      setStatus("live");
    });
    socket.addEventListener("message", function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message.type === "event") {
        apply(message.seq, message.kind, message.data);
      } else if (message.type === "caught_up") {
        caughtUp(message.seq);
      } else if (message.type === "resync") {
        window.location.reload();
      }
    });
    socket.addEventListener("close", function () {
      socket = null;
      setStatus("offline");
      if (!paused) {
        window.setTimeout(connect, Math.min(10000, 500 * Math.pow(2, retries++)));
      }
    });
  }

  function tick() {
    var now = Date.now();
    list.querySelectorAll("time[data-field=age]").forEach(function (element) {
      var seconds = Math.max(0, Math.floor((now - Date.parse(element.getAttribute("datetime"))) / 1000));
      var h = Math.floor(seconds / 3600);
      var m = Math.floor((seconds % 3600) / 60);
      var s = seconds % 60;
      element.textContent = (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
    });
  }

  function setUpMap() {
    var box = document.getElementById("ops-map");
    if (!window.L || !box) {
      return;
    }
    map = window.L.map(box, { zoomControl: true }).setView([8.6, -80.1], 7);
    window.L.tileLayer(config.tile_url, { maxZoom: 18 }).addTo(map);
  }

  function updateMarker(a) {
    if (!map || a.lat === null || a.lon === null) {
      return;
    }
    var marker = markers.get(a.number);
    if (!marker) {
      marker = window.L.circleMarker([a.lat, a.lon], { radius: 8 }).addTo(map);
      marker.on("click", function () {
        var row = rowOf(a.number);
        if (row) {
          row.scrollIntoView({ block: "center" });
          row.focus();
        }
      });
      markers.set(a.number, marker);
    }
    marker.setStyle({ color: a.escalated ? "#d4351c" : "#0b3c5d", weight: 1 + a.severity });
    marker.bindTooltip(a.number + " · " + categoryName(a));
  }

  function removeMarker(number) {
    var marker = markers.get(number);
    if (marker) {
      marker.remove();
      markers.delete(number);
    }
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    var row = form.closest(".ops-alert");
    if (!row) {
      return;
    }
    event.preventDefault();
    var body = new FormData(form, event.submitter);
    var errorBox = field(row, "error");
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": body.get("csrfmiddlewaretoken") },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (result) {
        errorBox.hidden = !result.error;
        errorBox.textContent = result.error || "";
        if (result.alert) {
          var number = result.alert.number;
          var known = alerts.get(number);
          if (result.error && known) {
            known.seq = Math.min(known.seq, (result.seq || 1) - 1);
          }
          apply(result.seq || 0, "action", result.alert);
        }
        if (!result.error) {
          var details = form.closest("details");
          if (details) {
            details.open = false;
          }
        }
      })
      .catch(function () {
        errorBox.hidden = false;
        errorBox.textContent = statusBox.dataset.failed;
      });
  });

  document.addEventListener(
    "click",
    function () {
      // Browsers let a page make sound only after a person interacted with it.
      if (!audio && window.AudioContext) {
        audio = new window.AudioContext();
      }
    },
    { once: true }
  );

  // A seam for people and tests alike: stop listening (as a dropped connection would) and start again.
  window.opsBoard = {
    pause: function () {
      paused = true;
      if (socket) {
        socket.close();
      }
    },
    resume: function () {
      paused = false;
      if (!socket) {
        connect();
      }
    },
  };

  setUpMap();
  list.textContent = "";
  initial.forEach(function (a) {
    alerts.set(a.number, { data: a, seq: 0 });
  });
  initial.forEach(render);
  document.body.dataset.opsSeq = String(lastSeq);
  tick();
  window.setInterval(tick, 1000);
  connect();
})();
