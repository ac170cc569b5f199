// 企业微信 JS-SDK bridge: registers `ww` inside WeCom and offers photos and location through it.
//
// Only when the page carries <meta name="wecom-config"> (WeCom configured and a WeCom user agent,
// see {% wecom_bridge %}) and WeCom's own JS bridge is really there (WeixinJSBridge): a desktop
// browser that merely claims a WeCom user agent keeps the browser's own inputs.

const meta = document.querySelector('meta[name="wecom-config"]');
let registered = false;

async function signatures(url) {
  const query = new URLSearchParams({ url: url.split("#")[0] });
  const res = await fetch(`${meta.dataset.signatureUrl}?${query}`, { credentials: "same-origin" });
  if (!res.ok) throw new Error(`signature ${res.status}`);
  return res.json();
}

function register() {
  if (registered || !meta || !window.ww) return registered;
  let pending = null;
  const once = (url) => (pending = pending || signatures(url));
  window.ww.register({
    corpId: meta.dataset.corpId,
    agentId: meta.dataset.agentId,
    jsApiList: ["chooseImage", "getLocalImgData", "getLocation"],
    getConfigSignature: async (url) => (await once(url)).config,
    getAgentConfigSignature: async (url) => (await once(url)).agentConfig,
  });
  registered = true;
  return registered;
}

/** True when photos and location should go through WeCom rather than the browser. */
export function wecomUsable() {
  return Boolean(meta && window.ww && window.WeixinJSBridge && register());
}

function base64ToFile(data, name) {
  const clean = data.replace(/^data:[^,]*,/, "");
  const bytes = Uint8Array.from(atob(clean), (c) => c.charCodeAt(0));
  return new File([bytes], name, { type: "image/jpeg" });
}

/** Take or choose up to `count` photos with WeCom's camera; resolves to File objects. */
export async function wecomChooseImages(count) {
  const chosen = await window.ww.chooseImage({
    count: Math.max(1, Math.min(count, 9)),
    sizeType: ["compressed"],
    sourceType: ["camera", "album"],
  });
  const files = [];
  for (const [i, localId] of (chosen.localIds || []).entries()) {
    const { localData } = await window.ww.getLocalImgData({ localId });
    files.push(base64ToFile(localData, `wecom-${Date.now()}-${i}.jpg`));
  }
  return files;
}

/** WGS-84 position from WeCom: {lat, lng, accuracy}. */
export async function wecomLocate() {
  const res = await window.ww.getLocation({ type: "wgs84" });
  return { lat: res.latitude, lng: res.longitude, accuracy: res.accuracy || 0 };
}

if (meta && window.ww) {
  // Register at once in real WeCom; WeixinJSBridge may arrive a moment after the page.
  if (window.WeixinJSBridge) register();
  else document.addEventListener("WeixinJSBridgeReady", register, { once: true });
}
