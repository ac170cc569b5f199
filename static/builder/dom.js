// A few DOM helpers for the designer's modules (no framework: the page is small).

/** h("div.card", {dataset: {path}, onclick}, child, "text", …) → an element. */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split(".");
  const el = document.createElement(tag || "div");
  if (classes.length) el.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** "%s" and "%(name)s" placeholders, as in the gettext strings the server sent. */
export function fmt(text, ...args) {
  if (args.length === 1 && args[0] && typeof args[0] === "object") {
    return text.replace(/%\((\w+)\)s/g, (_m, name) => String(args[0][name]));
  }
  let i = 0;
  return text.replace(/%s/g, () => String(args[i++]));
}

/** The JSON a template put on the page with json_script. */
export const pageJSON = (id) => JSON.parse(document.getElementById(id).textContent);

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/** fetch with JSON in and out: {status, body}; throws on no answer (network). */
export async function api(method, url, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    data = null;
  }
  return { status: response.status, body: data };
}
