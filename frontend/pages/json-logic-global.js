// json-logic-js for static/mobile/logic.js, which reads window.jsonLogic (in the designer's
// preview a classic <script> sets it). Imported first by the form's bundle, so that it is there
// before the form's modules run.
import jsonLogic from "json-logic-js";

window.jsonLogic = jsonLogic;
