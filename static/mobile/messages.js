// 提示: the words on the page. The server translates every text and passes them in as JSON
// (json_script); these modules only fill in placeholders and show them. No UI string lives here.

/** The JSON a template put on the page with json_script, by its element id. */
export function pageJSON(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

/** "%s" and "%(name)s" placeholders, as in the gettext strings the server sent. */
export function fmt(text, ...args) {
  if (args.length === 1 && args[0] && typeof args[0] === "object") {
    return text.replace(/%\((\w+)\)s/g, (_m, name) => String(args[0][name]));
  }
  let i = 0;
  return text.replace(/%s/g, () => String(args[i++]));
}

let toptipsTimer = null;

/** The red bar at the top of the page (#toptips in mobile/base.html), for a few seconds. */
export function toptips(message, ms = 3500) {
  const box = document.getElementById("toptips");
  box.textContent = message;
  box.style.display = "block";
  clearTimeout(toptipsTimer);
  toptipsTimer = setTimeout(() => {
    box.style.display = "none";
  }, ms);
}
