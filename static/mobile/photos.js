// 照片: compress on the phone (max 1600 px JPEG), upload at once, keep the attachment ids.
// In the form (ui.queuePhotos), a photo whose upload met no network is not an error: the report
// takes it along as a blob (queued()) with a token ("queued:<uuid>") in its place among the
// answers, and the outbox uploads it before sending the report (delivery.js).

import { newUuid } from "./envelope.js";
import { NetworkError, isTransient, uploadFile } from "./http.js";
import { UploadList } from "./uploads.js";
import { wecomChooseImages, wecomUsable } from "./wecom.js";

const MAX_SIDE = 1600;
// How long 撤销 is offered after a photo was deleted.
const UNDO_MS = 6000;
const QUALITY = 0.8;

function loadImage(file) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      URL.revokeObjectURL(url);
      resolve(img);
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("not an image"));
    };
    img.src = url;
  });
}

const pad2 = (n) => String(n).padStart(2, "0");

/** 水印's two lines: when the photo was taken (the file's time: the camera's moment) and where
 * (the form's location, as the location field puts it on its element, see location.js). */
export function stampLines(file, ui) {
  const when = new Date(file.lastModified || Date.now());
  const time =
    `${when.getFullYear()}-${pad2(when.getMonth() + 1)}-${pad2(when.getDate())} ` +
    `${pad2(when.getHours())}:${pad2(when.getMinutes())}`;
  const located = document.querySelector("[data-kind=location][data-place]");
  return [time, located ? located.dataset.place : ui.texts.watermark_no_place];
}

/** The lines on a dark band across the bottom, in a size that reads on a phone and in print. */
function drawStamp(context, width, height, lines) {
  const size = Math.max(14, Math.round(Math.min(width, height) / 28));
  const inset = Math.round(size * 0.6);
  const lineHeight = Math.round(size * 1.35);
  const band = inset * 2 + lineHeight * lines.length;
  context.fillStyle = "rgba(0, 0, 0, 0.55)";
  context.fillRect(0, height - band, width, band);
  context.fillStyle = "#fff";
  context.font = `${size}px sans-serif`;
  context.textBaseline = "top";
  lines.forEach((line, i) => {
    context.fillText(line, inset, height - band + inset + i * lineHeight, width - inset * 2);
  });
}

/** A JPEG of at most MAX_SIDE px on the long side; a 4G upload of ~300 KB instead of ~5 MB.
 * With `stamp` (lines of text) the watermark is drawn into it. */
export async function compressImage(file, maxSide = MAX_SIDE, quality = QUALITY, stamp = null) {
  let source = null;
  let width = 0;
  let height = 0;
  if (typeof createImageBitmap === "function") {
    try {
      source = await createImageBitmap(file, { imageOrientation: "from-image" });
      width = source.width;
      height = source.height;
    } catch (err) {
      source = null;
    }
  }
  if (!source) {
    source = await loadImage(file);
    width = source.naturalWidth;
    height = source.naturalHeight;
  }
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff"; // a transparent PNG becomes white, not black
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  if (source.close) source.close();
  if (stamp) drawStamp(context, canvas.width, canvas.height, stamp);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  canvas.width = canvas.height = 0; // free the bitmap memory at once on small phones
  if (!blob) throw new Error("canvas could not encode");
  return blob;
}

// One photo at a time for the whole page: a weak uplink does better with one stream, and a
// cheap phone decodes one 12-megapixel image at a time.
let queue = Promise.resolve();
function enqueue(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

let serial = 0;

export class PhotosControl extends UploadList {
  constructor(el, field, ui) {
    super(el, field, ui);
    this.list.addEventListener("click", (event) => this.onClick(event));
    // Inside WeCom: its camera through the JS-SDK instead of the file input.
    this.input.addEventListener("click", (event) => {
      if (!wecomUsable()) return;
      event.preventDefault();
      wecomChooseImages(this.max - this.entries.length).then(
        (files) => files.length && this.add(files),
        (err) => {
          if (!/cancel/i.test(String((err && err.errMsg) || err))) {
            this.ui.toast(this.ui.texts.upload_failed);
          }
        },
      );
    });
    this.refresh();
  }

  add(files) {
    for (const file of this.room(files, this.ui.texts.photo_limit)) {
      const entry = { key: ++serial, state: "compressing", file, progress: 0 };
      this.entries.push(entry);
      this.list.appendChild(this.render(entry));
      this.process(entry);
    }
    this.ui.clearError(this.el);
    this.refresh();
    this.ui.changed();
  }

  process(entry) {
    return enqueue(async () => {
      if (entry.removed) return;
      if (!entry.blob) {
        try {
          const stamp = this.field.watermark ? stampLines(entry.file, this.ui) : null;
          entry.blob = await compressImage(entry.file, MAX_SIDE, QUALITY, stamp);
          entry.name = (entry.file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
        } catch (err) {
          // A format the browser cannot draw (some HEIC): let the server judge the original.
          entry.blob = entry.file;
          entry.name = entry.file.name || "photo";
        }
        entry.preview = URL.createObjectURL(entry.blob);
        entry.file = null;
      }
      await this.upload(entry);
    });
  }

  async upload(entry) {
    if (entry.removed) return;
    entry.state = "uploading";
    entry.progress = 0;
    this.paint(entry);
    try {
      const res = await uploadFile(this.ui.uploadUrl, entry.blob, entry.name, (p) => {
        entry.progress = p;
        this.paint(entry);
      });
      if (res.status === 201 && res.body && res.body.id) {
        entry.state = "done";
        entry.id = String(res.body.id);
        entry.url = res.body.url;
        entry.blob = null; // uploaded: keep only the small preview
      } else {
        entry.state = "failed";
        entry.retryable = isTransient(res.status);
        entry.message = (res.body && res.body.message) || this.ui.texts.upload_failed;
      }
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      entry.state = "failed";
      entry.retryable = true;
      entry.message = this.ui.texts.upload_failed;
    }
    if (entry.removed) return;
    this.paint(entry);
    this.refresh();
    if (entry.state === "failed" && !entry.retryable) this.ui.setError(this.el, entry.message);
    this.ui.changed();
  }

  onClick(event) {
    const li = event.target.closest("[data-key]");
    if (!li) return;
    const entry = this.entries.find((e) => String(e.key) === li.dataset.key);
    if (!entry) return;
    if (event.target.closest("[data-remove-photo]")) {
      this.removeWithUndo(entry, li);
    } else if (event.target.closest("[data-retry]") && entry.state === "failed" && entry.blob) {
      this.ui.clearError(this.el);
      this.process(entry);
    }
  }

  // × takes the photo off at once and offers 撤销 for a few seconds: a thumb on a small screen
  // hits it by mistake, and a photo taken again may mean climbing back up the stairs. Until then
  // the photo is only set aside (its upload goes on); after, it is gone.
  removeWithUndo(entry, li) {
    this.forgetRemoved();
    const index = this.entries.indexOf(entry);
    this.entries.splice(index, 1);
    li.remove();
    this.ui.clearError(this.el);
    this.refresh();
    this.ui.changed();
    this.undoBar().hidden = false;
    this.removed = { entry, index, timer: setTimeout(() => this.forgetRemoved(), UNDO_MS) };
  }

  undoRemove() {
    const removed = this.removed;
    if (!removed) return;
    clearTimeout(removed.timer);
    this.removed = null;
    this.undoBar().hidden = true;
    if (this.entries.length >= this.max) {
      removed.entry.removed = true; // another photo took its place meanwhile
      this.ui.toast(this.ui.fmt(this.ui.texts.photo_limit, this.max));
      return;
    }
    const index = Math.min(removed.index, this.entries.length);
    this.entries.splice(index, 0, removed.entry);
    this.list.insertBefore(removed.entry.li, this.list.children[index] || null);
    this.paint(removed.entry);
    this.refresh();
    this.ui.changed();
    removed.entry.li.querySelector(".m-photo__del").focus();
  }

  forgetRemoved() {
    const removed = this.removed;
    if (!removed) return;
    clearTimeout(removed.timer);
    this.removed = null;
    this.undoBar().hidden = true;
    removed.entry.removed = true;
    if (removed.entry.preview) URL.revokeObjectURL(removed.entry.preview);
  }

  undoBar() {
    if (!this.undoEl) {
      const bar = document.createElement("div");
      bar.className = "m-undo";
      bar.setAttribute("role", "status");
      bar.hidden = true;
      bar.innerHTML = '<span class="m-undo__text"></span><button type="button" class="m-undo__btn" data-undo></button>';
      bar.querySelector("span").textContent = this.ui.texts.photo_removed;
      bar.querySelector("button").textContent = this.ui.texts.undo;
      bar.querySelector("button").addEventListener("click", () => this.undoRemove());
      this.list.parentElement.after(bar);
      this.undoEl = bar;
    }
    return this.undoEl;
  }

  render(entry) {
    const { texts } = this.ui;
    const li = document.createElement("li");
    li.className = "weui-uploader__file m-photo";
    li.dataset.key = String(entry.key);
    li.innerHTML =
      '<span class="m-photo__thumb" role="img"></span>' +
      '<button type="button" class="m-photo__status" data-retry></button>' +
      '<button type="button" class="m-photo__del" data-remove-photo>×</button>';
    li.querySelector(".m-photo__del").setAttribute("aria-label", texts.remove);
    entry.li = li;
    this.paint(entry);
    return li;
  }

  paint(entry) {
    const li = entry.li;
    if (!li) return;
    const { texts } = this.ui;
    const thumb = li.querySelector(".m-photo__thumb");
    const src = entry.preview || entry.url;
    if (src && thumb.dataset.src !== src) {
      thumb.style.backgroundImage = `url("${src}")`;
      thumb.dataset.src = src;
    }
    const status = li.querySelector(".m-photo__status");
    li.classList.toggle("weui-uploader__file_status", entry.state !== "done");
    status.hidden = entry.state === "done";
    status.disabled = entry.state !== "failed" || !entry.retryable;
    if (entry.state === "failed") {
      status.innerHTML = '<i class="weui-icon-warn"></i><span></span>';
      status.querySelector("i").style.color = "#fff"; // set through the DOM: a strict CSP blocks style=""
      status.querySelector("span").textContent = entry.retryable ? texts.retry : texts.upload_failed;
      status.setAttribute("aria-label", entry.message || texts.upload_failed);
      if (this.queueable(entry)) status.querySelector("span").textContent = texts.photo_queued;
    } else if (entry.state !== "done") {
      const percent = Math.round(entry.progress * 100);
      status.innerHTML = '<span></span><span class="m-photo__bar"><i></i></span>';
      status.querySelector("span").textContent =
        entry.state === "compressing" ? "…" : `${texts.uploading} ${percent}%`;
      status.querySelector("i").style.width = `${percent}%`;
      status.removeAttribute("aria-label");
    }
  }

  /** Not uploaded for want of network, and the blob is at hand: the outbox will upload it. */
  queueable(entry) {
    return Boolean(this.ui.queuePhotos && entry.state === "failed" && entry.retryable && entry.blob);
  }

  tokenOf(entry) {
    if (!entry.token) entry.token = `queued:${newUuid()}`;
    return entry.token;
  }

  failed() {
    return this.entries.some((e) => e.state === "failed" && !this.queueable(e));
  }

  get() {
    const ids = [];
    for (const e of this.entries) {
      if (e.state === "done") ids.push(e.id);
      else if (this.queueable(e)) ids.push(this.tokenOf(e));
    }
    return ids.length ? ids : undefined;
  }

  /** The photos the outbox must upload first: {token, blob, name}. */
  queued() {
    return this.entries
      .filter((e) => this.queueable(e))
      .map((e) => ({ token: this.tokenOf(e), blob: e.blob, name: e.name || "photo.jpg" }));
  }

  save() {
    const kept = [];
    for (const e of this.entries) {
      if (e.state === "done") kept.push({ id: e.id, url: e.url });
      else if (this.queueable(e)) kept.push({ id: this.tokenOf(e), queued: true });
    }
    return kept.length ? kept : undefined;
  }

  /** Restore uploaded photos from a draft (ids with their URLs). */
  set(list) {
    this.forgetRemoved();
    for (const entry of this.entries) entry.removed = true;
    this.entries = [];
    this.list.textContent = "";
    for (const item of Array.isArray(list) ? list : []) {
      // A photo that was still to be uploaded has no blob here: it cannot come back.
      if (!item || !item.id || String(item.id).startsWith("queued:")) continue;
      const url = item.url || `/attachments/${item.id}/`;
      const entry = { key: ++serial, state: "done", id: String(item.id), url, progress: 1 };
      this.entries.push(entry);
      this.list.appendChild(this.render(entry));
    }
    this.refresh();
  }
}
