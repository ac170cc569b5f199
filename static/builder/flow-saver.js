// Saving a draft from a builder tab: debounced, one request in flight, a visible state
// (已保存 / 保存中… / 保存失败), retries with backoff on network trouble, and a stale revision
// shown as a conflict — never written over.

import { csrfToken } from "./dom.js";

const RETRY_MS = [2000, 5000, 10000, 30000];


function clock(date = new Date()) {
  return date.toTimeString().slice(0, 8);
}

export class DraftSaver {
  constructor(key, { onLoaded, onSaved, current }) {
    this.url = `/api/apps/${encodeURIComponent(key)}/`;
    this.onLoaded = onLoaded;
    this.onSaved = onSaved;
    this.current = current;
    this.status = document.getElementById("save-status");
    this.retry = document.getElementById("save-retry");
    this.timer = null;
    this.inFlight = false;
    this.dirty = false;
    this.failures = 0;
    this.conflicted = false;
    window.addEventListener("beforeunload", (event) => {
      if (this.dirty || this.inFlight) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  show(text, state) {
    this.status.textContent = text;
    this.status.dataset.state = state;
    this.retry.hidden = state !== "failed";
  }

  async load() {
    this.show("载入中…", "loading");
    document.getElementById("flow-conflict").hidden = true;
    this.conflicted = false;
    const response = await fetch(this.url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
      this.show(`载入失败（${response.status}），请刷新页面`, "failed");
      return;
    }
    const detail = await response.json();
    this.schema = detail.draft.schema;
    this.ui = detail.draft.ui;
    this.revision = detail.revision;
    this.dirty = false;
    this.onLoaded(detail, detail.can_edit !== false);
    this.show(`已保存 · 第 ${detail.revision} 稿`, "saved");
  }

  schedule() {
    if (this.conflicted) return;
    this.dirty = true;
    this.show("有修改，即将保存…", "pending");
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.saveNow(), 600);
  }

  async saveNow() {
    clearTimeout(this.timer);
    if (this.inFlight) {
      this.again = true;
      return;
    }
    if (this.conflicted) return;
    this.inFlight = true;
    this.dirty = false;
    this.show("保存中…", "saving");
    const body = { schema: this.schema, ui: this.ui, flow: this.current(), revision: this.revision };
    let response = null;
    let detail = null;
    try {
      response = await fetch(`${this.url}draft/`, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(body),
      });
      detail = await response.json().catch(() => null);
    } catch (err) {
      response = null;
    }
    this.inFlight = false;
    if (response && response.ok) {
      this.failures = 0;
      this.revision = detail.revision;
      this.show(`已保存 · 第 ${detail.revision} 稿 · ${clock()}`, "saved");
      this.onSaved(detail);
      if (this.again || this.dirty) {
        this.again = false;
        this.saveNow();
      }
      return;
    }
    this.dirty = true;
    if (response && response.status === 409) {
      this.conflicted = true;
      document.getElementById("flow-conflict-text").textContent = detail.message;
      document.getElementById("flow-conflict").hidden = false;
      this.show("未保存：草稿已被他人修改", "conflict");
      return;
    }
    if (!response || response.status >= 500 || response.status === 429) {
      const wait = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)];
      this.failures += 1;
      this.show(`保存失败（${response ? response.status : "网络不通"}），${Math.round(wait / 1000)} 秒后重试`, "failed");
      this.timer = setTimeout(() => this.saveNow(), wait);
      return;
    }
    this.show(`保存失败：${(detail && detail.message) || response.status}`, "failed");
  }

  /** 复制我的修改: my flow as JSON to the clipboard (and as a file when that is refused). */
  async copyMine() {
    const text = JSON.stringify(this.current(), null, 2);
    try {
      await navigator.clipboard.writeText(text);
      this.show("已复制到剪贴板", "conflict");
    } catch (err) {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      link.download = "my-flow.json";
      link.click();
    }
  }
}
