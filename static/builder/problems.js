// 问题: what stops publishing, as the server answers each save ({pointer, message, field}). A
// problem about a field marks its card (canvas.js reads problemsOf) and is listed in the bar;
// clicking it selects the field. Form-level ones (field null) are in the list only.

import { fmt, h } from "./dom.js";

export function problemsByField(list) {
  const index = new Map();
  for (const p of list) {
    if (!p.field) continue;
    if (!index.has(p.field)) index.set(p.field, []);
    index.get(p.field).push(p);
  }
  return index;
}

let wired = false;

export function renderProblems(ctx) {
  const toggle = document.getElementById("problems-toggle");
  const box = document.getElementById("problems-list");
  const { problems, texts } = ctx;
  if (!wired) {
    wired = true;
    toggle.addEventListener("click", () => {
      box.hidden = !box.hidden;
      toggle.setAttribute("aria-expanded", String(!box.hidden));
    });
  }
  toggle.hidden = false;
  toggle.textContent = problems.length ? fmt(texts.problems, problems.length) : texts.no_problems;
  toggle.classList.toggle("has-problems", problems.length > 0);
  if (!problems.length) box.hidden = true;
  box.replaceChildren(h("ul", {}, problems.map((p) => h("li", {},
    p.field
      ? h("button.link-button.problem-link", { type: "button", dataset: { field: p.field }, onclick: () => ctx.select(p.field) },
          h("code", {}, p.field), " ", p.message)
      : h("span.problem-form", {}, h("strong", {}, texts.form_level), " ", p.message))))); // prettier-ignore
}
