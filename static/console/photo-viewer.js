// 照片查看: a photo link inside [data-gallery] opens a viewer over the page instead of a new tab —
// every photo of that part of the page in order, ← → or a swipe for the next one, zoom with the
// wheel, a double click or the buttons (pan by dragging while zoomed), Esc or × to close.
// Without JavaScript the links still open the photo itself.

const viewer = document.createElement("dialog");
viewer.className = "photo-viewer";
viewer.setAttribute("aria-label", "照片查看");
viewer.innerHTML = `
  <div class="pv-bar"><span class="pv-caption" aria-live="polite"></span>
    <span class="pv-tools">
      <button type="button" data-pv="out" aria-label="缩小">－</button>
      <button type="button" data-pv="in" aria-label="放大">＋</button>
      <a class="pv-original" target="_blank" rel="noopener">原图</a>
      <button type="button" data-pv="close" aria-label="关闭">×</button>
    </span></div>
  <button type="button" class="pv-nav pv-prev" data-pv="prev" aria-label="上一张">‹</button>
  <div class="pv-stage"><img class="pv-image" alt=""></div>
  <button type="button" class="pv-nav pv-next" data-pv="next" aria-label="下一张">›</button>`;
document.body.append(viewer);

const image = viewer.querySelector(".pv-image");
const caption = viewer.querySelector(".pv-caption");
const original = viewer.querySelector(".pv-original");
let photos = [];
let index = 0;
let zoom = 1;
let pan = { x: 0, y: 0 };

function apply() {
  image.style.transform = `translate(${pan.x}px, ${pan.y}px) scale(${zoom})`;
  viewer.classList.toggle("zoomed", zoom > 1);
}

function setZoom(next) {
  zoom = Math.min(6, Math.max(1, next));
  if (zoom === 1) pan = { x: 0, y: 0 };
  apply();
}

function show(i) {
  index = (i + photos.length) % photos.length;
  const photo = photos[index];
  image.src = photo.href;
  image.alt = photo.alt;
  original.href = photo.href;
  caption.textContent = `${photo.alt}（${index + 1} / ${photos.length}）`;
  viewer.querySelectorAll(".pv-nav").forEach((b) => { b.hidden = photos.length < 2; });
  zoom = 1;
  pan = { x: 0, y: 0 };
  apply();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-gallery] a[href]");
  if (!link || !link.querySelector("img") || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  const gallery = link.closest("[data-gallery]");
  const links = [...gallery.querySelectorAll("a[href]")].filter((a) => a.querySelector("img"));
  photos = links.map((a) => ({ href: a.href, alt: a.querySelector("img").alt || "照片" }));
  viewer.showModal();
  show(links.indexOf(link));
});

viewer.addEventListener("click", (event) => {
  const action = event.target.closest("[data-pv]");
  if (action) {
    const what = action.dataset.pv;
    if (what === "close") viewer.close();
    else if (what === "prev") show(index - 1);
    else if (what === "next") show(index + 1);
    else if (what === "in") setZoom(zoom * 1.5);
    else if (what === "out") setZoom(zoom / 1.5);
  } else if (event.target === viewer || event.target.classList.contains("pv-stage")) {
    viewer.close();
  }
});

viewer.addEventListener("keydown", (event) => {
  if (event.key === "ArrowLeft") show(index - 1);
  else if (event.key === "ArrowRight") show(index + 1);
  else if (event.key === "+" || event.key === "=") setZoom(zoom * 1.5);
  else if (event.key === "-") setZoom(zoom / 1.5);
});

image.addEventListener("dblclick", () => setZoom(zoom > 1 ? 1 : 2.5));
viewer.addEventListener("wheel", (event) => {
  event.preventDefault();
  setZoom(zoom * (event.deltaY < 0 ? 1.2 : 1 / 1.2));
}, { passive: false });

// Drag: pans a zoomed photo; a horizontal swipe on an unzoomed one goes to the next or previous.
let drag = null;
image.addEventListener("pointerdown", (event) => {
  drag = { x: event.clientX, y: event.clientY, pan: { ...pan } };
  image.setPointerCapture(event.pointerId);
});
image.addEventListener("pointermove", (event) => {
  if (!drag || zoom === 1) return;
  pan = { x: drag.pan.x + event.clientX - drag.x, y: drag.pan.y + event.clientY - drag.y };
  apply();
});
image.addEventListener("pointerup", (event) => {
  if (!drag) return;
  const dx = event.clientX - drag.x;
  if (zoom === 1 && Math.abs(dx) > 50 && photos.length > 1) show(index + (dx < 0 ? 1 : -1));
  drag = null;
});
image.addEventListener("dragstart", (event) => event.preventDefault());
