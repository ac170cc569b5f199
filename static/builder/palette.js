// 控件: the palette of every field kind, grouped. A click adds the kind after the selected field
// (or at the end); a drag onto the canvas adds it where it is dropped (canvas.js takes the drop).

import Sortable from "../vendor/sortablejs/sortable.esm.js";
import { dragEnded, dragStarted } from "./canvas.js";
import { h } from "./dom.js";
import { PALETTE } from "./kinds.js";

export function renderPalette(ctx) {
  const root = document.getElementById("palette");
  const { kinds } = ctx;
  const sections = PALETTE.map(([group, list]) => {
    const items = h("div.palette-items", {},
      list.map((kind) => h("button.palette-item", {
        type: "button",
        dataset: { kind },
        disabled: !ctx.mayEdit,
      }, kinds[kind])));
    if (ctx.mayEdit) {
      Sortable.create(items, {
        group: { name: "fields", pull: "clone", put: false },
        sort: false,
        forceFallback: true,
        fallbackOnBody: true,
        draggable: ".palette-item",
        onStart: () => dragStarted(ctx),
        onEnd: () => dragEnded(ctx),
      });
    }
    return h("section.palette-group", {}, h("h3", {}, kinds[`group:${group}`]), items);
  }); // prettier-ignore
  root.replaceChildren(...sections);
  // One listener on the palette, not one per button: a drag from the palette leaves a clone of
  // the button in its place (SortableJS's pull: "clone"), and a clone has no listeners.
  root.onclick = (event) => {
    const item = event.target.closest(".palette-item");
    if (item && !item.disabled) ctx.addKind(item.dataset.kind, ctx.insertPoint());
  };
}
