// 自动保存: the draft is saved ~800 ms after the last edit, one save at a time, against the
// revision it was loaded at (PUT /api/apps/{key}/draft/). What the bar says: 已保存 / 保存中… /
// 保存失败（重试）. A network error or a 5xx is tried again after 2, 4, 8 … 30 s; a 409
// draft_conflict (someone saved since) stops saving and opens the conflict dialog — never a
// silent overwrite; a 403 says why this person may not save.

import { api, fmt } from "./dom.js";

const DEBOUNCE_MS = 800;

export class Autosave {
  /** ctx: {config, texts, state(), flow, revision}; hooks: {saved(body, sent), conflict(body)}. */
  constructor(ctx, hooks) {
    this.ctx = ctx;
    this.hooks = hooks;
    this.saved = ctx.state(); // the state the server holds
    this.timer = null;
    this.inFlight = null;
    this.failures = 0;
    this.stopped = false;
    this.status = document.getElementById("save-status");
    this.retryButton = document.getElementById("save-retry");
    this.retryButton.addEventListener("click", () => this.saveNow());
    window.addEventListener("beforeunload", (event) => {
      if (this.dirty()) {
        event.preventDefault();
        event.returnValue = ctx.texts.leave_warning;
      }
    });
    this.show("saved");
  }

  dirty() {
    return !this.stopped && (this.ctx.state() !== this.saved || Boolean(this.inFlight));
  }

  show(state, message = "") {
    const t = this.ctx.texts;
    const words = { saved: t.saved, saving: t.saving, failed: t.save_failed, dirty: t.unsaved, readonly: t.read_only,
      conflict: t.conflict_status }; // prettier-ignore
    this.status.dataset.state = state;
    this.status.textContent = message || words[state] || "";
    this.retryButton.hidden = state !== "failed";
  }

  /** An edit happened: save soon. */
  changed() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    if (this.ctx.state() === this.saved && !this.inFlight) {
      this.show("saved");
      return;
    }
    this.show("dirty");
    this.timer = setTimeout(() => this.saveNow(), DEBOUNCE_MS);
  }

  /** The server's copy was replaced (载入最新): it is what we hold now. */
  reset(state) {
    clearTimeout(this.timer);
    this.saved = state;
    this.failures = 0;
    this.stopped = false;
    this.show("saved");
  }

  stop(state, message) {
    clearTimeout(this.timer);
    this.stopped = true;
    this.show(state, message);
  }

  async saveNow() {
    clearTimeout(this.timer);
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true; // after the one in flight
      return;
    }
    const sent = this.ctx.state();
    if (sent === this.saved) return this.show("saved");
    const { config } = this.ctx;
    const body = { schema: sent.schema, ui: sent.ui, flow: this.ctx.flow, revision: this.ctx.revision };
    this.show("saving");
    this.inFlight = api("PUT", config.draft_api, body);
    let answer = null;
    try {
      answer = await this.inFlight;
    } catch (err) {
      answer = null; // no answer: the network
    }
    this.inFlight = null;
    if (answer && answer.status === 200) {
      this.failures = 0;
      this.saved = sent;
      this.ctx.revision = answer.body.revision;
      this.hooks.saved(answer.body, sent);
      if (this.again || this.ctx.state() !== sent) {
        this.again = false;
        this.show("dirty");
        this.timer = setTimeout(() => this.saveNow(), 50);
      } else this.show("saved");
      return;
    }
    this.again = false;
    if (answer && answer.status === 409) {
      this.stop("conflict");
      this.hooks.conflict(answer.body || {});
      return;
    }
    if (answer && answer.status === 403) {
      this.stop("readonly", fmt(this.ctx.texts.not_allowed, (answer.body && answer.body.message) || ""));
      return;
    }
    const transient = !answer || answer.status >= 500 || answer.status === 408 || answer.status === 429;
    const message = answer && answer.body && answer.body.message;
    if (!transient) {
      this.show("failed", message ? `${this.ctx.texts.save_failed}：${message}` : "");
      return;
    }
    this.failures += 1;
    const seconds = Math.min(30, 2 ** this.failures);
    this.show("failed", fmt(this.ctx.texts.retry_in, seconds));
    this.timer = setTimeout(() => this.saveNow(), seconds * 1000);
  }
}
