"""Loaded first (`-p tests.redis_per_worker` in pyproject.toml), before pytest-django reads the
settings: under pytest-xdist each worker gets a Redis database of its own (REDIS_URL's number plus
the worker's), as it gets a test database of its own, so that one worker's cache entries
(throttle counters, the grid index's version), channel groups and broker queues never reach
another's tests."""

import os
import re

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_url = os.environ.get("REDIS_URL", "")
_found = re.fullmatch(r"(redis://[^/]+)/(\d+)", _url)
if _worker.startswith("gw") and _found:
    _db = int(_found.group(2)) + int(_worker[2:])
    os.environ["REDIS_URL"] = f"{_found.group(1)}/{_db % 16}"
