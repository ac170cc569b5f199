"""Benchmark: exporting the facade app's submissions to Excel (上报数据 → 导出 Excel).

Stores ROWS facade submissions (the demo sample: 30+ fields, 2 hazards each) in a throw-away
SQLite database, then measures in the same run:
- `fetch rows (baseline)`: reading the same submissions' data from the database, nothing else;
- `openpyxl write-only (baseline)`: writing a workbook of the same shape (same rows, columns
  and hazard sheet) from values already made — what the Excel library costs by itself;
- `submissions_export_xlsx`: our export, scope, lookups, labels and all.
Prints the median seconds, rows per second and ratios against the baselines. No bound: it tells
what a 20,000-row export (DATA_EXPORT_MAX_ROWS) would cost. Run with `make bench`.
"""

import io
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "2000"))
_db = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = f"sqlite:///{_db.name}"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lightapps.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from lightapps.definitions.models import LightApp  # noqa: E402
from lightapps.demo.samples import sample_data, sample_placeholders  # noqa: E402
from lightapps.demo.seed import seed_demo  # noqa: E402
from lightapps.orgs.models import OrgUnit, Person  # noqa: E402
from lightapps.submissions.data import (  # noqa: E402
    DataFilters,
    data_layout,
    group_meta_headers,
    meta_headers,
    submissions_export_xlsx,
)
from lightapps.submissions.models import Submission  # noqa: E402


def median_s(fn, rounds=3) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _store(app: LightApp, reporter: Person, unit: OrgUnit) -> None:
    version = app.versions.order_by("-number").first()
    rows = []
    for _ in range(ROWS):
        photos = [uuid.uuid4() for _ in sample_placeholders(app.key)]
        rows.append(
            Submission(
                id=uuid.uuid4(),
                app=app,
                version=version,
                reporter=reporter,
                org_unit=unit,
                data=sample_data(app.key, photos),
            )
        )
    Submission.objects.bulk_create(rows, batch_size=500)


def _raw_openpyxl(main_cols: int, group_cols: int, items: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    main, group = book.create_sheet("上报数据"), book.create_sheet("隐患明细")
    main.append([f"列{i}" for i in range(main_cols)])
    group.append([f"列{i}" for i in range(group_cols)])
    row = ["江宁路 455 弄 12 号", 6, 31.2471, "老旧住宅", None] * (main_cols // 5 + 1)
    item = ["空调外机支架锈蚀", "较大", 5, "南立面", None] * (group_cols // 5 + 1)
    for _ in range(ROWS):
        main.append(row[:main_cols])
        for _ in range(items):
            group.append(item[:group_cols])
    book.save(io.BytesIO())


def main() -> int:
    call_command("migrate", verbosity=0)
    seed_demo()
    app = LightApp.objects.get(key="facade-hazard")
    reporter = Person.objects.get(username="jny_grid")
    boss = Person.objects.get(username="jingan_supervisor")
    _store(app, reporter, OrgUnit.objects.get(code="310106-01-G01"))
    layout = data_layout(app.versions.all())
    main_cols = len(meta_headers()) + len(layout.main.columns) + 1
    hazards = next(t for t in layout.groups if t.key == "hazards")
    group_cols = len(group_meta_headers()) + len(hazards.columns)
    items = len(sample_data(app.key)["hazards"])
    print(
        f"facade export: {ROWS} submissions × {main_cols} columns, "
        f"{ROWS * items} hazards × {group_cols} columns"
    )

    fetch = median_s(lambda: list(Submission.objects.values_list("data", flat=True)))
    raw = median_s(lambda: _raw_openpyxl(main_cols, group_cols, items))
    ours = median_s(
        lambda: submissions_export_xlsx(
            person=boss, app=app, filters=DataFilters(), out=io.BytesIO(), base_url="https://x"
        )
    )
    print(f"{'case':<34}{'median s':>10}{'rows/s':>10}{'× fetch':>10}{'× openpyxl':>12}")
    for name, value in [
        ("fetch rows (baseline)", fetch),
        ("openpyxl write-only (baseline)", raw),
        ("submissions_export_xlsx", ours),
    ]:
        print(
            f"{name:<34}{value:>10.2f}{ROWS / value:>10.0f}{value / fetch:>10.1f}{value / raw:>12.2f}"
        )
    print(f"20,000 rows (the export limit) would take about {ours / ROWS * 20000:.0f} s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        os.unlink(_db.name)
