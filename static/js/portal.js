/* Haru ERP: the portal's own small script (no inline code anywhere: the CSP forbids it).
 * Every page works without it; it only saves clicks. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // <select data-autosubmit>: submit the form on change (the language switch, quick filters).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) {
      if (target.form.requestSubmit) { target.form.requestSubmit(); } else { target.form.submit(); }
    }
  });
})();
