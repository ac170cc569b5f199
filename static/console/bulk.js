// 批量办理 on the work-order list: count the ticked rows, 全选本页, the unit chooser only for 派遣,
// a confirmation naming the count, and the ticks kept when the live update swaps the rows in.
const form = document.getElementById("bulk-form");
if (form) {
  const count = document.getElementById("bulk-count");
  const action = document.getElementById("bulk-action");
  const unitLabel = document.getElementById("bulk-unit-label");
  const submit = document.getElementById("bulk-submit");
  const ticked = new Set(); // order ids, kept across live swaps
  const boxes = () => [...document.querySelectorAll('input[name="orders"][form="bulk-form"]')];
  const idOf = (box) => box.value.split(":")[0];

  function update() {
    const n = boxes().filter((b) => b.checked).length;
    count.textContent = n ? form.dataset.some.replace("{n}", n) : form.dataset.none;
    submit.disabled = n === 0;
    unitLabel.hidden = action.value !== "dispatch";
    const all = document.getElementById("bulk-all");
    if (all) {
      all.checked = n > 0 && n === boxes().length;
      all.indeterminate = n > 0 && n < boxes().length;
    }
  }

  document.addEventListener("change", (event) => {
    const box = event.target;
    if (box.id === "bulk-all") {
      for (const b of boxes()) b.checked = box.checked;
    }
    if (box.id === "bulk-all" || box.matches?.('input[name="orders"]')) {
      ticked.clear();
      for (const b of boxes()) if (b.checked) ticked.add(idOf(b));
    }
    update();
  });
  document.addEventListener("live:swapped", () => {
    for (const b of boxes()) b.checked = ticked.has(idOf(b));
    update();
  });
  form.addEventListener("submit", (event) => {
    const n = boxes().filter((b) => b.checked).length;
    const label = action.selectedOptions[0]?.textContent ?? "";
    const question = form.dataset.confirm.replace("{n}", n).replace("{action}", label);
    if (!n || !window.confirm(question)) event.preventDefault();
  });
  update();
}
