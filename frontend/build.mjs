// The phone pages' static files, built at install time (make install) into build/phone/, which
// Django serves as static/phone/ (settings.STATICFILES_DIRS):
//
//   phone.css     WeUI with only the rules the phone pages use (PurgeCSS over their templates and
//                 modules), then mobile.css and widgets.css; minified. One stylesheet, one request.
//   *.js          one module per page (frontend/pages/: what the page used to load as separate
//                 modules), bundled and minified by esbuild. A page loads exactly one, so each
//                 module of static/mobile/ still runs once per page, in the same order.
//   json-logic.js json-logic-js minified, for the designer's preview (a classic script setting
//                 window.jsonLogic; the form's bundle has its own copy).
//
// A grid worker on one bar of 4G pays for every byte and every request: the facade form went from
// 31 requests and 150 KB to four and under 60 KB this way (make bench prints it). The sources stay
// where they are and the designer's preview still loads them unbundled.

import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";
import { PurgeCSS } from "purgecss";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(ROOT, "build", "phone");
const at = (...parts) => path.join(ROOT, ...parts);

// The one module each phone page loads (templates/mobile/, and offline.js for the login page).
const PAGES = ["form", "home", "work-order", "offline"];
// Chromium 80 is the oldest WebView the phone pages promise (nomodule.js warns the rest).
const TARGET = ["chrome80", "safari13"];

// Where the WeUI class names the phone pages use are written: their templates, their modules, and
// the designer's preview, which renders the same form.
const WEUI_CONTENT = [
  at("templates", "mobile", "**", "*.html"),
  at("static", "mobile", "*.js"),
  at("static", "builder", "preview*.js"),
];

async function weuiUsed() {
  const [result] = await new PurgeCSS().purge({
    css: [at("node_modules", "weui", "dist", "style", "weui.min.css")],
    content: WEUI_CONTENT,
    // State classes and attributes set at run time by WeUI's own conventions.
    safelist: { standard: [/^weui-cell_warn$/, /_show$/, /_active$/, /_disabled$/] },
    variables: true,
    keyframes: true,
    fontFace: true,
  });
  return result.css;
}

async function stylesheet() {
  const weui = await weuiUsed();
  const own = await Promise.all(
    ["mobile.css", "widgets.css"].map((name) => readFile(at("static", "mobile", name), "utf8")),
  );
  const result = await build({
    stdin: { contents: [weui, ...own].join("\n"), loader: "css", resolveDir: at("static", "mobile") },
    minify: true,
    target: TARGET,
    write: false,
    logLevel: "error",
  });
  await writeFile(path.join(OUT, "phone.css"), result.outputFiles[0].contents);
}

async function modules() {
  await build({
    entryPoints: PAGES.map((name) => at("frontend", "pages", `${name}.js`)),
    outdir: OUT,
    bundle: true,
    format: "esm",
    minify: true,
    target: TARGET,
    legalComments: "none",
    logLevel: "error",
  });
}

async function jsonLogic() {
  const result = await build({
    entryPoints: [at("node_modules", "json-logic-js", "logic.js")],
    minify: true,
    target: TARGET,
    write: false,
    logLevel: "error",
  });
  await writeFile(path.join(OUT, "json-logic.js"), result.outputFiles[0].contents);
}

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
await Promise.all([stylesheet(), modules(), jsonLogic()]);
// make's target: rebuilt when a source is newer than this.
await writeFile(path.join(OUT, ".built"), "");
