// 实时: the console's websocket (lightapps/console/consumers.py). A step of an order this person
// sees arrives as {type: "event", event, order, ...}; the page then fetches itself again and
// swaps its live regions ([data-live-region]) in place, so the rows, counters and timeline are
// what the server renders, scoped and filtered as on a reload. Changed rows are highlighted and,
// while the tab is hidden, the title counts the updates. The socket reconnects with backoff and
// asks for what it missed ({since: last event id}) on open and every half minute.
const root = document.getElementById("live");
if (root && "WebSocket" in window) start(root);

const PING_MS = 30000;
const MAX_WAIT_MS = 30000;
// The first step refreshes at once; steps arriving within a second after it (a catch-up, a busy
// district) make one more refresh, not one each.
const COALESCE_MS = 1000;

function start(root) {
  const msg = root.dataset;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const url = msg.liveWs || `${scheme}://${location.host}/ws/console/`;
  const orderId = Number(msg.liveOrder) || null;
  const baseTitle = document.title;
  const seen = new Set();
  const changed = new Set();
  let last = Number(msg.liveSince) || 0;
  let socket = null;
  let tries = 0;
  let pinger = 0;
  let refreshing = null;
  let unseen = 0;
  let lastRefresh = 0;

  function show(state, text) {
    root.hidden = false;
    root.dataset.state = state;
    root.textContent = text;
  }

  function ping() {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ since: last }));
  }

  function connect() {
    show("connecting", msg.msgConnecting);
    socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      tries = 0;
      show("live", msg.msgLive);
      ping();
      pinger = setInterval(ping, PING_MS);
    });
    socket.addEventListener("message", (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      if (data.type === "event") take([data]);
      else if (data.type === "missed") {
        if (data.more) location.reload();
        else take(data.events || []);
      }
    });
    socket.addEventListener("close", (event) => {
      clearInterval(pinger);
      if (event.code === 4401) return show("ended", msg.msgEnded);
      if (event.code === 4403) return show("refused", msg.msgRefused);
      const wait = Math.min(MAX_WAIT_MS, 1000 * 2 ** tries++) * (0.5 + Math.random() / 2);
      show("offline", msg.msgReconnecting);
      setTimeout(connect, wait);
    });
  }

  function take(events) {
    const fresh = events.filter((e) => Number.isInteger(e.event) && !seen.has(e.event));
    for (const e of fresh) {
      seen.add(e.event);
      last = Math.max(last, e.event);
    }
    const mine = orderId ? fresh.filter((e) => e.order === orderId) : fresh;
    if (!mine.length) return;
    for (const e of mine) changed.add(e.order);
    if (document.hidden) {
      unseen += mine.length;
      document.title = `(${unseen}) ${baseTitle}`;
    }
    if (!refreshing) {
      const wait = Math.max(0, lastRefresh + COALESCE_MS - Date.now());
      refreshing = setTimeout(refresh, wait);
    }
  }

  async function refresh() {
    lastRefresh = Date.now();
    const orders = [...changed];
    changed.clear();
    try {
      // The page as a reload would show it, without ?reveal= (revealing is a person's act,
      // audited once, and the regions swapped here show no answers).
      const url = new URL(location.href);
      url.searchParams.delete("reveal");
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.redirected && new URL(response.url).pathname.startsWith("/login")) {
        show("ended", msg.msgEnded);
        return;
      }
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      swap(page, orders);
    } finally {
      refreshing = null;
      if (changed.size) refreshing = setTimeout(refresh, COALESCE_MS);
    }
  }

  function swap(page, orders) {
    const stateBefore = document.getElementById("order-state")?.dataset.state;
    const itemsBefore = document.querySelectorAll("[data-live-region=timeline] > li").length;
    for (const region of document.querySelectorAll("[data-live-region]")) {
      const next = page.querySelector(`[data-live-region="${region.dataset.liveRegion}"]`);
      if (next) region.replaceWith(document.importNode(next, true));
    }
    document.dispatchEvent(new CustomEvent("live:swapped"));
    for (const id of orders) {
      for (const row of document.querySelectorAll(`tr[data-order="${id}"]`)) row.classList.add("live-new");
    }
    const items = document.querySelectorAll("[data-live-region=timeline] > li");
    for (const item of [...items].slice(itemsBefore)) item.classList.add("live-new");
    const stateAfter = document.getElementById("order-state")?.dataset.state;
    const notice = document.getElementById("live-changed");
    if (notice && stateBefore && stateAfter && stateBefore !== stateAfter) {
      const link = document.createElement("a");
      link.href = location.href;
      link.textContent = msg.msgReload;
      notice.replaceChildren(`${msg.msgChanged} `, link);
      notice.hidden = false;
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && unseen) {
      unseen = 0;
      document.title = baseTitle;
    }
  });
  connect();
}
