"""Static files in production: hashed names, compressed (gzip and brotli), and ES-module imports
rewritten too.

Django leaves `import … from "./http.js"` alone unless asked; a hashed form.js would then load
an unhashed http.js, which caches apart from it, so after a deploy a phone could run a new
module against an old one.

Brotli at its best quality (11) takes about a second per megabyte: collectstatic spent over two
minutes on the API docs' and the charts' big bundles. The files a phone loads are under 64 KB and
get quality 11; a larger file gets quality 5, about as fast as gzip and still smaller.
"""

import brotli
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

BEST_QUALITY_UP_TO = 64 * 1024


class SizedBrotliCompressor(Compressor):
    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        quality = 11 if len(data) <= BEST_QUALITY_UP_TO else 5
        return brotli.compress(data, quality=quality)


class StaticStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True

    def create_compressor(self, **kwargs):
        return SizedBrotliCompressor(**kwargs)
