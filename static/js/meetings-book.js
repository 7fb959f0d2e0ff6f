/* Book a room (templates/meetings/book.html): a static file, the CSP forbids inline scripts. */
// Live conflict feedback: ask the server whether the slot is free whenever room or times change.
(function () {
  var form = document.getElementById("booking-form"), box = document.getElementById("slot-feedback");
  function value(name) { var f = form.elements[name]; return f ? f.value : ""; }
  function check() {
    if (!value("room") || !value("day") || !value("start_time") || !value("end_time")) { box.hidden = true; return; }
    var q = new URLSearchParams({room: value("room"), start: value("day") + "T" + value("start_time"), end: value("day") + "T" + value("end_time")});
    fetch(form.dataset.checkUrl + "?" + q.toString(), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) { box.hidden = false; box.textContent = data.message; box.className = "mt-feedback " + (data.ok ? "ok" : "bad"); })
      .catch(function () { box.hidden = true; });
  }
  ["room", "day", "start_time", "end_time"].forEach(function (name) { var f = form.elements[name]; if (f) { f.addEventListener("change", check); } });
  check();
})();
