// "Copy link" on the certificate page. Without JavaScript the URL stays selectable
// in its read-only field, so this is only a convenience.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.copyTarget);
      if (!field) return;
      field.select();
      var done = function () { if (status) status.textContent = "Link copied."; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          if (status) status.textContent = "Press Ctrl+C to copy the selected link.";
        });
      } else {
        if (status) status.textContent = "Press Ctrl+C to copy the selected link.";
      }
    });
  });
})();
