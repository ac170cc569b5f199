// 应用列表: 新建应用 (blank or from a template), 复制, 停用 / 启用 — each through the documented
// API (/api/apps/…), then on to the designer or back to the list.

import { api } from "./dom.js";

const DESIGN_URL = (key) => `/builder/apps/${encodeURIComponent(key)}/`;

/** POST JSON to the API; resolves {status, body}; a network failure becomes status 0. */
const post = (url, body) => api("POST", url, body || {}).catch(() => ({ status: 0, body: null }));

function messageOf(result) {
  if (result.status === 0) return "网络不通，请稍后再试";
  return (result.body && result.body.message) || `出错了（${result.status}）`;
}

const dialog = document.getElementById("new-app-dialog");
const form = document.getElementById("new-app-form");

function showErrors(fields, message) {
  form.querySelectorAll("[data-error-for]").forEach((el) => {
    const name = el.dataset.errorFor;
    const text = name === "_form" ? message : (fields[name] || []).join("；");
    el.textContent = text || "";
    el.hidden = !text;
  });
  if (fields.key) form.querySelector("details.advanced").open = true;
}

document.getElementById("new-app").addEventListener("click", () => {
  showErrors({}, "");
  dialog.showModal();
  form.elements.name.focus();
});
document.getElementById("new-app-cancel").addEventListener("click", () => dialog.close());

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = form.elements.name.value.trim();
  if (!name) {
    showErrors({ name: ["请填写应用名称"] }, "");
    form.elements.name.focus();
    return;
  }
  const button = document.getElementById("new-app-create");
  button.disabled = true;
  const result = await post("/api/apps/", {
    name,
    key: form.elements.key.value.trim(),
    template: form.elements.template.value,
  });
  button.disabled = false;
  if (result.status === 201) {
    window.location.assign(DESIGN_URL(result.body.key));
    return;
  }
  const fields = (result.body && result.body.fields) || {};
  showErrors(fields, Object.keys(fields).length ? "" : messageOf(result));
});

const actionError = document.getElementById("action-error");

document.querySelector("table.apps").addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const row = button.closest("tr[data-app]");
  const key = row.dataset.app;
  const action = button.dataset.action;
  if (
    action === "disable" &&
    !window.confirm(`停用“${button.dataset.name}”后，手机端将不再显示它，也不再接收新的上报；已有的上报和工单都会保留。确定停用吗？`)
  ) {
    return;
  }
  button.disabled = true;
  const result = await post(`/api/apps/${encodeURIComponent(key)}/${action}/`, {});
  button.disabled = false;
  if (action === "duplicate" && result.status === 201) {
    window.location.assign(DESIGN_URL(result.body.key));
  } else if (result.status === 200) {
    window.location.reload();
  } else {
    actionError.textContent = messageOf(result);
    actionError.hidden = false;
  }
});
