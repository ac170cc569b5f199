"""collectstatic's file selection: what STATICFILES_DIRS holds, less what no page loads and the
hashed storage cannot process."""

from django.contrib.staticfiles.finders import FileSystemFinder

# echarts' dist/ holds many builds; the figures page loads echarts.esm.min.js only. The others
# confuse the hashed storage (extension/ imports the bare "echarts"; the unminified builds quote
# module paths it tries to resolve), so they are not collected.
NOT_COLLECTED = [
    "extension",
    "echarts.js",
    "echarts.min.js",
    "echarts.esm.js",
    "echarts.*.mjs",
    "echarts.esm.mjs",
    "echarts.common.*",
    "echarts.simple.*",
]


class VendorFileSystemFinder(FileSystemFinder):
    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *NOT_COLLECTED])
