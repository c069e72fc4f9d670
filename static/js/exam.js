// The countdown on the exam page. The server is the clock: the page says how many seconds
// were left when it was made, and this counts down from there (never from the learner's own
// clock, which may be wrong), handing the form in when time runs out.
(function () {
  const holder = document.querySelector(".exam-deadline");
  const form = document.getElementById("exam-form");
  if (!holder || !form) return;
  const started = performance.now();
  const total = Number(holder.dataset.secondsLeft);
  const out = holder.querySelector(".exam-countdown");
  let sent = false;
  function tick() {
    const left = Math.max(0, Math.round(total - (performance.now() - started) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    out.textContent = out.dataset.label.replace("%s", `${minutes}:${seconds}`);  // worded by the page
    if (left === 0 && !sent) {
      sent = true;
      form.submit();
      return;
    }
    window.setTimeout(tick, 1000);
  }
  form.addEventListener("submit", () => { sent = true; });
  tick();
})();
