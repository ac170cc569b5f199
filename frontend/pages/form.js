// The phone form's page: json-logic-js, the offline machinery, the form.
import "./json-logic-global.js";
import "../../static/mobile/offline.js";
import "../../static/mobile/form.js";
