"""How the product talks to PostgreSQL (CI's second lane)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's settings")


def test_the_web_s_connections_do_not_jit_compile(db):
    # JIT cost 0.7 s of the figures' query at a million orders (README, "Speed at a city's
    # scale"); DB_JIT=1 gives the server's setting back.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
