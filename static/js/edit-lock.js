// Keeps the soft edit lock on a story alive while its change form is open.
// Without JavaScript the lock lasts a few minutes from opening, then lapses.
// The admin loads this in <head>: wait for the form before looking for it.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var marker = document.querySelector("[data-edit-lock-url]");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!marker || !token || !window.fetch) {
    return;
  }
  var url = marker.getAttribute("data-edit-lock-url");
  var every = parseInt(marker.getAttribute("data-edit-lock-interval"), 10) * 1000;
  window.setInterval(function () {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": token.value},
    });
  }, every);
});
