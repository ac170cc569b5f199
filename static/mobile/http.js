// HTTP for the mobile pages: the CSRF header, JSON posts with a timeout, uploads with progress.
// postJSON and uploadBlob also run in the service worker, which has no cookies to read: it
// passes the CSRF token a page gave it.

export class NetworkError extends Error {}

/** An answer worth sending again: the server or a proxy had a bad moment, or said to slow down. */
export function isTransient(status) {
  return status >= 500 || status === 408 || status === 429;
}

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

async function readJSON(response) {
  try {
    return await response.json();
  } catch (err) {
    return null;
  }
}

/** POST a JSON body; resolves {status, body}; rejects with NetworkError when nothing came back. */
export async function postJSON(url, body, timeoutMs = 30000, csrf = undefined) {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timer = controller ? setTimeout(() => controller.abort(), timeoutMs) : null;
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrf === undefined ? csrfToken() : csrf,
        "X-Requested-With": "XMLHttpRequest",
      },
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined,
    });
  } catch (err) {
    throw new NetworkError(String(err));
  } finally {
    if (timer) clearTimeout(timer);
  }
  return { status: response.status, body: await readJSON(response), redirected: response.redirected };
}

/** POST one file as multipart field `file`; XHR because fetch cannot report upload progress. */
export function uploadFile(url, blob, filename, onProgress, timeoutMs = 120000) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.withCredentials = true;
    xhr.timeout = timeoutMs;
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    if (xhr.upload && onProgress) {
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
    }
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (err) {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new NetworkError("upload failed"));
    xhr.ontimeout = () => reject(new NetworkError("upload timed out"));
    xhr.onabort = () => reject(new NetworkError("upload aborted"));
    const data = new FormData();
    data.append("file", blob, filename);
    xhr.send(data);
  });
}

/** Upload a blob (multipart `file`) with fetch, for the queue: no progress, works in a worker. */
export async function uploadBlob(url, blob, filename, csrf = undefined, timeoutMs = 120000) {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timer = controller ? setTimeout(() => controller.abort(), timeoutMs) : null;
  const data = new FormData();
  data.append("file", blob, filename);
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": csrf === undefined ? csrfToken() : csrf,
        "X-Requested-With": "XMLHttpRequest",
      },
      body: data,
      signal: controller ? controller.signal : undefined,
    });
  } catch (err) {
    throw new NetworkError(String(err));
  } finally {
    if (timer) clearTimeout(timer);
  }
  return { status: response.status, body: await readJSON(response) };
}
