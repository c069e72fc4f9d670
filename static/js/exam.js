// The exam page's helpers; the page works without them.
// The countdown: the server is the clock. The page says how many seconds were left when it
// was made, and this counts down from there (never from the learner's own clock, which may
// be wrong), handing the form in when time runs out.
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

// "Answered 5 of 7", and the question links marked once their question has an answer.
(function () {
  const form = document.getElementById("exam-form");
  const count = document.querySelector(".exam-answered");
  if (!form || !count) return;
  // Each question's section is labelled by its heading (#exam-q-N), which its link targets.
  const links = new Map(
    [...document.querySelectorAll(".exam-jump a[href^='#exam-q-']")].map((a) => [a.hash.slice(1), a])
  );
  function answered(section) {
    return [...section.querySelectorAll("input, select")].some((field) =>
      field.type === "radio" || field.type === "checkbox" ? field.checked : field.value.trim() !== ""
    );
  }
  function update() {
    let done = 0;
    for (const section of form.querySelectorAll("section[aria-labelledby^='exam-q-']")) {
      const yes = answered(section);
      done += yes ? 1 : 0;
      const link = links.get(section.getAttribute("aria-labelledby"));
      if (link) {
        link.classList.toggle("btn-secondary", yes);
        link.classList.toggle("btn-outline-secondary", !yes);
        link.setAttribute("aria-label", `${link.textContent.trim()}${yes ? " ✓" : ""}`);
      }
    }
    count.textContent = count.dataset.label
      .replace("%(answered)s", done)
      .replace("%(total)s", count.dataset.total);  // worded by the page
    count.hidden = false;
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
