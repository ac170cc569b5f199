// Work-order list: a changed filter applies at once (the 筛选 button stays for keyboards).
const filters = document.getElementById("filters");
if (filters) {
  filters.addEventListener("change", (event) => {
    if (event.target.matches("select")) filters.requestSubmit();
  });
}
