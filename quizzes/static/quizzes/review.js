// "Select all on this page" without a round trip; the link works without JavaScript too.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", () => {
    document.querySelectorAll("input[name=question]").forEach((box) => { box.checked = all.checked; });
  });
});
