"""Benchmark: 上报 ingest through gunicorn, against a bare one-INSERT view in the same server.

One gunicorn (deploy/gunicorn.conf.py: WEB_CONCURRENCY workers × WEB_THREADS threads, 2 × 4 by
default) serves bench/ingest_site.py: the product, plus a baseline view that parses the same JSON
body and INSERTs it as one row — the least an ingest endpoint can cost on this stack. A grid
worker's token posts the 外墙 form (facade-hazard: 30 fields and 3 photos uploaded beforehand, a
point in one grid after another, each report opening and routing its work order) to
`/api/apps/facade-hazard/submissions/`; the baseline gets the same bodies. A bounded Python load
generator keeps INGEST_CONCURRENCY requests in flight (keep-alive connections); the rounds
alternate which side goes first. Printed: reports per second of each side (min/median/max over
the rounds), the ratio product/baseline (per round, then its median) against its bound
(INGEST_BOUND, 0.35), and the SQL statements of one submit against 8. Exits 1 when either
bound is missed.

Database: PostgreSQL when DATABASE_URL points there (a database of its own, `<name>_ingest` on
the same server, migrated and reused), else a SQLite file in a temporary folder (the embedded
default). Redis when REDIS_URL is set (cache, throttle counters and Celery's broker: the side
effects of each report are queued, no worker runs during the bench), else in-process tasks.
"""

import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
REQUESTS = int(os.environ.get("INGEST_REQUESTS", "300"))  # per side and round
WARMUP = 40
CONCURRENCY = int(os.environ.get("INGEST_CONCURRENCY", "8"))
WORKERS = os.environ.get("WEB_CONCURRENCY", "2")
BOUND = float(os.environ.get("INGEST_BOUND", "0.35"))
SQL_BOUND = 8
APP_KEY = "facade-hazard"
REPORTER = "jny_grid"


def _database_env(workdir: Path) -> dict:
    """DATABASE_URL of the ingest database (PostgreSQL, made if missing) or SQLITE_PATH."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import bigdata

        parts = urlsplit(url)
        ingest = urlunsplit(parts._replace(path=f"/{parts.path.lstrip('/') or 'postgres'}_ingest"))
        bigdata.ensure_database(ingest)
        return {"DATABASE_URL": ingest}
    return {"DATABASE_URL": "", "SQLITE_PATH": str(workdir / "ingest.sqlite3")}


def _tiny_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (150, 140, 130)).save(out, "JPEG", quality=70)
    return out.getvalue()


def prepare(count: int):
    """Migrate, seed the demo, make the baseline's table, a token and `count` bodies (each with
    photos of its own, uploaded now); returns (token key, bodies, statements of one submit)."""
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)  # the seed's audit lines: not the bench's
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from ingest_site import BARE_TABLE

    from lightapps.definitions.models import LightApp
    from lightapps.definitions.selectors import latest_version
    from lightapps.demo.samples import sample_data, sample_placeholders
    from lightapps.orgs.models import OrgUnit, Person
    from lightapps.orgs.tokens import token_issue
    from lightapps.submissions.services import attachment_create

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} (id varchar(36) PRIMARY KEY,"
            " body text NOT NULL, received_at timestamp with time zone NOT NULL)"
        )
    person = Person.objects.get(username=REPORTER)
    _row, key = token_issue(person=person, days=1, note="bench/ingest.py")
    version = latest_version(LightApp.objects.get(key=APP_KEY))
    points = [
        shape_point(g.boundary)
        for g in OrgUnit.objects.filter(kind=OrgUnit.Kind.GRID).exclude(boundary=None)
    ]
    jpeg, per_report = _tiny_jpeg(), len(sample_placeholders(APP_KEY))
    bodies = []
    for i in range(count):
        photos = [
            attachment_create(
                uploader=person, upload=SimpleUploadedFile(f"b{i}-{k}.jpg", jpeg, "image/jpeg")
            ).pk
            for k in range(per_report)
        ]
        data = sample_data(APP_KEY, photos)
        lat, lng = points[i % len(points)]
        data["location"] = {"lat": lat, "lng": lng, "accuracy": 10.0}
        bodies.append({"id": str(uuid.uuid4()), "version": version.number, "data": data})
    statements = _statements_of_one_submit(key, bodies.pop(), bodies.pop())
    return key, bodies, statements


def shape_point(boundary) -> tuple[float, float]:
    from shapely.geometry import shape

    point = shape(boundary).representative_point()
    return round(point.y, 6), round(point.x, 6)


def _statements_of_one_submit(key: str, first: dict, body: dict) -> int:
    """The SQL statements of one report that opens an order, in this process (the grid index
    and the token's first touch made by an earlier report, as in a running server)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = f"/api/apps/{APP_KEY}/submissions/"
    assert client.post(url, first, format="json").status_code == 201
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, body, format="json")
    assert response.status_code == 201, response.content
    # The transaction's own BEGIN and COMMIT aside (the suite's test leaves out its savepoints).
    return sum(q["sql"] not in {"BEGIN", "COMMIT"} for q in captured.captured_queries)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "ingest_site:application",
         "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "--pythonpath", f"{ROOT / 'bench'},{ROOT}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(server.stderr.read().decode()[-2000:]) from None
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start in 60 s")


def load(port: int, requests: list[tuple[str, bytes, dict]]) -> float:
    """Send the requests with CONCURRENCY in flight; returns requests per second. Every answer
    must be 201 (a refused report would be a cheap one)."""
    import http.client

    pending = list(reversed(requests))
    lock = threading.Lock()
    failures: list[str] = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not pending or failures:
                    break
                url, body, headers = pending.pop()
            conn.request("POST", url, body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            if response.status != 201:
                with lock:
                    failures.append(f"{url} {response.status} {answer[:300]!r}")
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    spent = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} request(s) failed, first: {failures[0]}")
    return len(requests) / spent


def main() -> int:
    import json

    workdir = Path(tempfile.mkdtemp(prefix="ingest-"))
    port = _free_port()
    env = {
        **os.environ,
        **_database_env(workdir),
        "DJANGO_SETTINGS_MODULE": "lightapps.settings",
        "DEBUG": "0",
        "DEV_LOGIN": "0",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "MEDIA_ROOT": str(workdir / "media"),
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": WORKERS,
        "API_THROTTLE_RATE": "1000000/min",  # counted as ever (the cost stays), never refused
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    redis = "Redis" if env.get("REDIS_URL") else "no Redis (in-process tasks)"
    database = "PostgreSQL" if env["DATABASE_URL"] else "SQLite"
    per_round = REQUESTS
    key, bodies, statements = prepare(WARMUP * 2 + ROUNDS * per_round + 2)
    from ingest_site import BARE_URL  # (Django is set up on the ingest database by now)

    product_url = f"/api/apps/{APP_KEY}/submissions/"
    product_headers = {"Content-Type": "application/json", "Authorization": f"Token {key}"}
    bare_headers = {"Content-Type": "application/json"}
    encoded = [json.dumps(b, ensure_ascii=False).encode() for b in bodies]
    # The baseline sends the same bodies (its ids are its own table's).
    product = [(product_url, body, product_headers) for body in encoded]
    bare = [(BARE_URL, body, bare_headers) for body in encoded]

    server = serve(env, port)
    try:
        load(port, product[:WARMUP])
        load(port, bare[WARMUP : 2 * WARMUP])
        rates = {"bare": [], "product": []}
        ratios = []
        for r in range(ROUNDS):
            chunk = slice(2 * WARMUP + r * per_round, 2 * WARMUP + (r + 1) * per_round)
            order = ["bare", "product"] if r % 2 == 0 else ["product", "bare"]
            got = {}
            for side in order:
                got[side] = load(port, (bare if side == "bare" else product)[chunk])
                rates[side].append(got[side])
            ratios.append(got["product"] / got["bare"])
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)  # the photos (and the SQLite file)

    print(
        f"ingest on {database}, {redis}: gunicorn {WORKERS} worker(s) × "
        f"{os.environ.get('WEB_THREADS', '4')} threads, {CONCURRENCY} in flight, "
        f"{ROUNDS} rounds of {per_round} (reports/s: min/median/max)"
    )

    def line(label, values, suffix=""):
        figures = "".join(
            f"{v:8.1f}" for v in (min(values), statistics.median(values), max(values))
        )
        print(f"  {label:<44}{figures}{suffix}")

    line("bare json.loads + INSERT view (baseline)", rates["bare"])
    ratio = statistics.median(ratios)
    missed = []
    verdict = f"  × {ratio:.3f} baseline  bound ≥ {BOUND}"
    if ratio < BOUND:
        verdict += " MISSED"
        missed.append("ratio")
    line("上报 that opens and routes a work order", rates["product"], verdict)
    print(f"  ratio per round: {', '.join(f'{x:.3f}' for x in ratios)}")
    sql = f"  SQL statements per 上报 (and BEGIN, COMMIT): {statements}  bound ≤ {SQL_BOUND}"
    if statements > SQL_BOUND:
        sql += " MISSED"
        missed.append("sql")
    print(sql)
    if missed:
        print(f"ingest: {len(missed)} bound(s) missed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
