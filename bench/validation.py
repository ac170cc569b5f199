"""Benchmark: validating a realistic facade submission with the cached validator.

Prints the median time per call and ratios against baselines measured in the same run:
- `json round-trip`: json.dumps + json.loads of the same data (what any request pays anyway);
- `rebuild per call`: building a new jsonschema validator for every submission.
The definitions issue sets a bound of 100 µs for this form, which pure-Python jsonschema does not
meet; this script is where a faster validator has to prove itself.
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

from jsonschema import Draft202012Validator  # noqa: E402

from lightapps.definitions.demo_apps import DEMO_APPS, sample_data  # noqa: E402
from lightapps.definitions.dialect import FORMAT_CHECKER, submission_errors  # noqa: E402


def median_us(fn, *, rounds=15, number=200) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number * 1e6)
    return statistics.median(samples)


def main() -> None:
    app = next(a for a in DEMO_APPS if a["key"] == "facade-hazard")
    version = types.SimpleNamespace(
        pk=1, schema=app["schema"], ui=app["ui"], published_at=datetime.now(UTC)
    )
    data = sample_data("facade-hazard", [uuid.uuid4() for _ in range(8)])
    assert submission_errors(version, data) == {}, submission_errors(version, data)

    roundtrip = median_us(lambda: json.loads(json.dumps(data)))
    rebuild = median_us(
        lambda: list(
            Draft202012Validator(app["schema"], format_checker=FORMAT_CHECKER).iter_errors(data)
        ),
        number=50,
    )
    cached = median_us(lambda: submission_errors(version, data))

    print(f"{'case':<32}{'median µs':>12}{'× json round-trip':>20}")
    for name, value in [
        ("json round-trip (baseline)", roundtrip),
        ("rebuild validator per call", rebuild),
        ("submission_errors (cached)", cached),
    ]:
        print(f"{name:<32}{value:>12.1f}{value / roundtrip:>20.1f}")
    print(f"cached validator: {rebuild / cached:.2f}× the speed of rebuilding per call")


if __name__ == "__main__":
    main()
