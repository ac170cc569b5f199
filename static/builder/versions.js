// 发布与版本: 发布 (with a note) and 回退 (a version becomes the draft again) through the API,
// and the read-only JSON copied to the clipboard.

import { api as request } from "./dom.js";

const page = document.getElementById("versions-page");
const key = page.dataset.app;
const api = `/api/apps/${encodeURIComponent(key)}/`;

const post = (url, body) =>
  request("POST", url, body).catch(() => ({ status: 0, body: { message: "网络不通，请稍后再试" } }));

const errorBox = document.getElementById("publish-error");

function showError(result) {
  const body = result.body || {};
  const details = Object.values(body.fields || {}).flat();
  errorBox.textContent = [body.message || `出错了（${result.status}）`, ...details.slice(0, 5)].join("；");
  errorBox.hidden = false;
}

const form = document.getElementById("publish-form");
if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = document.getElementById("publish-button");
    button.disabled = true;
    const result = await post(`${api}publish/`, { note: form.elements.note.value.trim() });
    if (result.status === 201) {
      window.location.assign(`?v=${result.body.number}&published=1`);
      return;
    }
    button.disabled = false;
    showError(result);
  });
}

page.addEventListener("click", async (event) => {
  const rollback = event.target.closest("[data-rollback]");
  if (rollback) {
    const n = rollback.dataset.rollback;
    if (!window.confirm(`用 v${n} 的定义替换当前草稿？草稿里尚未发布的修改会被覆盖。替换后再发布才会生效。`)) return;
    const result = await post(`${api}rollback/`, { version: Number(n), revision: Number(page.dataset.revision) });
    if (result.status === 200) {
      window.location.assign("?v=draft");
    } else {
      window.alert((result.body && result.body.message) || `回退失败（${result.status}）`);
    }
    return;
  }
  const copy = event.target.closest("[data-copy]");
  if (copy) {
    const text = document.getElementById(copy.dataset.copy).textContent;
    try {
      await navigator.clipboard.writeText(text);
      copy.textContent = "已复制";
    } catch (err) {
      copy.textContent = "复制失败，请手动选择";
    }
  }
});
