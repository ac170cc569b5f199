// 控件: the plain widgets the server drew (text, numbers, dates and times, choices, yes/no,
// headings and notes). Each control reads its answer back from the DOM by the field's kind and
// can show an answer again (a default, a draft). Photos, files, signature and location have
// their own modules; groups are bound with their items in scope.js.
//
// A control is {el, field, get(), save(), set(value)}: get() is what is sent, save() what the
// draft keeps.

import { same } from "./values.js";

// Kinds read from one <select> of the field's choices.
const SELECT_KINDS = new Set(["select", "orgunit", "person"]);
// Kinds typed as one line of text.
const TEXT_KINDS = new Set(["text", "textarea", "address", "mobile", "idcard"]);
// Time inputs carry no offset: what is typed is Beijing time.
const CHINA_OFFSET = "+08:00";

function choiceIndex(field, value) {
  return (field.choices || []).findIndex((c) => same(c.value, value));
}

export function inputControl(el, field) {
  const input = el.querySelector("input, textarea, select");
  const counter = el.querySelector("[data-count]");
  const kind = field.kind;
  const control = {
    el,
    field,
    get() {
      const raw = input.value;
      if (TEXT_KINDS.has(kind)) {
        const text = kind === "idcard" ? raw.trim().toUpperCase() : raw.trim();
        if (!text) return undefined;
        if (field.schema.type === "array") {
          const parts = text.split(/[\n,，、;；]/).map((s) => s.trim()).filter(Boolean);
          return parts.length ? parts : undefined;
        }
        return text;
      }
      if (raw === "") return undefined;
      if (kind === "integer" || kind === "number") {
        const number = Number(raw);
        return Number.isFinite(number) ? number : raw;
      }
      if (SELECT_KINDS.has(kind)) return field.choices[Number(raw)].value;
      if (kind === "time") return `${raw.length === 5 ? `${raw}:00` : raw}${CHINA_OFFSET}`;
      if (kind === "datetime") return `${raw.length === 16 ? `${raw}:00` : raw}${CHINA_OFFSET}`;
      return raw; // date: YYYY-MM-DD
    },
    set(value) {
      if (value === undefined || value === null) input.value = "";
      else if (SELECT_KINDS.has(kind)) {
        const i = choiceIndex(field, value);
        input.value = i >= 0 ? String(i) : "";
      } else if (kind === "time") input.value = String(value).slice(0, 5);
      else if (kind === "datetime") {
        const t = Date.parse(value);
        // Shown as Beijing wall time whatever offset it was stored with.
        input.value = Number.isNaN(t)
          ? ""
          : new Date(t + 8 * 3600 * 1000).toISOString().slice(0, 16);
      } else if (Array.isArray(value)) input.value = value.join("、");
      else input.value = String(value);
      control.refresh();
    },
    refresh() {
      if (counter) counter.textContent = String(input.value.length);
      if (SELECT_KINDS.has(kind)) input.classList.toggle("m-placeholder", input.value === "");
    },
  };
  input.addEventListener("input", () => control.refresh());
  input.addEventListener("change", () => control.refresh());
  control.refresh();
  control.save = control.get;
  return control;
}

/** Radio buttons, checkboxes and the rating's stars. */
export function radioControl(el, field, ui) {
  const inputs = Array.from(el.querySelectorAll("input.weui-check"));
  const multiple = field.kind === "checkboxes";
  const ratingText = el.querySelector("[data-rating-text]");
  const control = {
    el,
    field,
    get() {
      const picked = inputs.filter((i) => i.checked).map((i) => field.choices[Number(i.value)].value);
      if (multiple) return picked.length ? picked : undefined;
      return picked.length ? picked[0] : undefined;
    },
    set(value) {
      const wanted = multiple ? (Array.isArray(value) ? value : []) : [value];
      for (const input of inputs) {
        const choice = field.choices[Number(input.value)];
        input.checked = value !== undefined && wanted.some((v) => same(v, choice.value));
      }
      control.refresh();
    },
    /** A rating lights every star up to the chosen one and says the score in words. */
    refresh() {
      if (!ratingText) return;
      const value = control.get();
      const top = field.choices.length ? field.choices[field.choices.length - 1].value : 5;
      inputs.forEach((input) => {
        const choice = field.choices[Number(input.value)];
        input.nextElementSibling.classList.toggle("m-rating__star_on", value !== undefined && choice.value <= value);
      });
      ratingText.textContent = value === undefined ? "" : ui.fmt(ui.texts.rating_value, { n: value, max: top });
    },
  };
  for (const input of inputs) input.addEventListener("change", () => control.refresh());
  control.refresh();
  control.save = control.get;
  return control;
}

/** Headings and notes: shown, never answered. */
export function staticControl(el, field) {
  return { el, field, get: () => undefined, save: () => undefined, set() {} };
}

export function booleanControl(el, field) {
  const input = el.querySelector("input[type=checkbox]");
  const control = {
    el,
    field,
    get: () => input.checked,
    set(value) {
      input.checked = value === true;
    },
  };
  control.save = control.get;
  return control;
}
