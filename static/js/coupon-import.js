/* Coupon import progress (coupons/import_detail.html): a static file, the CSP forbids inline scripts. */
(function poll() {
    var bar = document.getElementById("import-progress");
    fetch(bar.dataset.url).then(function (r) { return r.json(); }).then(function (data) {
      bar.value = data.percent;
      if (data.status === "running") { setTimeout(poll, 2000); } else { window.location.reload(); }
    });
  })();
