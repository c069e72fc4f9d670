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
      // The words come from the page, in the reader's language.
      var say = function (key) { if (status) status.textContent = status.dataset[key]; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { say("copied"); }, function () {
          say("pressToCopy");
        });
      } else {
        say("pressToCopy");
      }
    });
  });
})();
