// The census import's progress bar: polls the job's status while it runs, reloads the page when the
// job reaches a state with something to show (the report, the confirmation, the result). Plain JS.
(function () {
  var box = document.getElementById("impor-progress");
  if (!box || box.getAttribute("data-running") !== "1") { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("impor-bar");
  var percent = document.getElementById("impor-percent");
  var label = document.getElementById("impor-status-label");
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { setTimeout(poll, 3000); return; }
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        percent.textContent = data.percent + "%";
        label.textContent = data.status_label;
        if (data.running) { setTimeout(poll, 700); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
