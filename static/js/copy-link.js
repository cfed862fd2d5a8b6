// "Copy link" buttons (the story form's shared preview links): the button is hidden
// until this script runs, so without JavaScript the address is still a plain link.
// Each button names its link's id in data-copy-target. The admin loads this in <head>.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.dataset.copyTarget);
    if (!target || !navigator.clipboard) {
      return;
    }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.href || target.textContent).then(function () {
        button.textContent = button.dataset.copiedLabel;
        window.setTimeout(function () {
          button.textContent = label;
        }, 2000);
      });
    });
  });
});
