// The countdown on the exam page. The server is the clock: this only shows the time left
// and hands the form in when it runs out; answers after the deadline do not count anyway.
(function () {
  const holder = document.querySelector(".exam-deadline");
  const form = document.getElementById("exam-form");
  if (!holder || !form) return;
  const deadline = new Date(holder.dataset.deadline).getTime();
  const out = holder.querySelector(".exam-countdown");
  let sent = false;
  function tick() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    out.textContent = `Time left: ${minutes}:${seconds}`;
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
