// 首页的三个列表: switched on the phone, without the network (all three are in the page).
const lists = document.getElementById("lists");
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
