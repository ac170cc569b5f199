"""Settings of the console's maps, read from the environment (imported by settings.py)."""

from django.core.exceptions import ImproperlyConfigured

from .envvars import env_str

# 底图: a tile server for the console's maps, e.g. 天地图 or the city's own inside 政务外网, as a
# Leaflet URL template ("https://t{s}.example.gov.cn/vec_w/{z}/{x}/{y}.png"). Unset, the maps draw
# grids and points on a blank background and request nothing.
MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_SUBDOMAINS = env_str("MAP_TILE_SUBDOMAINS", "01234567")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION")
if MAP_TILE_URL and not MAP_TILE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("MAP_TILE_URL must start with https:// or http://")


def _tile_source(url: str) -> str:
    """The CSP source of a tile URL template: its origin, a `{s}` label as a wildcard."""
    scheme, _sep, rest = url.partition("://")
    labels = rest.split("/", 1)[0].split(".")
    if labels and "{s}" in labels[0]:
        labels[0] = "*"
    return f"{scheme}://{'.'.join(labels)}"


MAP_TILE_CSP_SOURCES = [_tile_source(MAP_TILE_URL)] if MAP_TILE_URL else []
