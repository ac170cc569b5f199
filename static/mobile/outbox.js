// 提交: sending the report until the server has it. The same id goes with every attempt, so a
// resend is never a second report. A lost connection, a timeout or a 5xx/408/429 is tried again
// after 2, 4, 8, 16, then every 30 seconds (at once when the phone comes back online), saying so
// next to the button; the draft is marked pending meanwhile, so a closed page resumes sending on
// the next visit. Any other answer ends the attempt: its errors are shown per field.
//
// 200 and 201 both mean "stored": the server answers 200 only when it holds this very report (same
// id, same answers). 409 `id_taken` means it holds a *different* report under this id (most
// likely an earlier, changed version of this one, or another app's or person's), and this one is
// not stored: it is never taken as sent. The report stays on the page and in the draft with a
// new id, and the server's message stays under the button, so the grid worker sees that nothing
// was sent and decides: pressing 提交 again sends it as a new report. Keeping the old id instead
// would leave a report that can never be sent.
//
// state: {id, pending, sending, done}, shared with the draft.

import { check, clearAllErrors, showErrors } from "./errors.js";
import { isoWithOffset, newUuid } from "./envelope.js";
import { NetworkError, isTransient, postJSON } from "./http.js";
import { fmt, toptips } from "./messages.js";
import { collect } from "./scope.js";

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
  /** config: {version, submitUrl, submittedUrl}; texts from the page. */
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

  /** Post until an answer that is not worth retrying; resolves {ok, status, body}. */
  async send(body) {
    const { texts } = this;
    for (let attempt = 1; ; attempt++) {
      let res = null;
      try {
        res = await postJSON(this.config.submitUrl, body);
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
      }
      if (res && (res.status === 200 || res.status === 201) && res.body && res.body.id) {
        return { ok: true, body: res.body };
      }
      const transient = !res || isTransient(res.status);
      if (!transient) return { ok: false, status: res.status, body: res.body || {} };
      const seconds = Math.min(30, 2 ** Math.min(attempt, 5));
      this.setStatus(fmt(texts.retrying_in, seconds), true);
      if (attempt === 1 || attempt % 3 === 0) toptips(texts.retrying);
      await sleep(seconds * 1000);
      this.setStatus(texts.retrying, true);
    }
  }

  /** The page closed while sending: send again, saying so. */
  resume() {
    this.setStatus(this.texts.resuming, true);
    this.submit();
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
    const body = {
      id: state.id,
      version: this.config.version,
      data: collect(root),
      device_time: isoWithOffset(new Date()),
    };
    state.pending = true;
    draft.save();
    this.setBusy(true);
    this.setStatus("");
    let result;
    try {
      result = await this.send(body);
    } catch (err) {
      result = { ok: false, status: 0, body: {} };
    }
    if (result.ok) {
      state.done = true;
      draft.clear();
      const id = String(result.body.id || state.id);
      window.location.assign(this.config.submittedUrl.replace(NIL_UUID, id));
      return;
    }
    state.pending = false;
    const { body: error } = result;
    if (error.code === "id_taken") {
      this.setId(newUuid());
      draft.save();
      this.setBusy(false);
      const message = error.message || texts.submit_failed;
      this.setStatus(message, true); // stays: the report was not sent
      toptips(message, 5000);
      return;
    }
    draft.save();
    this.setBusy(false);
    this.setStatus("");
    const elsewhere = showErrors(root, error.fields || {});
    const message = error.message || texts.submit_failed;
    toptips(elsewhere.length ? `${message}：${elsewhere.join("；")}` : message, 5000);
  }
}
