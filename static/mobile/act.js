// 办理 with photos: the step's photos are compressed and uploaded at once (as on the form), and
// the form sends their ids with the step. A step is not sent while a photo is still uploading.

import { fmt, pageJSON } from "./messages.js";
import { PhotosControl } from "./photos.js";

const box = document.getElementById("act-photos");
const form = box && box.closest("form");
const TEXTS = pageJSON("act-texts");
const POSTED = pageJSON("act-posted-photos");
const errorBox = box && box.querySelector("[data-error]");

function setError(_el, message) {
  box.classList.add("m-field_error");
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function clearError() {
  box.classList.remove("m-field_error");
  errorBox.textContent = "";
  errorBox.hidden = true;
}

if (box && form) {
  const photos = new PhotosControl(
    box,
    { schema: { maxItems: Number(box.dataset.max) || 9 } },
    {
      texts: TEXTS,
      fmt,
      setError,
      clearError,
      changed: () => undefined,
      toast: (message) => setError(box, message),
      uploadUrl: "/api/attachments/",
    },
  );
  if (POSTED.length) photos.set(POSTED);

  // Which step was pressed: event.submitter, or the last button clicked on older WebViews.
  let pressed = null;
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[type=submit]");
    if (button) pressed = button;
  });

  form.addEventListener("submit", (event) => {
    for (const old of form.querySelectorAll("input[name=photos]")) old.remove();
    const button = event.submitter || pressed;
    if (!button || !button.hasAttribute("data-photos")) return; // this step takes no photos
    if (photos.pending()) {
      event.preventDefault();
      setError(box, TEXTS.photos_pending);
      return;
    }
    if (photos.failed()) {
      event.preventDefault();
      setError(box, TEXTS.photos_failed);
      return;
    }
    for (const id of photos.get() || []) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "photos";
      input.value = id;
      form.appendChild(input);
    }
  });
}
