// 提交: sending the report until the server has it. Pressing 提交 puts the report in the outbox
// on the phone (IndexedDB, photos still to upload as blobs: delivery.js), then sends it from the
// page: the same id goes with every attempt, so a resend is never a second report. A lost
// connection, a timeout or a 5xx/408/429 is tried again after 2, 4, 8, 16, then every 30 seconds
// (at once when the phone comes back online), saying so next to the button; the draft is marked
// pending meanwhile. The worker may leave the page: the report waits in the outbox, listed on
// /m/, and is sent by the next page opened, by the `online` event or by the service worker's
// Background Sync. Any other answer ends the attempt: its errors are shown per field.
//
// 200 and 201 both mean "stored": the server answers 200 only when it holds this very report (same
// id, same answers). 409 `id_taken` means it holds a *different* report under this id (most
// likely an earlier, changed version of this one, or another app's or person's), and this one is
// not stored: it is never taken as sent. The report stays on the page and in the draft with a
// new id, and the server's message stays under the button, so the grid worker sees that nothing
// was sent and decides: pressing 提交 again sends it as a new report. Keeping the old id instead
// would leave a report that can never be sent.
//
// A report refused while the page was closed comes back the same way when the form opens with
// its draft or from the outbox list (?fix=<id>): resume() finds it refused and shows why.
//
// state: {id, pending, sending, done}, shared with the draft.

import { DELIVERED, REFUSED, WAITING, deliverNow, requestSync } from "./delivery.js";
import { check, clearAllErrors, showErrors } from "./errors.js";
import { isoWithOffset, newUuid } from "./envelope.js";
import { csrfToken } from "./http.js";
import { fmt, toptips } from "./messages.js";
import { collect, loadScope, queuedPhotos, saveScope } from "./scope.js";
import { reports } from "./store.js";

// The submitted page's URL comes with this id in it, replaced by the report's.
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** Wait ms, or less if the phone comes back online. */
const sleep = (ms) =>
  new Promise((resolve) => {
    const done = () => {
      window.removeEventListener("online", done);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener("online", done); // back online: try at once
  });

export class Outbox {
  /** config: {person, app, appName, version, submitUrl, uploadUrl, submittedUrl}; texts. */
  constructor({ form, root, config, texts, state, draft }) {
    this.form = form;
    this.root = root;
    this.config = config;
    this.texts = texts;
    this.state = state;
    this.draft = draft;
    this.button = document.getElementById("submit-btn");
    this.idInput = document.getElementById("submission-id");
    this.status = document.getElementById("submit-status");
    this.homeLink = document.getElementById("queued-home");
  }

  /** No network: the report is safe in the outbox; the worker may go (the button says so). */
  setQueued(queued) {
    if (this.homeLink) this.homeLink.hidden = !queued;
    if (!queued) return;
    this.button.classList.remove("weui-btn_loading");
    this.button.textContent = this.texts.queued;
  }

  /** The line under the button (#submit-status); `warn` while it is not going well. */
  setStatus(message, warn = false) {
    this.status.textContent = message || "";
    this.status.classList.toggle("m-submit-status_warn", warn);
  }

  setBusy(busy) {
    const { button, texts } = this;
    this.state.sending = busy;
    button.disabled = busy;
    button.classList.toggle("weui-btn_loading", busy);
    button.textContent = "";
    if (busy) {
      const spinner = document.createElement("span");
      spinner.className = "weui-primary-loading weui-primary-loading_transparent";
      spinner.innerHTML = '<i class="weui-primary-loading__dot"></i>';
      button.append(spinner, texts.submitting);
    } else button.textContent = texts.submit;
  }

  setId(id) {
    this.state.id = id;
    this.idInput.value = id;
    this.form.dataset.submissionId = id;
  }

  /** The report as the outbox keeps it, pinned to the version this page shows. */
  entry() {
    const { config, root, state } = this;
    return {
      id: state.id,
      person: config.person,
      app: config.app,
      app_name: config.appName,
      version: config.version,
      submit_url: config.submitUrl,
      upload_url: config.uploadUrl,
      data: collect(root),
      values: saveScope(root),
      photos: queuedPhotos(root),
      device_time: isoWithOffset(new Date()),
      created_at: Date.now(),
      state: WAITING,
      attempts: 0,
    };
  }

  /** Send until the server confirms or refuses, saying how it goes under the button. */
  async drive(entry) {
    const { texts } = this;
    this.setBusy(true);
    for (let attempt = 1; ; attempt++) {
      let result;
      try {
        result = await deliverNow(entry, { csrf: csrfToken() });
      } catch (err) {
        result = { outcome: WAITING, entry };
      }
      if (result.outcome === DELIVERED) return this.delivered(result.entry);
      if (result.outcome === REFUSED) return this.refused(result.entry);
      const seconds = Math.min(30, 2 ** Math.min(attempt, 5));
      const offline = navigator.onLine === false;
      if (offline) this.setStatus(texts.queued_offline, true);
      else this.setStatus(fmt(texts.retrying_in, seconds), true);
      this.setQueued(offline);
      if (attempt === 1 || attempt % 3 === 0) {
        toptips(navigator.onLine === false ? texts.queued_offline : texts.retrying);
      }
      await sleep(seconds * 1000);
      if (navigator.onLine !== false) {
        this.setBusy(true);
        this.setQueued(false);
        this.setStatus(texts.retrying, true);
      }
    }
  }

  delivered(entry) {
    this.state.done = true;
    this.draft.clear();
    window.location.assign(this.config.submittedUrl.replace(NIL_UUID, String(entry.id)));
  }

  /** Refused: the report comes back to the form to fix, with the server's words (never lost). */
  async refused(entry) {
    const { state, texts, root, draft } = this;
    state.pending = false;
    if (entry.values) loadScope(root, entry.values); // photos the outbox uploaded come back done
    try {
      await reports.remove(entry.id); // the draft holds it now
    } catch (err) {
      // no IndexedDB: nothing was kept there
    }
    this.setBusy(false);
    const message = entry.reason || texts.submit_failed;
    if (entry.code === "id_taken") {
      this.setId(newUuid());
      draft.save();
      this.setStatus(message, true); // stays: the report was not sent
      toptips(message, 5000);
      return;
    }
    draft.save();
    this.setStatus("");
    const elsewhere = showErrors(root, entry.fields || {});
    toptips(elsewhere.length ? `${message}：${elsewhere.join("；")}` : message, 5000);
  }

  /** The page closed while sending, or the outbox refused it: take it up where it is. */
  async resume() {
    this.setStatus(this.texts.resuming, true);
    let stored = null;
    try {
      stored = await reports.get(this.state.id);
    } catch (err) {
      stored = null;
    }
    if (stored && String(stored.person) !== String(this.config.person)) stored = null;
    if (!stored && this.state.fixing) {
      // nothing to fix any more (sent meanwhile, or someone else's): an empty form
      this.state.pending = false;
      this.setStatus("");
      return undefined;
    }
    if (!stored) return this.submit(); // a draft from before the outbox: send what the form holds
    if (stored.state === DELIVERED) return this.delivered(stored);
    if (stored.state === REFUSED) return this.refused(stored);
    return this.drive(stored);
  }

  async submit() {
    const { state, texts, root, draft } = this;
    if (state.sending) return;
    const errors = check(root, texts);
    if (Object.keys(errors).length) {
      showErrors(root, errors);
      toptips(texts.check_fields);
      return;
    }
    clearAllErrors(root);
    const entry = this.entry();
    state.pending = true;
    draft.save();
    this.setStatus("");
    try {
      await reports.put(entry);
      requestSync();
    } catch (err) {
      // no IndexedDB: sent from this page only, as long as it is open
    }
    await this.drive(entry);
  }
}
