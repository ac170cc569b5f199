// 字段类型: what each kind of the palette puts into the definition, in exactly the shapes the
// server's fields_of / kind_of read (lightapps/definitions/dialect/fields.py) and the templates
// use, and kindOf, the same reading done here so the canvas names each field's kind.

const UUID = { type: "string", format: "uuid" };

// The palette's groups and the kinds in each (labels come from the page's texts).
export const PALETTE = [
  ["basic", ["text", "textarea", "integer", "number", "date", "time", "datetime", "boolean", "rating",
    "address", "mobile", "idcard"]],
  ["choice", ["radio", "select", "checkboxes"]],
  ["site", ["photos", "files", "location", "signature"]],
  ["people", ["person", "orgunit"]],
  ["layout", ["heading", "note", "group"]],
  ["computed", ["computed"]],
]; // prettier-ignore

const WIDGETS = new Set(["text", "textarea", "integer", "number", "radio", "select", "checkboxes",
  "boolean", "date", "time", "datetime", "photos", "files", "location", "address", "orgunit", "person",
  "mobile", "idcard", "signature", "rating", "heading", "note"]); // prettier-ignore
const ALIASES = { updown: "integer", range: "integer", password: "text", email: "text", uri: "text",
  "date-time": "datetime", "alt-datetime": "datetime", "alt-date": "date", checkbox: "boolean",
  file: "files" }; // prettier-ignore
const FORMATS = { date: "date", time: "time", "date-time": "datetime", "cn-mobile": "mobile",
  "cn-resident-id": "idcard" }; // prettier-ignore

const isObj = (x) => x !== null && typeof x === "object" && !Array.isArray(x);

/** The choices of an enum (labels from enumNames) or a oneOf / anyOf of consts. */
export function choicesOf(prop) {
  if (!isObj(prop)) return null;
  if (Array.isArray(prop.enum)) {
    const names = prop.enumNames || [];
    return prop.enum.map((v, i) => ({ value: v, label: i < names.length ? String(names[i]) : label(v) }));
  }
  for (const key of ["oneOf", "anyOf"]) {
    const options = prop[key];
    if (Array.isArray(options) && options.length && options.every((o) => isObj(o) && "const" in o)) {
      return options.map((o) => ({ value: o.const, label: o.title ?? label(o.const) }));
    }
  }
  return null;
}

function label(v) {
  if (v === true) return "是";
  if (v === false) return "否";
  return String(v);
}

/** kind_of of fields.py: `ui:widget` when it fits, else inferred from the schema. */
export function kindOf(prop, ui) {
  prop = isObj(prop) ? prop : {};
  let widget = isObj(ui) ? ui["ui:widget"] : undefined;
  widget = ALIASES[widget] || widget;
  let type = prop.type;
  if (Array.isArray(type)) {
    const real = type.filter((t) => t !== "null");
    type = real.length === 1 ? real[0] : "string";
  }
  if (WIDGETS.has(widget)) return widget;
  if (prop.readOnly && type === "null") return "note";
  if (type === "boolean") return "boolean";
  if (type === "integer" || type === "number") {
    const choices = choicesOf(prop);
    if (choices) return choices.length <= 4 ? "radio" : "select";
    return type;
  }
  if (type === "array") {
    const items = prop.items || {};
    if (isObj(items) && items.type === "object") return "group";
    if (choicesOf(items)) return "checkboxes";
    if (isObj(items) && items.format === "uuid") return "photos";
    return "text";
  }
  const props = isObj(prop.properties) ? prop.properties : {};
  if (type === "object" && "lat" in props && "lng" in props) return "location";
  if (type === "object" && Object.keys(props).length) return "group";
  if (type === "string" || type === undefined) {
    const choices = choicesOf(prop);
    if (choices) return choices.length <= 4 ? "radio" : "select";
    return FORMATS[prop.format] || "text";
  }
  return "text";
}

/** The kind shown on the canvas: a field with x-compute is 计算 whatever its type. */
export function shownKind(prop, ui) {
  return isObj(prop) && "x-compute" in prop ? "computed" : kindOf(prop, ui);
}

const LOCATION = {
  type: "object",
  properties: {
    lat: { type: "number", title: "纬度", minimum: -90, maximum: 90 },
    lng: { type: "number", title: "经度", minimum: -180, maximum: 180 },
    accuracy: { type: "number", title: "精度（米）", minimum: 0 },
  },
  required: ["lat", "lng"],
  additionalProperties: false,
};

/** {prop, ui} of a new field of `kind` titled `title`; `choices` labels the first options. */
export function newField(kind, title, { choices = ["选项1", "选项2"], note = "" } = {}) {
  const w = (widget, extra = {}) => ({ "ui:widget": widget, ...extra });
  const options = choices.map((_, i) => `option_${i + 1}`);
  switch (kind) {
    case "text": return { prop: { type: "string", title, maxLength: 100 }, ui: {} };
    case "textarea": return { prop: { type: "string", title, maxLength: 500 }, ui: w("textarea") };
    case "integer": return { prop: { type: "integer", title }, ui: {} };
    case "number": return { prop: { type: "number", title }, ui: {} };
    case "date": return { prop: { type: "string", format: "date", title }, ui: w("date") };
    case "time": return { prop: { type: "string", format: "time", title }, ui: w("time") };
    case "datetime": return { prop: { type: "string", format: "date-time", title }, ui: w("datetime") };
    case "boolean": return { prop: { type: "boolean", title }, ui: {} };
    case "rating": return { prop: { type: "integer", title, minimum: 1, maximum: 5 }, ui: w("rating") };
    case "address": return { prop: { type: "string", title, maxLength: 100 }, ui: w("address") };
    case "mobile": return { prop: { type: "string", format: "cn-mobile", title }, ui: w("mobile") };
    case "idcard": return { prop: { type: "string", format: "cn-resident-id", title }, ui: w("idcard") };
    case "radio":
    case "select":
      return { prop: { type: "string", title, enum: options, enumNames: [...choices] }, ui: w(kind) };
    case "checkboxes":
      return {
        prop: { type: "array", title, items: { type: "string", enum: options, enumNames: [...choices] },
          uniqueItems: true }, // prettier-ignore
        ui: w("checkboxes"),
      };
    case "photos":
      return { prop: { type: "array", title, items: { ...UUID }, maxItems: 9, uniqueItems: true }, ui: w("photos") };
    case "files":
      return { prop: { type: "array", title, items: { ...UUID }, maxItems: 3, uniqueItems: true }, ui: w("files") };
    case "location": return { prop: { ...JSON.parse(JSON.stringify(LOCATION)), title }, ui: w("location") };
    case "signature": return { prop: { type: "string", format: "uuid", title }, ui: w("signature") };
    case "person": return { prop: { type: "string", title }, ui: w("person") };
    case "orgunit": return { prop: { type: "integer", title }, ui: w("orgunit", { "ui:options": { levels: ["grid"] } }) };
    case "heading": return { prop: { type: "null", readOnly: true, title }, ui: w("heading") };
    case "note":
      return { prop: { type: "null", readOnly: true, title, description: note }, ui: w("note") };
    case "group":
      return {
        prop: { type: "array", title, minItems: 1, items: { type: "object", properties: {}, required: [],
          additionalProperties: false } }, // prettier-ignore
        ui: { "ui:options": { itemTitle: title }, items: { "ui:order": [] } },
      };
    case "computed":
      return { prop: { type: "number", title, "x-compute": 0 }, ui: {} };
    default:
      return null;
  }
} // prettier-ignore
