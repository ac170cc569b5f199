// 离线: on every phone page (and the login page). Registers the service worker (/m/sw.js),
// tells it who is signed in (it keeps pages for that person only) and which pages to keep
// (#offline-pages: home lists the person's forms), shows the 离线 banner while the phone has
// no network, and sends the reports waiting on the phone: now, and whenever it is back online.
// On a page without a person (the login page after 退出) it tells the worker to forget the
// pages it kept.

import { deliverAll } from "./delivery.js";
import { csrfToken } from "./http.js";

const person = document.body.dataset.person || "";
const banner = document.getElementById("offline-banner");

function paint() {
  if (banner) banner.hidden = navigator.onLine !== false;
}

export function sendWaiting(force = true) {
  if (!person) return Promise.resolve(0);
  return deliverAll({ person, csrf: csrfToken(), force }).catch(() => 0);
}

async function start() {
  if (!("serviceWorker" in navigator)) return;
  if (!person) {
    const registration = await navigator.serviceWorker.getRegistration("/m/");
    if (registration && registration.active) registration.active.postMessage({ type: "forget" });
    return;
  }
  const url = document.body.dataset.serviceWorker;
  if (!url) return;
  await navigator.serviceWorker.register(url, { scope: "/m/", type: "module", updateViaCache: "none" });
  const { active } = await navigator.serviceWorker.ready;
  if (!active) return;
  active.postMessage({ type: "hello", person, csrf: csrfToken() });
  const listed = document.getElementById("offline-pages");
  const pages = listed ? JSON.parse(listed.textContent) : [];
  // A page the worker did not serve (the first visit) is kept now.
  if (!navigator.serviceWorker.controller && document.body.dataset.offlinePage) {
    pages.push({ url: window.location.pathname });
  }
  if (pages.length) active.postMessage({ type: "warm", pages });
}

paint();
window.addEventListener("online", () => {
  paint();
  sendWaiting();
});
window.addEventListener("offline", paint);
start().catch(() => {
  // no service worker (e.g. an iOS WebView): the pages work online, the outbox still sends
});
sendWaiting();
