// 签名: draw on a canvas with a finger, confirm, and the drawing is uploaded as a picture
// (white background, so the server's JPEG keeps it readable). The answer is its attachment id.

import { NetworkError, uploadFile } from "./http.js";

export class SignatureControl {
  constructor(el, field, ui) {
    this.el = el;
    this.field = field;
    this.ui = ui;
    this.canvas = el.querySelector("[data-pad]");
    this.image = el.querySelector("[data-image]");
    this.status = el.querySelector("[data-status]");
    this.saveButton = el.querySelector("[data-save]");
    this.ctx = this.canvas.getContext("2d");
    this.id = null;
    this.url = null;
    this.drawn = false;
    this.saving = false;
    this.error = false;
    this.blank();
    let last = null;
    const point = (event) => {
      const box = this.canvas.getBoundingClientRect();
      return {
        x: ((event.clientX - box.left) * this.canvas.width) / box.width,
        y: ((event.clientY - box.top) * this.canvas.height) / box.height,
      };
    };
    this.canvas.addEventListener("pointerdown", (event) => {
      if (this.id) return; // confirmed: 重签 first
      event.preventDefault();
      this.canvas.setPointerCapture(event.pointerId);
      last = point(event);
    });
    this.canvas.addEventListener("pointermove", (event) => {
      if (!last) return;
      event.preventDefault();
      const next = point(event);
      this.ctx.beginPath();
      this.ctx.moveTo(last.x, last.y);
      this.ctx.lineTo(next.x, next.y);
      this.ctx.stroke();
      last = next;
      this.drawn = true;
    });
    const end = () => {
      last = null;
    };
    this.canvas.addEventListener("pointerup", end);
    this.canvas.addEventListener("pointercancel", end);
    el.querySelector("[data-clear]").addEventListener("click", () => {
      this.clear();
      this.ui.changed();
    });
    el.querySelector("[data-save]").addEventListener("click", () => this.confirm());
  }

  blank() {
    this.ctx.fillStyle = "#fff";
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.ctx.strokeStyle = "#111";
    this.ctx.lineWidth = 5;
    this.ctx.lineCap = "round";
    this.ctx.lineJoin = "round";
  }

  clear() {
    this.id = null;
    this.url = null;
    this.drawn = false;
    this.error = false;
    this.blank();
    this.canvas.hidden = false;
    this.image.hidden = true;
    this.saveButton.hidden = false;
    this.status.textContent = this.ui.texts.signature_hint;
  }

  async confirm() {
    if (this.id || this.saving) return;
    if (!this.drawn) {
      this.ui.setError(this.el, this.ui.texts.signature_empty);
      return;
    }
    this.saving = true;
    this.error = false;
    this.status.textContent = this.ui.texts.signature_saving;
    const blob = await new Promise((resolve) => this.canvas.toBlob(resolve, "image/png"));
    try {
      const res = await uploadFile(this.ui.uploadUrl, blob, "signature.png");
      if (res.status === 201 && res.body && res.body.id) {
        this.show(String(res.body.id), res.body.url || `/attachments/${res.body.id}/`);
        this.ui.clearError(this.el);
      } else this.fail((res.body && res.body.message) || this.ui.texts.signature_failed);
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      this.fail(this.ui.texts.signature_failed);
    }
    this.saving = false;
    this.ui.changed();
  }

  fail(message) {
    this.error = true;
    this.status.textContent = message;
    this.ui.setError(this.el, message);
  }

  show(id, url) {
    this.id = id;
    this.url = url;
    this.image.src = url;
    this.image.hidden = false;
    this.canvas.hidden = true;
    this.saveButton.hidden = true;
    this.status.textContent = this.ui.texts.signature_saved;
  }

  pending() {
    return this.saving;
  }

  failed() {
    return this.error;
  }

  get() {
    return this.id || undefined;
  }

  save() {
    return this.id ? { id: this.id, url: this.url } : undefined;
  }

  set(value) {
    if (value && value.id) this.show(String(value.id), value.url || `/attachments/${value.id}/`);
    else this.clear();
  }
}
