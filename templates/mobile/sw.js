{% load i18n %}// 离线: the service worker of the phone pages, served at /m/sw.js (lightapps/mobile/offline.py
// says why it is our own and not Workbox). It controls /m/ only.
//
//   pages    network first; when the network fails (or is slower than NETWORK_TIMEOUT_MS and a
//            copy is kept) the copy kept for the signed-in person. Only pages the server marks
//            with the person header are kept (home and the forms), never an API answer.
//   static   cache first: every file the phone pages load is precached at install, under a
//            cache named after BUILD, so a deploy brings a fresh cache and drops the old one.
//   people   one cache of pages per person; a page of someone else, a "hello" from a page naming
//            another person or a "forget" from the login page deletes the others' caches.
//   outbox   Background Sync ("outbox") hands the reports waiting on the phone to delivery.js.
import { deliverAll } from "{{ delivery }}";
import { metaGet, metaSet } from "{{ store }}";

const CONFIG = {{ config|safe }};
const STATIC_CACHE = `lightapps-static-${CONFIG.build}`;
const PAGES = "lightapps-pages-";
const NETWORK_TIMEOUT_MS = 6000;
{% translate "离线：这个页面没有保存在本机，请联网后再打开。" as not_kept %}{% translate "返回首页" as home %}
const OFFLINE_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{{ css }}"></head>
<body class="m-body"><main class="m-page"><p class="m-offline">{{ not_kept|escapejs }}</p>
<p class="weui-btn-area"><a class="weui-btn weui-btn_default" href="${CONFIG.scope}">{{ home|escapejs }}</a></p>
</main></body></html>`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => cache.addAll(CONFIG.static))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("lightapps-static-") && name !== STATIC_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

/** Only this person's pages stay on the phone (null: nobody's). */
async function signedIn(person) {
  await metaSet("person", person);
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES) && name !== PAGES + person) await caches.delete(name);
  }
}

/** The key of a kept page: its path, without the query (a form opened with ?fix= is the form),
 * except an earlier version of a form (?version=N), which is a page of its own. */
const pageKey = (url) => {
  const u = new URL(url, self.location.href);
  const version = u.searchParams.get("version");
  return u.origin + u.pathname + (version ? `?version=${encodeURIComponent(version)}` : "");
};

async function keep(url, response) {
  const person = response.headers.get(CONFIG.personHeader);
  if (!response.ok || response.redirected || response.type !== "basic" || !person) return;
  if ((await metaGet("person")) !== person) await signedIn(person);
  const cache = await caches.open(PAGES + person);
  await cache.put(pageKey(url), response);
}

async function kept(url) {
  const person = await metaGet("person");
  if (!person || !(await caches.has(PAGES + person))) return undefined;
  const cache = await caches.open(PAGES + person);
  return cache.match(pageKey(url));
}

const timeout = (ms) => new Promise((_resolve, reject) => setTimeout(() => reject(new Error("slow")), ms));

function page(event) {
  const { request } = event;
  const network = fetch(request).then(async (response) => {
    await keep(request.url, response.clone());
    return response;
  });
  event.waitUntil(network.catch(() => undefined)); // a slow answer still refreshes the copy
  return (async () => {
    try {
      return await Promise.race([network, timeout(NETWORK_TIMEOUT_MS)]);
    } catch (err) {
      const copy = await kept(request.url);
      if (copy) return copy;
      try {
        return await network;
      } catch (err2) {
        return new Response(OFFLINE_PAGE, {
          status: 503,
          headers: { "Content-Type": "text/html; charset=utf-8" },
        });
      }
    }
  })();
}

async function staticFile(request) {
  const cache = await caches.open(STATIC_CACHE);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(CONFIG.staticPrefix)) event.respondWith(staticFile(request));
  else if (request.mode === "navigate" && url.pathname.startsWith(CONFIG.scope)) {
    event.respondWith(page(event));
  }
  // Anything else (the API, photos, uploads) goes to the network untouched and is never kept.
});

/** Fetch the pages a person uses (home lists their forms) unless the kept copy is current. */
async function warm(pages) {
  for (const { url, version } of pages || []) {
    try {
      const copy = await kept(url);
      if (copy && version !== undefined && copy.headers.get(CONFIG.versionHeader) === String(version)) {
        continue;
      }
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      await keep(new URL(url, self.location.href).href, response);
    } catch (err) {
      // offline: the kept copy stays
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "hello" && data.person) {
    event.waitUntil(
      (async () => {
        const person = String(data.person);
        if ((await metaGet("person")) !== person) await signedIn(person);
        await metaSet("csrf", data.csrf || "");
      })(),
    );
  } else if (data.type === "warm") {
    event.waitUntil(warm(data.pages));
  } else if (data.type === "forget") {
    event.waitUntil(signedIn(null).then(() => metaSet("csrf", "")));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(
    (async () => {
      const person = await metaGet("person");
      if (!person) return;
      const csrf = await metaGet("csrf");
      const left = await deliverAll({ person, csrf, force: true, wait: true });
      if (left) throw new Error("reports still waiting"); // the browser tries again later
    })(),
  );
});
