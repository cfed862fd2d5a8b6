// Progressive enhancement for the "Leave a review" form (see comments/pipeline.py).
// A story page may come from a page cache, with an old form stamp in it. When the
// reader first focuses the form, fetch a fresh one from a never-cached endpoint.
(function () {
  "use strict";
  document.querySelectorAll("form.review-form[data-token-url]").forEach(function (form) {
    var refreshed = false;
    form.addEventListener("focusin", function () {
      if (refreshed) { return; }
      refreshed = true;
      fetch(form.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          form.querySelector("input[name=token]").value = data.token;
        })
        .catch(function () { /* Keep the stamp from the page; the form still works. */ });
    });
  });
})();
