// 草稿: what is typed is kept on the phone (localStorage, one draft per person and app) so that a phone
// call, WeCom going to the background or a closed page loses nothing. The draft comes back on
// the next visit, with the report's id and whether it was being sent, until it is discarded
// (清空重填) or the server has the report. A report sent while offline also lives in the outbox
// (delivery.js); a report the server refused comes back here, as the draft to fix.
//
// state: {id, pending, touched, done} of the report being filled in, shared with the outbox.

import { isoWithOffset } from "./envelope.js";
import { saveScope } from "./scope.js";

/** Where a person's draft of an app is kept. */
export const draftKey = (person, app) => `lightapps:draft:${person}:${app}`;

// Typing is saved this long after the last change, not on every key.
const SAVE_DELAY_MS = 400;

export class Draft {
  constructor({ person, app, version, root, state }) {
    this.key = draftKey(person, app);
    // Drafts were once kept per app only; such a draft is taken over by whoever opens it next.
    this.oldKey = `lightapps:draft:${app}`;
    this.version = version;
    this.root = root;
    this.state = state;
    this.timer = null;
  }

  /** The draft kept for this app, or null. */
  read() {
    try {
      const raw = localStorage.getItem(this.key) || localStorage.getItem(this.oldKey);
      const draft = JSON.parse(raw || "null");
      return draft && typeof draft === "object" && draft.values ? draft : null;
    } catch (err) {
      return null;
    }
  }

  save() {
    clearTimeout(this.timer);
    if (this.state.done) return; // submitted: leaving the page must not bring the draft back
    try {
      localStorage.setItem(
        this.key,
        JSON.stringify({
          id: this.state.id,
          version: this.version,
          pending: this.state.pending,
          values: saveScope(this.root),
          saved_at: isoWithOffset(new Date()),
        }),
      );
      localStorage.removeItem(this.oldKey);
    } catch (err) {
      // private mode or full storage: the form still works, only without a draft
    }
  }

  saveSoon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  clear() {
    clearTimeout(this.timer);
    try {
      localStorage.removeItem(this.key);
      localStorage.removeItem(this.oldKey);
    } catch (err) {
      // nothing to clear
    }
  }

  /** Leaving the page (WeCom to the background, a phone call): keep what is typed. */
  saveOnLeave() {
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden" && this.state.touched) this.save();
    });
    window.addEventListener("pagehide", () => {
      if (this.state.touched) this.save();
    });
  }

  /** Say the draft came back (#draft-bar), and offer to discard it and start afresh. */
  offerDiscard(texts, message = "") {
    const bar = document.getElementById("draft-bar");
    bar.querySelector("[data-draft-text]").textContent = message || texts.draft_restored;
    bar.hidden = false;
    bar.querySelector("[data-discard]").addEventListener("click", () => {
      if (!window.confirm(texts.confirm_discard)) return;
      this.clear();
      window.location.replace(window.location.pathname);
    });
  }
}
