// Marks the chapter as read when its end scrolls into view. Without JavaScript
// the "Next page" button does the same, so this is only an enhancement.
(function () {
  "use strict";
  var end = document.getElementById("chapter-end");
  var token = document.querySelector("[name=csrfmiddlewaretoken]");
  if (!end || !end.dataset.doneUrl || !token || !("IntersectionObserver" in window)) return;
  var observer = new IntersectionObserver(function (entries) {
    if (!entries.some(function (e) { return e.isIntersecting; })) return;
    observer.disconnect();
    var body = new FormData();
    body.append("beacon", "1");
    fetch(end.dataset.doneUrl, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": token.value },
      credentials: "same-origin",
    });
  });
  observer.observe(end);
})();
