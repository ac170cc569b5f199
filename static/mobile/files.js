// 文件: upload documents (PDF, Word, Excel) or pictures as they are; keep the attachment ids.

import { NetworkError, uploadFile } from "./http.js";
import { UploadList } from "./uploads.js";

export class FilesControl extends UploadList {
  constructor(el, field, ui) {
    super(el, field, ui);
    this.list.addEventListener("click", (event) => {
      const button = event.target.closest("[data-remove-file]");
      if (!button) return;
      const key = Number(button.dataset.removeFile);
      this.entries = this.entries.filter((e) => e.key !== key);
      this.renderAll();
      this.ui.changed();
    });
    this.serial = 0;
    this.renderAll();
  }

  add(files) {
    for (const file of this.room(files, this.ui.texts.file_limit)) {
      const entry = { key: ++this.serial, state: "uploading", name: file.name || "file" };
      this.entries.push(entry);
      this.upload(entry, file);
    }
    this.ui.clearError(this.el);
    this.renderAll();
    this.ui.changed();
  }

  async upload(entry, file) {
    try {
      const res = await uploadFile(this.ui.uploadUrl, file, entry.name);
      if (res.status === 201 && res.body && res.body.id) {
        entry.state = "done";
        entry.id = String(res.body.id);
      } else {
        entry.state = "failed";
        entry.message = (res.body && res.body.message) || this.ui.texts.upload_failed;
      }
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      entry.state = "failed";
      entry.message = this.ui.texts.upload_failed;
    }
    if (entry.state === "failed") this.ui.setError(this.el, `${entry.name}：${entry.message}`);
    this.renderAll();
    this.ui.changed();
  }

  renderAll() {
    this.list.textContent = "";
    for (const entry of this.entries) {
      const li = document.createElement("li");
      li.className = `m-files__item m-files__item_${entry.state}`;
      const name = document.createElement("span");
      name.className = "m-files__name";
      name.textContent = entry.name;
      const status = document.createElement("span");
      status.className = "m-files__status";
      status.textContent =
        entry.state === "uploading"
          ? this.ui.texts.uploading
          : entry.state === "failed"
            ? this.ui.texts.upload_failed
            : "";
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "m-files__del";
      remove.dataset.removeFile = String(entry.key);
      remove.textContent = this.ui.texts.remove;
      li.append(name, status, remove);
      this.list.appendChild(li);
    }
    this.refresh();
  }

  save() {
    const done = this.entries.filter((e) => e.state === "done");
    return done.length ? done.map((e) => ({ id: e.id, name: e.name })) : undefined;
  }

  set(list) {
    this.entries = [];
    for (const item of Array.isArray(list) ? list : []) {
      if (!item || !item.id) continue;
      this.entries.push({ key: ++this.serial, state: "done", id: String(item.id), name: item.name || "" });
    }
    this.renderAll();
  }
}
