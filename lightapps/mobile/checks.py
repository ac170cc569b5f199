"""The phone pages' built static files (frontend/build.mjs, run by `make install`): missing is an
error (the pages would load nothing), older than their sources a warning (the pages would run
yesterday's code)."""

from pathlib import Path

from django.conf import settings
from django.core import checks

# What the build reads: a change to any of these needs a rebuild.
SOURCES = (("static/mobile", "*"), ("templates/mobile", "**/*.html"), ("frontend", "*"))


def _newest_source() -> tuple[float, str]:
    newest = (0.0, "")
    for folder, pattern in SOURCES:
        for path in (Path(settings.BASE_DIR) / folder).glob(pattern):
            if path.is_file():
                newest = max(
                    newest, (path.stat().st_mtime, str(path.relative_to(settings.BASE_DIR)))
                )
    return newest


def phone_build_check(app_configs, **kwargs):
    stamp = Path(settings.PHONE_BUILD_DIR) / ".built"
    if not stamp.exists():
        return [
            checks.Error(
                "The phone pages' static files are not built (build/phone/).",
                hint="Run `make install` (it runs `node frontend/build.mjs`).",
                id="lightapps.E010",
            )
        ]
    changed, name = _newest_source()
    if changed > stamp.stat().st_mtime:
        return [
            checks.Warning(
                f"The phone pages' static files are older than {name}.",
                hint="Run `make install` (or `node frontend/build.mjs`) to rebuild build/phone/.",
                id="lightapps.W010",
            )
        ]
    return []
