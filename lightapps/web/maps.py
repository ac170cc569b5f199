"""The map tiles every map draws on (the console's maps, the phone's place map): MAP_TILE_URL's
server when one is configured (天地图, a city's own inside 政务外网), else none — the maps then
draw their outlines and points on a blank background and request nothing from anywhere."""

from django.conf import settings


def map_tiles() -> dict | None:
    if not settings.MAP_TILE_URL:
        return None
    return {
        "url": settings.MAP_TILE_URL,
        "subdomains": settings.MAP_TILE_SUBDOMAINS,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
    }
