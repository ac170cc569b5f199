// 发件箱: sending the reports kept on the phone until the server confirms them. One function for
// the form page (while it is open), every phone page (on open and on `online`) and the service
// worker (Background Sync), so there is one copy of the rules:
//
//   - photos still waiting (blobs) are uploaded first; their attachment ids replace the tokens
//     ("queued:<uuid>") the answers carry, and each upload is saved at once, never done twice;
//   - the report goes with the same id every time: 200 and 201 both mean the server holds it;
//   - no answer, a 5xx/408/429, or 401/403 (the session lapsed, the CSRF token changed) is
//     "waiting": tried again with backoff (2, 4, 8 … 300 s), at once on `online` or page open;
//   - any other answer is "refused" (a field error after the app changed, a photo gone, 409
//     id_taken): the report stays on the phone, with the server's message and field errors,
//     until the worker fixes it in the form (?fix=<id>) — never dropped;
//   - only the signed-in person's reports are sent (the server records who sends).
//
// A report: {id, person, app, app_name, version, submit_url, upload_url, data, values,
// photos: [{token, path, blob, name, attachment}], device_time, created_at, state, attempts,
// next_at, reason, code, fields, work_order}. `values` is the form as the draft keeps it.

import { NetworkError, isTransient, postJSON, uploadBlob } from "./http.js";
import { reports } from "./store.js";

export const WAITING = "waiting";
export const SENDING = "sending";
export const DELIVERED = "delivered";
export const REFUSED = "refused";
// Delivered reports stay listed this long (and at most KEEP_DELIVERED of them), then go.
const KEEP_DELIVERED = 10;
const KEEP_DELIVERED_MS = 3 * 24 * 3600 * 1000;

const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("lightapps-outbox") : null;
const listeners = new Set();

/** Call fn whenever a report changes, here or in another page or the service worker. */
export function onOutboxChange(fn) {
  listeners.add(fn);
  if (channel) channel.addEventListener("message", () => fn());
}

function changed() {
  for (const fn of listeners) fn();
  if (channel) channel.postMessage("changed");
}

async function save(entry) {
  try {
    await reports.put(entry);
  } catch (err) {
    // no IndexedDB: the page still holds the report
  }
  changed();
}

/** One lock across pages and the worker, so that a report is never being sent twice at once. */
function exclusive(fn, ifAvailable = false) {
  const locks = typeof navigator !== "undefined" && navigator.locks;
  if (!locks) return fn();
  return locks.request("lightapps-outbox", { ifAvailable }, (lock) => (lock ? fn() : null));
}

const backoffMs = (attempts) => Math.min(300, 2 ** Math.min(attempts, 9)) * 1000;
const waits = (status) => isTransient(status) || status === 401 || status === 403;

/** Replace every string that is a key of `ids` by its value, anywhere in a JSON value. */
function replaced(value, ids) {
  if (typeof value === "string") return Object.prototype.hasOwnProperty.call(ids, value) ? ids[value] : value;
  if (Array.isArray(value)) return value.map((v) => replaced(v, ids));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaced(v, ids)]));
  }
  return value;
}

function uploadedIds(entry) {
  const ids = {};
  for (const photo of entry.photos || []) if (photo.attachment) ids[photo.token] = photo.attachment;
  return ids;
}

async function wait(entry, why) {
  entry.state = WAITING;
  entry.waiting_for = why; // "network" or "login"
  entry.next_at = Date.now() + backoffMs(entry.attempts);
  await save(entry);
  return { outcome: WAITING, entry };
}

async function refuse(entry, body, fields) {
  entry.state = REFUSED;
  entry.code = body.code || "";
  entry.reason = body.message || "";
  entry.fields = fields || body.fields || {};
  entry.values = replaced(entry.values, uploadedIds(entry));
  await save(entry);
  return { outcome: REFUSED, entry };
}

async function deliver(entry, csrf) {
  entry.state = SENDING;
  entry.attempts = (entry.attempts || 0) + 1;
  await save(entry);
  try {
    for (const photo of entry.photos || []) {
      if (photo.attachment) continue;
      const res = await uploadBlob(entry.upload_url, photo.blob, photo.name, csrf);
      if (res.status === 201 && res.body && res.body.id) {
        photo.attachment = String(res.body.id);
        photo.blob = null;
        await save(entry);
      } else if (waits(res.status)) {
        return wait(entry, res.status === 401 || res.status === 403 ? "login" : "network");
      } else {
        const body = res.body || {};
        return refuse(entry, body, { [photo.path]: [body.message || ""] });
      }
    }
    const body = {
      id: entry.id,
      version: entry.version,
      data: replaced(entry.data, uploadedIds(entry)),
      device_time: entry.device_time,
    };
    const res = await postJSON(entry.submit_url, body, 30000, csrf);
    if ((res.status === 200 || res.status === 201) && res.body && res.body.id) {
      entry.state = DELIVERED;
      entry.delivered_at = Date.now();
      entry.work_order = res.body.work_order || null;
      // What was sent is on the server now; the phone keeps only what the list shows.
      entry.data = entry.values = entry.fields = null;
      entry.photos = [];
      await save(entry);
      return { outcome: DELIVERED, entry };
    }
    if (waits(res.status)) return wait(entry, res.status === 401 || res.status === 403 ? "login" : "network");
    return refuse(entry, res.body || {});
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    return wait(entry, "network");
  }
}

/**
 * Send one report now (the form page's own attempt): the stored copy is read again inside the
 * lock, so a report another page or the worker has just sent or refused is not sent again.
 */
export function deliverNow(entry, { csrf } = {}) {
  return exclusive(async () => {
    let stored = null;
    try {
      stored = await reports.get(entry.id);
    } catch (err) {
      stored = null;
    }
    const current = stored || entry;
    if (current.state === DELIVERED || (stored && current.state === REFUSED)) {
      return { outcome: current.state, entry: current };
    }
    return deliver(current, csrf);
  });
}

/**
 * Send the person's waiting reports (all of them with `force`, else those whose backoff has
 * passed); resolves how many are still waiting. Skipped while another page or the worker is at
 * it, unless `wait` (the worker's Background Sync waits its turn: a skipped sync would be over).
 */
export function deliverAll({ person, csrf, force = false, wait = false }) {
  return exclusive(async () => {
    let left = 0;
    const mine = (await reports.all()).filter((e) => String(e.person) === String(person));
    for (const entry of mine.sort((a, b) => a.created_at - b.created_at)) {
      if (entry.state !== WAITING && entry.state !== SENDING) continue;
      if (!force && entry.next_at > Date.now()) {
        left++;
        continue;
      }
      const { outcome } = await deliver(entry, csrf);
      if (outcome === WAITING) left++;
    }
    await prune(mine);
    return left;
  }, !wait).then((left) => left || 0);
}

async function prune(mine) {
  const delivered = mine
    .filter((e) => e.state === DELIVERED)
    .sort((a, b) => b.delivered_at - a.delivered_at);
  const now = Date.now();
  for (const [i, entry] of delivered.entries()) {
    if (i >= KEEP_DELIVERED || now - entry.delivered_at > KEEP_DELIVERED_MS) await reports.remove(entry.id);
  }
}

/** Ask the service worker to send when the network is back, where Background Sync exists. */
export async function requestSync() {
  try {
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    const registration = await navigator.serviceWorker.ready;
    if (registration.sync) await registration.sync.register("outbox");
  } catch (err) {
    // no Background Sync: the pages send on open and when the phone comes back online
  }
}
