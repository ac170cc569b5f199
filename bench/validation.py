"""Benchmark: validating a realistic facade submission with the cached validators.

The facade form (房屋外墙高坠隐患排查) has 30+ fields; the sample answers 28 of them with
3 photos and 2 hazards. Prints the median time per call and ratios against baselines measured
in the same run:
- `json round-trip`: json.dumps + json.loads of the same data (what any request pays anyway);
- `python jsonschema (cached)`: the detailed validator alone, reused (what we had before);
- `rebuild per call`: compiling both validators for every submission (what the cache avoids).
`submission_errors (accepted)` is what an accepted submission pays: the jsonschema-rs fast path.
The definitions issue bounds it at 100 µs median; the script exits 1 when it is over.
Run with `make bench`.
"""

import json
import os
import statistics
import sys
import time
import types
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lightapps.settings")

import django  # noqa: E402

django.setup()

from lightapps.definitions.dialect import (  # noqa: E402
    compile_schema,
    fields_of,
    photo_paths,
    submission_errors,
    validator_for,
)
from lightapps.demo.samples import demo_app, sample_data  # noqa: E402

BOUND_US = 100.0


def median_us(fn, *, rounds=15, number=200) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number * 1e6)
    return statistics.median(samples)


def _count_answers(value) -> int:
    if isinstance(value, dict):
        return sum(1 + _count_answers(v) for k, v in value.items() if k not in {"lat", "lng"})
    if isinstance(value, list):
        return sum(_count_answers(v) for v in value if isinstance(v, dict | list))
    return 0


def main() -> int:
    app = demo_app("facade-hazard")
    version = types.SimpleNamespace(
        pk=1, schema=app["schema"], ui=app["ui"], published_at=datetime.now(UTC)
    )
    data = sample_data("facade-hazard", [uuid.uuid4() for _ in range(8)])
    assert submission_errors(version, data) == {}, submission_errors(version, data)
    fields = fields_of(app["schema"], app["ui"])
    n_fields = len(fields) + sum(len(f.get("fields", [])) for f in fields)
    n_photos = sum(len(ids) for _p, ids in photo_paths(data, fields))
    print(
        f"facade form: {n_fields} fields; submission: {_count_answers(data)} answers, "
        f"{n_photos} photos, {len(data['hazards'])} hazards"
    )
    compiled = validator_for(version)
    refused = {**data, "hazards": [{**data["hazards"][0], "severity": "huge"}]}

    roundtrip = median_us(lambda: json.loads(json.dumps(data)))
    python_cached = median_us(lambda: list(compiled.detailed.iter_errors(data)), number=50)
    rebuild = median_us(lambda: compile_schema(app["schema"]).is_valid(data), rounds=5, number=10)
    rust_only = median_us(lambda: compiled.fast.is_valid(data), number=2000)
    accepted = median_us(lambda: submission_errors(version, data), number=2000)
    refused_us = median_us(lambda: submission_errors(version, refused), rounds=5, number=20)

    print(f"{'case':<38}{'median µs':>12}{'× json round-trip':>20}")
    for name, value in [
        ("json round-trip (baseline)", roundtrip),
        ("python jsonschema, cached", python_cached),
        ("rebuild both validators per call", rebuild),
        ("jsonschema-rs is_valid, cached", rust_only),
        ("submission_errors (accepted)", accepted),
        ("submission_errors (refused, messages)", refused_us),
    ]:
        print(f"{name:<38}{value:>12.1f}{value / roundtrip:>20.2f}")
    print(f"accepted path: {python_cached / accepted:.0f}× faster than python jsonschema alone")
    ok = accepted <= BOUND_US
    print(f"bound {BOUND_US:.0f} µs median: {'met' if ok else 'NOT MET'} ({accepted:.1f} µs)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
