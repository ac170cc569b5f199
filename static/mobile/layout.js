// 排版: how the server-drawn fields sit together. Visible one-line fields that follow each other
// are joined into one WeUI list; a field shown, hidden or marked wrong changes the runs, so the
// page is laid out again on the next frame. Also finds a field's own boxes, not a nested group's.

let root = null; // the form's scope, once bound
let frame = null;

/** The element's own child matching the selector (a group item's boxes are not the group's). */
export function ownBox(el, selector) {
  for (const child of el.children) if (child.matches(selector)) return child;
  return null;
}

/** Visible one-line fields that follow each other are drawn as one WeUI list. */
export function joinRuns(scope) {
  let prev = null;
  for (const control of scope.controls) {
    const el = control.el;
    el.classList.remove("m-join", "m-join-next");
    if (control.items) control.items.forEach(joinRuns);
    if (el.hidden) continue;
    const inline = el.classList.contains("m-field_inline");
    const tips = prev && Array.from(prev.children).some((c) => c.matches(".weui-cells__tips") && !c.hidden);
    if (prev && inline && !tips && !ownBox(el, ".m-section") && prev.classList.contains("m-field_inline")) {
      el.classList.add("m-join");
      prev.classList.add("m-join-next");
    }
    prev = el;
  }
}

/** The scope that relayout() lays out; until it is set, relayout() does nothing. */
export function setLayoutRoot(scope) {
  root = scope;
}

/** Join the runs again on the next frame, once however many fields changed before it. */
export function relayout() {
  if (frame !== null || !root) return;
  frame = requestAnimationFrame(() => {
    frame = null;
    joinRuns(root);
  });
}
