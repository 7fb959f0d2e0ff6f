/* Haru ERP inquiry widget: enhances <form data-haru-inquiry> (works without it too).
   Records when the form was shown (the minimum fill time), adds UTM parameters, referrer and
   landing page, posts JSON with fetch and shows the answer in [data-haru-status].

   Retries never make a second inquiry: each submission gets one idempotency key (a random
   UUID), sent as the Idempotency-Key header and kept across its retries (a lost answer, a
   5xx, "still processing" 409, 429). The server answers a repeat with the first answer, the
   same inquiry number. Only a changed form (another body) or a success starts a new key.
   Retry pacing: data-retry-delay-ms (first wait, doubled each time, default 1000) and
   data-retries (default 3). No dependencies, no CDN. */
(function () {
  "use strict";
  var UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];
  var RETRYABLE = {408: true, 409: true, 425: true, 429: true, 500: true, 502: true, 503: true, 504: true};

  function uuid4() {
    var crypto = window.crypto || window.msCrypto;
    if (crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    if (crypto && crypto.getRandomValues) {
      crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
    var hex = "";
    for (var j = 0; j < 16; j++) { hex += (bytes[j] + 0x100).toString(16).slice(1); }
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function retryAfterMs(response, fallback) {
    var seconds = parseInt(response.headers.get("Retry-After") || "", 10);
    return isNaN(seconds) ? fallback : Math.min(seconds, 60) * 1000;
  }

  function enhance(form) {
    var shown = Date.now();
    var status = form.querySelector("[data-haru-status]");
    var params = new URLSearchParams(window.location.search);
    var pending = null;  // {key, body}: the submission being delivered, until it succeeds
    var sending = false;

    function say(text) { if (status) { status.textContent = text || ""; } }

    function body() {
      var data = {};
      new FormData(form).forEach(function (value, key) { data[key] = value; });
      data.consent = !!form.querySelector("[name=consent]:checked");
      data.started_at = shown;
      UTM.forEach(function (name) { if (params.get(name)) { data[name] = params.get(name); } });
      data.referrer = document.referrer || "";
      data.landing_page = window.location.href;
      delete data._charset_;
      delete data.submission_id;  // the header carries the key
      return JSON.stringify(data);
    }

    function deliver(submission, attemptsLeft, delay, done) {
      fetch(form.action, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-Requested-With": "fetch",
          "Idempotency-Key": submission.key
        },
        body: submission.body
      }).then(function (response) {
        if (RETRYABLE[response.status] && attemptsLeft > 0) {
          var wait = retryAfterMs(response, delay);
          setTimeout(function () { deliver(submission, attemptsLeft - 1, delay * 2, done); }, wait);
          return null;
        }
        return response.json().catch(function () { return {}; }).then(function (answer) {
          done(response.ok, answer.message || "");
        });
      }).catch(function () {
        // No answer at all (offline, connection reset): the inquiry may or may not be stored;
        // the same key makes the retry safe either way.
        if (attemptsLeft > 0) {
          setTimeout(function () { deliver(submission, attemptsLeft - 1, delay * 2, done); }, delay);
        } else {
          done(false, form.getAttribute("data-offline-message") || "Network error.");
        }
      });
    }

    form.addEventListener("submit", function (event) {
      if (!window.fetch) { return; }  // old browsers: the plain form post still works
      event.preventDefault();
      if (sending) { return; }  // a double click is the same submission
      var text = body();
      if (!pending || pending.body !== text) { pending = {key: uuid4(), body: text}; }
      form.setAttribute("data-haru-key", pending.key);
      sending = true;
      var button = form.querySelector("[type=submit]");
      if (button) { button.disabled = true; }
      var retries = parseInt(form.getAttribute("data-retries") || "3", 10);
      var delay = parseInt(form.getAttribute("data-retry-delay-ms") || "1000", 10);
      deliver(pending, isNaN(retries) ? 3 : retries, isNaN(delay) ? 1000 : delay, function (ok, message) {
        sending = false;
        say(message);
        if (ok) {
          pending = null;
          form.reset();  // the button stays disabled: this form's inquiry is sent
        } else if (button) {
          button.disabled = false;
        }
      });
    });
  }

  function start() {
    var forms = document.querySelectorAll("form[data-haru-inquiry]");
    for (var i = 0; i < forms.length; i++) { enhance(forms[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
