// 版本过旧: a classic script, loaded with `nomodule`, for WebViews that cannot run ES modules.
// The form cannot work there, so say so under the submit button; the translated text comes on
// the script tag (data-too-old). Written for old engines: var and function, nothing newer.
(function () {
  var script = document.querySelector("script[data-too-old]");
  var status = document.getElementById("submit-status");
  if (script && status) status.textContent = script.getAttribute("data-too-old");
})();
