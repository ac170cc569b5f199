// 后台导出: poll the job's figures every second (backing off when the server does not answer)
// until it is done or failed, then show the download link or the reason.
const box = document.getElementById("export-job");
if (box && !["done", "failed"].includes(box.dataset.state)) {
  const bar = document.getElementById("export-progress");
  const text = document.getElementById("export-text");
  const fill = (template, s) => template.replace("{done}", s.done).replace("{total}", s.total);
  let wait = 1000;

  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const s = await response.json();
      wait = 1000;
      bar.value = s.percent;
      bar.textContent = `${s.percent}%`;
      box.dataset.state = s.state;
      if (s.state === "done") {
        text.textContent = fill(box.dataset.msgDone, s);
        document.getElementById("export-download").hidden = false;
        return;
      }
      if (s.state === "failed") {
        text.textContent = "";
        document.getElementById("export-error").textContent = s.error;
        document.getElementById("export-failed").hidden = false;
        return;
      }
      text.textContent = s.total == null ? box.dataset.msgCounting : fill(box.dataset.msgProgress, s);
    } catch {
      text.textContent = box.dataset.msgLost;
      wait = Math.min(wait * 2, 15000);
    }
    setTimeout(poll, wait);
  }
  setTimeout(poll, 500);
}
