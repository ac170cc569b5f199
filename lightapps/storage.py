"""Static files in production: hashed names, compressed, and ES-module imports rewritten too.

Django leaves `import … from "./http.js"` alone unless asked; a hashed form.js would then load
an unhashed http.js, which caches apart from it, so after a deploy a phone could run a new
module against an old one.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
