/* The post form: choosing "Published" with no date fills in now (server time, as the admin's
   own "Now" link does), so the curator sees the date that will be stored. */
(function () {
  "use strict";

  var status = document.getElementById("id_status");
  var day = document.getElementById("id_published_at_0");
  var time = document.getElementById("id_published_at_1");
  if (!status || !day || !time) {
    return;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  status.addEventListener("change", function () {
    if (status.value !== "published" || day.value || time.value) {
      return;
    }
    var offset = parseInt(document.body.getAttribute("data-admin-utc-offset") || "0", 10);
    var now = new Date();
    now.setTime(now.getTime() + offset * 1000 + now.getTimezoneOffset() * 60000);
    day.value = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    time.value = pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds());
  });
})();
