// 本机存储: the reports waiting on the phone (store "outbox", one record per report id, photos
// as blobs) and a few values the service worker keeps between its runs (store "meta": who is
// signed in). Plain IndexedDB, for the page and the service worker alike: four calls did not
// need a library. Every call rejects when IndexedDB is unavailable (some private modes); the
// form then still sends from the page, only without a queue that outlives it.

const DB_NAME = "lightapps";
const DB_VERSION = 1;
let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      if (typeof indexedDB === "undefined") throw new Error("no IndexedDB");
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("outbox", { keyPath: "id" });
        request.result.createObjectStore("meta");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }).catch((err) => {
      opening = null;
      throw err;
    });
  }
  return opening;
}

async function run(store, mode, call) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const request = call(tx.objectStore(store));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const reports = {
  all: () => run("outbox", "readonly", (s) => s.getAll()),
  get: (id) => run("outbox", "readonly", (s) => s.get(id)),
  put: (entry) => run("outbox", "readwrite", (s) => s.put(entry)),
  remove: (id) => run("outbox", "readwrite", (s) => s.delete(id)),
};

export const metaGet = (key) => run("meta", "readonly", (s) => s.get(key));
export const metaSet = (key, value) => run("meta", "readwrite", (s) => s.put(value, key));
