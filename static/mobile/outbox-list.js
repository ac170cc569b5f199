// 发件箱 on /m/: the signed-in person's reports kept on the phone, newest first, with their state
// (等待网络 / 等待重新登录 / 发送中 / 已送达 / 被退回：reason, with 去修改 opening the form on it).
// Redrawn whenever delivery.js changes a report, here, in another page or in the service worker;
// offline.js does the sending. The texts come from the page (#outbox-texts).

import { DELIVERED, REFUSED, SENDING, WAITING, onOutboxChange } from "./delivery.js";
import { draftKey } from "./draft.js";
import { fmt, pageJSON } from "./messages.js";
import { sendWaiting } from "./offline.js";
import { reports } from "./store.js";
import { refreshLists } from "./tabs.js";

const person = document.body.dataset.person;
const section = document.getElementById("outbox");
const list = document.getElementById("outbox-list");
const TEXTS = pageJSON("outbox-texts");
let timer = null;
const seen = new Map(); // report id -> the state it was last drawn in

const pad = (n) => String(n).padStart(2, "0");
const when = (ms) => {
  const d = new Date(ms);
  return fmt(TEXTS.time, { m: d.getMonth() + 1, d: d.getDate(), t: `${pad(d.getHours())}:${pad(d.getMinutes())}` });
};

function stateText(entry) {
  if (entry.state === DELIVERED) return TEXTS.delivered;
  if (entry.state === REFUSED) return TEXTS.refused;
  if (entry.state === SENDING) return TEXTS.sending;
  return entry.waiting_for === "login" ? TEXTS.waiting_login : TEXTS.waiting;
}

/** What the server said was wrong: the field messages when it named fields, else its message. */
function reason(entry) {
  const messages = Object.values(entry.fields || {}).flat().filter(Boolean);
  return messages.length ? messages.join("；") : entry.reason || TEXTS.refused_unknown;
}

function span(className, text) {
  const el = document.createElement("span");
  el.className = className;
  el.textContent = text;
  return el;
}

function row(entry) {
  const item = document.createElement("div");
  item.className = `weui-cell m-outbox__item m-outbox__item_${entry.state}`;
  item.dataset.report = entry.id;
  item.dataset.state = entry.state;
  const body = document.createElement("div");
  body.className = "weui-cell__bd m-outbox__bd";
  body.append(span("m-app-name", entry.app_name || entry.app));
  let meta = when(entry.created_at);
  if (entry.work_order) meta += ` · ${fmt(TEXTS.work_order, entry.work_order.number)}`;
  body.append(span("weui-cell__desc", meta));
  if (entry.state === REFUSED) body.append(span("m-outbox__reason", fmt(TEXTS.refused_reason, reason(entry))));
  const foot = document.createElement("div");
  foot.className = "weui-cell__ft m-outbox__ft";
  foot.append(span(`m-state m-outbox__state m-outbox__state_${entry.state}`, stateText(entry)));
  if (entry.state === REFUSED) {
    const fix = document.createElement("a");
    fix.className = "weui-link m-outbox__fix";
    fix.href = `${TEXTS.form_url.replace("__app__", encodeURIComponent(entry.app))}?fix=${encodeURIComponent(entry.id)}`;
    fix.textContent = TEXTS.fix;
    foot.append(fix);
  }
  item.append(body, foot);
  return item;
}

/** A report sent from here leaves no pending draft behind in its form. */
function forgetDraft(entry) {
  try {
    const key = draftKey(person, entry.app);
    const draft = JSON.parse(localStorage.getItem(key) || "null");
    if (draft && draft.id === entry.id) localStorage.removeItem(key);
  } catch (err) {
    // no storage: no draft either
  }
}

async function render() {
  let entries = [];
  try {
    entries = (await reports.all()).filter((e) => String(e.person) === String(person));
  } catch (err) {
    entries = [];
  }
  entries.sort((a, b) => b.created_at - a.created_at);
  list.replaceChildren(...entries.map(row));
  section.hidden = entries.length === 0;
  for (const entry of entries) if (entry.state === DELIVERED) forgetDraft(entry);
  // Arrived while this page was open: 我的上报 (and the counts) now hold it on the server.
  const arrived = entries.some((e) => e.state === DELIVERED && seen.has(e.id) && seen.get(e.id) !== DELIVERED);
  for (const entry of entries) seen.set(entry.id, entry.state);
  if (arrived) refreshLists();
  // While the page is open, the next try comes when the first backoff ends.
  clearTimeout(timer);
  const next = entries.filter((e) => e.state === WAITING).map((e) => e.next_at || 0);
  if (next.length) timer = setTimeout(() => sendWaiting(false), Math.max(1000, Math.min(...next) - Date.now()));
}

onOutboxChange(render);
render();
