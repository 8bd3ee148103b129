// Follows a running release job: polls its JSON state and reloads the page when the job has finished.
(function () {
  "use strict";
  var box = document.getElementById("job-state");
  if (!box || !box.dataset.refresh) { return; }
  var every = Math.max(1, parseInt(box.dataset.refresh, 10) || 2) * 1000;
  function show(state) {
    if (state.finished) { window.location.reload(); return; }
    var bar = document.getElementById("job-progress");
    bar.max = state.total || 1;
    bar.value = state.done;
    document.getElementById("job-count").textContent = state.done + "/" + state.total;
    document.getElementById("job-detail").textContent = state.detail || "";
    if (state.step && box.dataset.step !== state.step) { window.location.reload(); }
  }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (reply) { return reply.ok ? reply.json() : null; })
      .then(function (state) { if (state) { show(state); } })
      .finally(function () { window.setTimeout(poll, every); });
  }
  window.setTimeout(poll, every);
})();
