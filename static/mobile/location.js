// 定位: one location answer {lat, lng, accuracy} from the browser's geolocation.

import { wecomLocate, wecomUsable } from "./wecom.js";

const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;

export class LocationControl {
  /** ui: {texts, fmt, setError, clearError, changed} from the form. */
  constructor(el, field, ui) {
    this.el = el;
    this.field = field;
    this.ui = ui;
    this.value = null;
    this.button = el.querySelector("[data-locate]");
    this.text = el.querySelector("[data-location-text]");
    this.accuracy = el.querySelector("[data-location-accuracy]");
    const props = (field.schema && field.schema.properties) || {};
    // Send accuracy only when the schema has room for it (additionalProperties may be false).
    this.withAccuracy = !field.schema.properties || "accuracy" in props;
    this.button.addEventListener("click", () => this.locate());
    this.paint();
  }

  locate() {
    const { texts } = this.ui;
    if (wecomUsable()) {
      // Inside WeCom: its location through the JS-SDK; the browser's as the fallback.
      this.button.disabled = true;
      this.button.textContent = texts.locating;
      wecomLocate().then(
        (value) => {
          this.set({
            lat: round(value.lat, 6),
            lng: round(value.lng, 6),
            accuracy: round(value.accuracy, 1),
          });
          this.ui.clearError(this.el);
          this.ui.changed();
        },
        () => this.locateWithBrowser(),
      );
      return;
    }
    this.locateWithBrowser();
  }

  locateWithBrowser() {
    const { texts } = this.ui;
    if (!("geolocation" in navigator)) {
      this.ui.setError(this.el, texts.location_unsupported);
      return;
    }
    this.button.disabled = true;
    this.button.textContent = texts.locating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude, accuracy } = position.coords;
        this.set({
          lat: round(latitude, 6),
          lng: round(longitude, 6),
          accuracy: round(accuracy || 0, 1),
        });
        this.ui.clearError(this.el);
        this.ui.changed();
      },
      (error) => {
        const message =
          error.code === 1
            ? texts.location_denied
            : error.code === 3
              ? texts.location_timeout
              : texts.location_unavailable;
        this.paint();
        this.ui.setError(this.el, message);
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 },
    );
  }

  get() {
    if (!this.value) return undefined;
    const out = { lat: this.value.lat, lng: this.value.lng };
    if (this.withAccuracy && typeof this.value.accuracy === "number") {
      out.accuracy = this.value.accuracy;
    }
    return out;
  }

  set(value) {
    const ok = value && typeof value.lat === "number" && typeof value.lng === "number";
    this.value = ok ? value : null;
    this.paint();
  }

  save() {
    return this.value || undefined;
  }

  paint() {
    const { texts, fmt } = this.ui;
    this.button.disabled = false;
    if (this.value) {
      this.text.textContent = fmt(texts.location_value, {
        lat: this.value.lat.toFixed(5),
        lng: this.value.lng.toFixed(5),
      });
      this.text.classList.remove("m-location__value_empty");
      const hasAccuracy = typeof this.value.accuracy === "number";
      this.accuracy.hidden = !hasAccuracy;
      if (hasAccuracy) this.accuracy.textContent = fmt(texts.accuracy, Math.round(this.value.accuracy));
      this.button.textContent = texts.relocate;
    } else {
      this.text.textContent = texts.not_located;
      this.text.classList.add("m-location__value_empty");
      this.accuracy.hidden = true;
      this.button.textContent = texts.locate;
    }
  }
}
