"""collectstatic's file selection: Django's defaults, less what no page loads and the hashed
storage cannot process."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class LightappsStaticFilesConfig(StaticFilesConfig):
    # echarts' dist/ holds many builds; the figures page loads echarts.esm.min.js only. The
    # others confuse the hashed storage (extension/ imports the bare "echarts"; the unminified
    # builds quote module paths it tries to resolve), so they are not collected.
    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "extension",
        "echarts.js",
        "echarts.min.js",
        "echarts.esm.js",
        "echarts.*.mjs",
        "echarts.esm.mjs",
        "echarts.common.*",
        "echarts.simple.*",
    ]
