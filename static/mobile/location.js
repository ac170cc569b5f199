// 定位: one location answer {lat, lng, accuracy} from the browser's geolocation (or WeCom's),
// then where that is: the street and grid by name and a small map (place.js), and a clear word
// when the fix is less accurate than the app asks (the schema's accuracy maximum).

import { hidePlaceMap, placeAt, showPlaceMap } from "./place.js";
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
    this.place = el.querySelector("[data-location-place]");
    this.mapEl = el.querySelector("[data-location-map]");
    this.placeName = "";
    const props = (field.schema && field.schema.properties) || {};
    // The designer's 定位精度要求: the answer's accuracy must be at most this many metres.
    this.maxAccuracy = props.accuracy && typeof props.accuracy.maximum === "number" ? props.accuracy.maximum : null;
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
          this.located({
            lat: round(value.lat, 6),
            lng: round(value.lng, 6),
            accuracy: round(value.accuracy, 1),
          });
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
        this.located({
          lat: round(latitude, 6),
          lng: round(longitude, 6),
          accuracy: round(accuracy || 0, 1),
        });
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

  /** A new fix: kept (the worker may still send it; the server judges), said if too coarse. */
  located(value) {
    const { texts, fmt } = this.ui;
    this.set(value);
    if (this.maxAccuracy !== null && value.accuracy > this.maxAccuracy) {
      this.ui.setError(this.el, fmt(texts.location_inaccurate, { m: Math.round(value.accuracy), max: this.maxAccuracy }));
    } else {
      this.ui.clearError(this.el);
    }
    this.ui.changed();
  }

  /** Where the point is: the grid by name and the map, once the server has said. */
  async describe() {
    const { texts, fmt } = this.ui;
    const value = this.value;
    this.placeName = "";
    if (!value) {
      this.place.hidden = true;
      hidePlaceMap(this.mapEl);
      return;
    }
    this.place.hidden = false;
    this.place.textContent = texts.place_finding;
    let place;
    try {
      place = await placeAt(value.lat, value.lng);
    } catch (err) {
      if (this.value !== value) return;
      this.place.textContent = navigator.onLine === false ? texts.place_offline : texts.place_failed;
      hidePlaceMap(this.mapEl);
      return;
    }
    if (this.value !== value) return; // located again meanwhile
    if (!place.grid) {
      this.place.textContent = texts.place_none;
      hidePlaceMap(this.mapEl);
      return;
    }
    this.placeName = place.street ? fmt(texts.place_in, { street: place.street.name, grid: place.grid.name }) : place.grid.name;
    this.place.textContent = this.placeName;
    this.stamp();
    this.mapEl.setAttribute("aria-label", this.placeName);
    const data = { point: [value.lat, value.lng], accuracy: value.accuracy, boundary: place.grid.boundary };
    try {
      await showPlaceMap(this.mapEl, data);
    } catch (err) {
      hidePlaceMap(this.mapEl); // Leaflet could not load: the name says enough
    }
  }

  /** What a photo's watermark says of the place (photos.js): the grid, then the point. */
  stamp() {
    if (!this.value) {
      delete this.el.dataset.place;
      return;
    }
    const point = `${this.value.lat.toFixed(5)}, ${this.value.lng.toFixed(5)}`;
    this.el.dataset.place = this.placeName ? `${this.placeName} (${point})` : point;
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
    this.describe();
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
      this.stamp();
    } else {
      this.text.textContent = texts.not_located;
      this.text.classList.add("m-location__value_empty");
      this.accuracy.hidden = true;
      this.button.textContent = texts.locate;
      this.stamp();
    }
  }
}
