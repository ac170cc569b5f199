// Small DOM helpers for the flow tab: elements from attributes and children, labelled controls.

/** h("div", {class: "x", onclick: fn, checked: true}, [children]) */
export function h(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (typeof value === "boolean") {
      if (value) el.setAttribute(name, "");
      if (name === "checked" || name === "disabled") el[name] = value;
    } else if (value !== undefined && value !== null) {
      el.setAttribute(name, value);
    }
  }
  for (const child of [].concat(children)) {
    if (child === "" || child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  if (el.matches("p.problem, span.problem-inline") && !el.textContent) el.hidden = true;
  return el;
}

/** A <select> of {value, label} options; calls onChange with the chosen value. */
export function select(options, current, onChange, id) {
  const el = h("select", { id, "aria-label": id }, options.map((o) =>
    h("option", { value: String(o.value) }, o.label)));
  el.value = String(current ?? "");
  if (el.selectedIndex < 0 && options.length) el.selectedIndex = 0;
  el.addEventListener("change", () => onChange(el.value));
  return el;
}

/** A whole-number input kept within [min, max]; a bad entry is put back and said so. */
export function numberInput(current, onChange, id, min, max) {
  const el = h("input", { type: "number", id, min, max, step: 1, value: current, inputmode: "numeric", class: "num-input" });
  el.addEventListener("change", () => {
    const n = Number(el.value);
    if (!Number.isInteger(n) || n < min || n > max) {
      el.setCustomValidity(`请填写 ${min} 到 ${max} 之间的整数`);
      el.reportValidity();
      el.value = current;
      return;
    }
    el.setCustomValidity("");
    onChange(n);
  });
  return el;
}

export function field(label, control) {
  return h("label", { class: "field-line" }, [h("span", {}, label), control]);
}
