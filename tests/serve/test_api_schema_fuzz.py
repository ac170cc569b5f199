"""Schemathesis through a running `make serve` (CI's serve lane): every operation of the OpenAPI
document at /api/schema/, with a bounded number of generated requests, answers without a server
error, with a status it declares and in the shape its schema declares for it (error responses
included, lightapps/api/schema.py).

Skipped unless SERVE_URL is set; run it like the smoke test (tests/serve/test_smoke.py), with the
environment `make serve` got. It seeds the demo data (`seed_demo --records`, which is idempotent),
issues a one-day token for each person below through `deploy/serve.sh manage issue_token`, and
runs the schemathesis CLI once per person, deterministically (`--generation-deterministic`).

The fuzzing writes: drafts are replaced, versions published, apps imported, reports submitted and
work-order steps taken. That is what a throwaway serve database is for; do not point it at one
you want to keep. Start `make serve` with a generous API_THROTTLE_RATE (CI does), or most of
the calls only meet 429.
"""

import json
import os
import re
import subprocess
import sys

import pytest
import requests

from tests.serve.test_smoke import SERVE_URL, TIMEOUT, manage

pytestmark = [
    pytest.mark.serve,
    pytest.mark.skipif(not SERVE_URL, reason="needs a running `make serve` (SERVE_URL)"),
]

# Generated requests per operation and phase: enough to reach each operation's checks, small
# enough for the whole file to take about a minute and a half.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "20"))
# No 5xx; the body as the schema says for its status; and only statuses the operation declares.
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"

# The district's admin (designer too: drafts, publishing, import, all the data), a street's
# dispatcher (work-order steps; refused on design) and a grid worker (reports; refused on most).
PEOPLE = ["jingan_admin", "jny_dispatcher", "jny_grid"]


@pytest.fixture(scope="module")
def demo_data():
    seeded = manage("seed_demo", "--records")
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr


def _token(username: str) -> str:
    issued = manage("issue_token", username, "--days", "1", "--note", "schemathesis (CI)")
    assert issued.returncode == 0, issued.stdout + issued.stderr
    return issued.stdout.strip().splitlines()[-1]


def _binding(parameter: str, dictionary: str) -> str:
    return f'"path.{parameter}" = {{ dictionary = "{dictionary}", probability = 0.7 }}'


def _config(token: str) -> str:
    """A schemathesis.toml whose path parameters are often ones that exist (app keys, work-order
    and report ids, version numbers), so that requests get past 404 to the operation's checks."""
    headers = {"Authorization": f"Token {token}"}

    def results(path):
        response = requests.get(SERVE_URL + path, headers=headers, timeout=TIMEOUT)
        return response.json()["results"] if response.status_code == 200 else []

    keys = [app["key"] for app in results("/api/apps/")]
    orders = [order["id"] for order in results("/api/work-orders/?limit=50")]
    reports = [
        s["id"] for key in keys[:3] for s in results(f"/api/apps/{key}/submissions/?limit=5")
    ]
    lines = []
    for name, values in {"keys": keys, "orders": orders, "reports": reports}.items():
        listed = ", ".join(json.dumps(value) for value in values) or '"none"'
        lines += [f"[dictionaries.{name}]", f"values = [{listed}]"]
    lines += ["[dictionaries.numbers]", "values = [1, 2, 3]", "[parameters]"]
    lines += [_binding("key", "keys"), _binding("number", "numbers")]
    # Both name their id `id`: a work order's is a number, a report's a UUID.
    for path, name in [("^/api/work-orders/", "orders"), ("/submissions/[{]id[}]/$", "reports")]:
        lines += ["[[operations]]", f'include-path-regex = "{path}"', "[operations.parameters]"]
        lines.append(_binding("id", name))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("username", PEOPLE)
def test_every_operation_answers_as_its_schema_says(demo_data, username, tmp_path):
    token = _token(username)
    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(token), encoding="utf-8")

    print(config.read_text(encoding="utf-8"))  # pytest shows it when the test fails
    # fmt: off
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "--no-color",
        "run", f"{SERVE_URL}/api/schema/",
        "--header", f"Authorization: Token {token}",
        "--checks", CHECKS,
        "--max-examples", str(MAX_EXAMPLES),
        "--generation-deterministic",
        # One worker: CPython 3.11.7's ast is not safe across threads, and hypothesis parses
        # lambdas' sources in schemathesis's workers ("SystemError: AST constructor recursion
        # depth mismatch"), which broke the run twice in a row on a busy machine.
        "--workers", "1",
        "--request-timeout", "20",
    ]  # fmt: on
    # Its working directory takes the files schemathesis leaves (.hypothesis, .schemathesis).
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=280)
    output = run.stdout + run.stderr
    if run.returncode != 0 and "Runtime Error" in output and "Failures:" not in output:
        # schemathesis itself broke, having found nothing: once more. A finding is never run
        # again.
        run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=280)

    # then: no failures; otherwise its output (which filters the token out) says what it found
    # (the exit code is compared on its own: the assertion would print the command, token and all)
    output, failed = run.stdout + run.stderr, run.returncode != 0
    assert not failed, output[-20000:]
    selected = re.search(r"Selected: (\d+)/(\d+)\s+Tested: (\d+)", output)
    assert selected, output[-5000:]
    assert len(set(selected.groups())) == 1, selected.group(0)  # every operation, all tested
