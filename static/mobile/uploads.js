// What the photo and file controls share: the list of entries, its element, the limit, and
// what the form asks of a control while it submits (busy, failed, the attachment ids).

export class UploadList {
  /** ui: {texts, fmt, setError, clearError, changed, toast, uploadUrl} from the page. */
  constructor(el, field, ui) {
    this.el = el;
    this.field = field;
    this.ui = ui;
    this.entries = [];
    this.list = el.querySelector("[data-files]");
    this.input = el.querySelector("input[type=file]");
    this.box = el.querySelector("[data-input-box]");
    this.count = el.querySelector("[data-count]");
    this.max = (field.schema && field.schema.maxItems) || Infinity;
    this.input.addEventListener("change", (event) => {
      event.stopPropagation();
      this.add(Array.from(this.input.files || []));
      this.input.value = ""; // the same file may be chosen again after a removal
    });
  }

  /** Room left, telling the person when they chose more than fits. */
  room(files, limitText) {
    const room = Math.max(this.max - this.entries.length, 0);
    if (files.length > room) this.ui.toast(this.ui.fmt(limitText, this.max));
    return files.slice(0, room);
  }

  refresh() {
    if (this.count) this.count.textContent = String(this.entries.length);
    this.box.hidden = this.entries.length >= this.max;
  }

  pending() {
    return this.entries.some((e) => e.state === "compressing" || e.state === "uploading");
  }

  failed() {
    return this.entries.some((e) => e.state === "failed");
  }

  get() {
    const ids = this.entries.filter((e) => e.state === "done").map((e) => e.id);
    return ids.length ? ids : undefined;
  }
}
