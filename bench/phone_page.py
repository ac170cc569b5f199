"""Benchmark: what the facade form costs a grid worker's phone, in production mode (issue 12).

A throw-away site as it is deployed: DJANGO_PRODUCTION=1, collectstatic (hashed, gzip and brotli
files from whitenoise's compressed manifest storage), gunicorn with two workers, Redis, WeCom
configured against the fake WeCom (so the page carries the WeCom JS-SDK as it does in WeCom), the
demo district in SQLite. Chromium at 375 x 740 with a WeCom user agent, signed in as jny_grid:

- weight: every byte the form page transfers (HTML, CSS, JS, headers included), caches off, no
  service worker; the budget is 60 KB. The peers' JavaScript alone is printed beside it.
- first field: from navigation to the form being ready (performance mark lightapps:form-ready)
  on a throttled slow-4G profile (1.6 Mbit/s down, 750 kbit/s up, 150 ms latency); bound 1.5 s.
  The same profile's bare round trip (a 1-byte-body page) is the baseline, measured in the run.
- repeat visit: the same, after one visit online installed the service worker; bound 0.5 s.

Rounds interleave the three; min/median/max are printed. Exit 1 when a bound is missed.
`tests/browser/test_phone_weight.py` asserts the byte budget with the same site (bytes are
stable; times are only printed). Run with `make bench`.
"""

import os
import secrets
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

BUDGET_BYTES = 60 * 1000
FIRST_FIELD_BOUND_MS = 1500
REPEAT_BOUND_MS = 500
# The peers' JavaScript, gzipped, as measured for issue 12 (their CSS and HTML not counted).
PEERS_KB = (("Form.io", 430), ("SurveyJS", 415), ("react-jsonschema-form + React", 204))
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6e6 / 8,
    "uploadThroughput": 750e3 / 8,
}
WECOM_UA = (
    "Mozilla/5.0 (Linux; Android 12; M2012K11AC) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36 wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh"
)
USERNAME = "jny_grid"
FORM_PATH = "/m/apps/facade-hazard/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dev_env(db: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "WECOM_", "DEV_LOGIN", "SQLITE_"))
        and k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(DJANGO_SETTINGS_MODULE="lightapps.settings", SQLITE_PATH=str(db))
    return env


class ProductionSite:
    """The site in production mode on 127.0.0.1 (a context manager): .url, .stop()."""

    def __init__(self, redis_url: str = "redis://127.0.0.1:6379/14"):
        self.tmp = Path(tempfile.mkdtemp(prefix="phone-page-"))
        self.redis_url = redis_url
        self.processes: list[subprocess.Popen] = []
        self.url = ""

    def _run(self, args, env):
        done = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)}: {done.stderr[-2000:]}")

    def _spawn(self, args, env, name):
        log = open(self.tmp / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def start(self) -> "ProductionSite":
        db = self.tmp / "db.sqlite3"
        dev = _dev_env(db)
        self._run(["migrate", "--noinput", "-v0"], dev)
        self._run(["seed_demo"], dev)
        wecom_env = self.tmp / "wecom.env"
        self._spawn(
            [str(BIN / "python"), "manage.py", "fake_wecom", "--port", str(_free_port()),
             "--user", USERNAME, "--env-file", str(wecom_env)],
            dev,
            "fake-wecom",
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not (wecom_env.exists() and wecom_env.stat().st_size):
            if time.monotonic() > deadline:
                raise RuntimeError("the fake WeCom did not start")
            time.sleep(0.2)
        alphabet = string.ascii_letters + string.digits
        port = _free_port()
        prod = {
            **dev,
            "DJANGO_PRODUCTION": "1",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{db}",
            "REDIS_URL": self.redis_url,
            "STATIC_ROOT": str(self.tmp / "static"),
            "MEDIA_ROOT": str(self.tmp / "media"),
            "SECURE_SSL_REDIRECT": "0",
        }
        for line in wecom_env.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip():
                prod[key.strip()] = value.strip()
        self._run(["collectstatic", "--noinput", "-v0"], prod)
        self._spawn(
            [str(BIN / "gunicorn"), "lightapps.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
            prod,
            "gunicorn",
        )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start: " + self.log_text()[-2000:])
            time.sleep(0.3)
        return self

    def log_text(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.tmp.glob("*.log")))

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()


def signed_in_context(browser, site: ProductionSite, *, service_worker: bool):
    """A phone-sized WeCom context signed in through WeCom's OAuth, as inside WeCom: /m/ sends
    the visitor to the (fake) WeCom, which answers for jny_grid. Caches are left cold."""
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        user_agent=WECOM_UA,
        service_workers="allow" if service_worker else "block",
    )
    page = context.new_page()
    page.goto(site.url + "/m/")
    page.wait_for_selector("body[data-person]")
    return context, page


class Transfers:
    """Every response a page received and the bytes it took on the wire (CDP's encodedDataLength:
    headers and the compressed body)."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.rows: dict[str, dict] = {}
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event):
        response = event["response"]
        if response["url"].startswith("http"):
            headers = {k.lower(): v for k, v in response["headers"].items()}
            self.rows[event["requestId"]] = {
                "url": response["url"],
                "encoding": headers.get("content-encoding", ""),
                "bytes": 0,
                "from_sw": bool(response.get("fromServiceWorker")),
            }

    def _finished(self, event):
        row = self.rows.get(event["requestId"])
        if row is not None:
            row["bytes"] = int(event["encodedDataLength"])

    def throttle(self, conditions=SLOW_4G, *, no_cache=True):
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": no_cache})
        self.cdp.send("Network.emulateNetworkConditions", conditions)

    def reset(self):
        self.rows.clear()

    @property
    def total(self) -> int:
        return sum(r["bytes"] for r in self.rows.values() if not r["from_sw"])


def ready_ms(page) -> float:
    page.wait_for_selector("form[data-ready]")
    return page.evaluate("() => performance.getEntriesByName('lightapps:form-ready')[0].startTime")


def form_weight(browser, site: ProductionSite) -> tuple[int, list[dict]]:
    """(bytes, rows) of a first visit to the facade form, caches off, no service worker."""
    context, page = signed_in_context(browser, site, service_worker=False)
    try:
        transfers = Transfers(page)
        transfers.throttle({**SLOW_4G, "latency": 0, "downloadThroughput": -1,
                            "uploadThroughput": -1})  # fmt: skip
        page.goto(site.url + FORM_PATH)
        page.wait_for_selector("form[data-ready]")
        page.wait_for_load_state("networkidle")
        return transfers.total, sorted(transfers.rows.values(), key=lambda r: -r["bytes"])
    finally:
        context.close()


def first_field(browser, site: ProductionSite) -> float:
    context, page = signed_in_context(browser, site, service_worker=False)
    try:
        Transfers(page).throttle()
        page.goto(site.url + FORM_PATH)
        return ready_ms(page)
    finally:
        context.close()


def repeat_visit(browser, site: ProductionSite) -> float:
    """The form again after one visit online put the worker's pages and files in its caches."""
    context, page = signed_in_context(browser, site, service_worker=True)
    try:
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        page.goto(site.url + FORM_PATH)
        ready_ms(page)
        page.goto(site.url + "/m/")
        Transfers(page).throttle(no_cache=False)
        page.goto(site.url + FORM_PATH)
        return ready_ms(page)
    finally:
        context.close()


def bare_round_trip(browser, site: ProductionSite) -> float:
    """The baseline: the same profile's navigation to a page with no assets (/healthz)."""
    context = browser.new_context()
    page = context.new_page()
    try:
        Transfers(page).throttle()
        page.goto(site.url + "/healthz")
        return page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n.responseEnd - n.startTime; }"
        )
    finally:
        context.close()


def _spread(values):
    return (
        f"min {min(values):7.0f}  median {statistics.median(values):7.0f}  max {max(values):7.0f}"
    )


def main(rounds: int = 5) -> int:
    from playwright.sync_api import sync_playwright

    with ProductionSite() as site, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        total, rows = form_weight(browser, site)
        times = {"bare": [], "first": [], "repeat": []}
        for _ in range(rounds):  # interleaved, so that a slow moment hits all three
            times["bare"].append(bare_round_trip(browser, site))
            times["first"].append(first_field(browser, site))
            times["repeat"].append(repeat_visit(browser, site))
        browser.close()

    print("phone: the facade form in production mode, Chromium 375x740, WeCom user agent")
    for row in rows:
        path = row["url"].split("/", 3)[-1]
        print(f"  {row['bytes']:7d} B  {row['encoding'] or '-':5s} /{path[:70]}")
    ok_bytes = total <= BUDGET_BYTES
    print(
        f"weight      {total:7d} B in {len(rows)} requests  (bound {BUDGET_BYTES} B: "
        f"{'ok' if ok_bytes else 'MISSED'})"
    )
    for name, kb in PEERS_KB:
        print(f"  peer {name:32s} {kb:4d} KB of JavaScript alone = {kb * 1000 / total:5.1f} x ours")
    bare = statistics.median(times["bare"])
    first, repeat = statistics.median(times["first"]), statistics.median(times["repeat"])
    ok_first, ok_repeat = first <= FIRST_FIELD_BOUND_MS, repeat <= REPEAT_BOUND_MS
    print(f"slow 4G bare round trip (baseline) ms  {_spread(times['bare'])}")
    print(
        f"first field ms  {_spread(times['first'])}  = {first / bare:4.1f} x baseline  "
        f"(bound {FIRST_FIELD_BOUND_MS} ms: {'ok' if ok_first else 'MISSED'})"
    )
    print(
        f"repeat visit ms {_spread(times['repeat'])}  = {repeat / bare:4.1f} x baseline  "
        f"(bound {REPEAT_BOUND_MS} ms: {'ok' if ok_repeat else 'MISSED'})"
    )
    return 0 if ok_bytes and ok_first and ok_repeat else 1


if __name__ == "__main__":
    sys.exit(main(int(os.environ.get("BENCH_ROUNDS", "5"))))
