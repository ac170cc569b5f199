"""Benchmark: finding the grid of a GPS point, the spatial index against the naive scan.

The demo district's 85 grids (and the same grids repeated to 850, to show what grows) in a
throw-away SQLite database. Prints the median time per lookup, interleaved rounds, and ratios
against the naive rule measured in the same run: load every grid, build each shape, test each
(what every submit paid before `lightapps.orgs.grids`). The index must not grow with the number
of grids; the script exits 1 when the index at 850 grids is slower than 2 × at 85.
Run with `make bench`.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lightapps.settings")
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench-grids.sqlite3")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from shapely.geometry import Point, shape  # noqa: E402

from lightapps.demo.org_tree import BBOX, seed_org_units  # noqa: E402
from lightapps.orgs.grids import grid_id_at  # noqa: E402
from lightapps.orgs.models import OrgUnit  # noqa: E402


def naive(lat: float, lng: float):
    point = Point(lng, lat)
    grids = OrgUnit.objects.filter(kind="grid", boundary__isnull=False).order_by("path")
    for grid in grids.only("pk", "boundary"):
        if shape(grid.boundary).covers(point):
            return grid.pk
    return None


def points(n=200, seed=7):
    rng = random.Random(seed)
    return [
        (rng.uniform(BBOX["south"], BBOX["north"]), rng.uniform(BBOX["west"], BBOX["east"]))
        for _ in range(n)
    ]


def median_us(fn, pts, rounds=7) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for lat, lng in pts:
            fn(lat, lng)
        samples.append((time.perf_counter() - start) / len(pts) * 1e6)
    return statistics.median(samples)


def main() -> int:
    call_command("migrate", verbosity=0)
    seed_org_units()
    pts = points()
    assert all(grid_id_at(lat=a, lng=b) == naive(a, b) for a, b in pts[:50])
    results = {}
    for size in (85, 850):
        if size == 850:  # nine more copies of every grid, shifted off the demo area
            street = OrgUnit.objects.filter(kind="street").first()
            grids = list(OrgUnit.objects.filter(kind="grid", code__startswith="310106"))
            for copy in range(1, 10):
                for g in grids:
                    ring = [[x + copy, y] for x, y in g.boundary["coordinates"][0]]
                    OrgUnit.objects.create(
                        name=f"{g.name}-{copy}",
                        kind="grid",
                        code=f"BENCH-{copy}-{g.pk}",
                        parent=street,
                        path="",
                        boundary={"type": "Polygon", "coordinates": [ring]},
                    )
        grid_id_at(lat=pts[0][0], lng=pts[0][1])  # build the index
        index_us = naive_us = 0.0
        for _ in range(3):  # A/B interleaved
            index_us += median_us(lambda a, b: grid_id_at(lat=a, lng=b), pts)
            naive_us += median_us(naive, pts[:40], rounds=3)
        results[size] = (index_us / 3, naive_us / 3)
    print(f"{'grids':>6}{'index µs':>12}{'naive µs':>12}{'naive / index':>15}")
    for size, (index_us, naive_us) in results.items():
        print(f"{size:>6}{index_us:>12.1f}{naive_us:>12.1f}{naive_us / index_us:>15.1f}")
    growth = results[850][0] / results[85][0]
    ok = growth <= 2.0
    print(f"index at 850 grids / at 85: {growth:.2f} (bound 2.00): {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
