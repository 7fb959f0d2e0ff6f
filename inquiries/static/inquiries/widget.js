/* Haru ERP inquiry widget: enhances <form data-haru-inquiry> (works without it too).
   Records when the form was shown (the minimum fill time), adds UTM parameters, referrer and
   landing page, posts JSON with fetch and shows the answer in [data-haru-status].
   No dependencies, no CDN. */
(function () {
  "use strict";
  var UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

  function enhance(form) {
    var shown = Date.now();
    var status = form.querySelector("[data-haru-status]");
    var params = new URLSearchParams(window.location.search);
    form.addEventListener("submit", function (event) {
      if (!window.fetch) { return; }  // old browsers: the plain form post still works
      event.preventDefault();
      var data = {};
      new FormData(form).forEach(function (value, key) { data[key] = value; });
      data.consent = !!form.querySelector("[name=consent]:checked");
      data.started_at = shown;
      UTM.forEach(function (name) { if (params.get(name)) { data[name] = params.get(name); } });
      data.referrer = document.referrer || "";
      data.landing_page = window.location.href;
      data.submission_id = data.submission_id || (shown + "-" + Math.random().toString(36).slice(2));
      delete data._charset_;
      var button = form.querySelector("[type=submit]");
      if (button) { button.disabled = true; }
      fetch(form.action, {
        method: "POST",
        headers: {"Content-Type": "application/json", "Accept": "application/json", "X-Requested-With": "fetch"},
        body: JSON.stringify(data)
      }).then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      }).then(function (result) {
        if (status) { status.textContent = result.body.message || ""; }
        if (result.ok) { form.reset(); } else if (button) { button.disabled = false; }
      }).catch(function () {
        if (status) { status.textContent = form.getAttribute("data-offline-message") || "Network error."; }
        if (button) { button.disabled = false; }
      });
    });
  }

  function start() {
    var forms = document.querySelectorAll("form[data-haru-inquiry]");
    for (var i = 0; i < forms.length; i++) { enhance(forms[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
