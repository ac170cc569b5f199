// 首页的三个列表: switched on the phone, without the network (all three are in the page), and
// drawn again from the server when a report from the outbox has arrived (refreshLists), so that
// it shows under 我的上报 without a reload.
const lists = document.getElementById("lists");

/** The lists and their counts as the server has them now; the chosen tab stays chosen. */
export async function refreshLists() {
  if (!lists) return;
  let fresh;
  try {
    const res = await fetch(window.location.pathname, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    if (!res.ok) return;
    fresh = new DOMParser().parseFromString(await res.text(), "text/html");
  } catch (err) {
    return; // offline again: the lists stay as they are
  }
  for (const el of lists.querySelectorAll("[role=tabpanel], [role=tab]")) {
    const now = fresh.getElementById(el.id);
    if (now) el.replaceChildren(...now.childNodes);
  }
}

if (lists) {
  const tabs = [...lists.querySelectorAll("[data-tab]")];
  const show = (key) => {
    for (const tab of tabs) {
      const on = tab.dataset.tab === key;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      document.getElementById(`list-${tab.dataset.tab}`).hidden = !on;
    }
  };
  for (const tab of tabs) tab.addEventListener("click", () => show(tab.dataset.tab));
  lists.dataset.ready = "1";
}
