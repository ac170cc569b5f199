"""The phone and the server give every expression the same value: hypothesis writes expressions
over the dialect's operators (custom ones included) and answers; each runs through json-logic-js
with our operations (static/mobile/logic.js, in Chromium, from the live server) and through the
server's evaluator (definitions/dialect/logic.py). Cases go to the page in batches.

No deliberate difference is left: numbers are compared as numbers (JSON has one number type;
the server's int 3 is the phone's 3), NaN equals NaN here, and text compares as text.
"""

import math
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lightapps.definitions.dialect.logic import OPERATORS, logic_apply
from tests.browser.conftest import off_loop, publish_demo_app
from tests.fixtures.logic import LOGIC_SCHEMA, LOGIC_UI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEYS = ["n", "m", "s", "t", "b", "nil", "arr", "items", "d1", "d2"]
TEXTS = st.one_of(
    st.text(alphabet="0123456789 .eE+-xbInfity\u3000\t,用电", max_size=8),
    st.sampled_from(["", "Infinity", "-Infinity", "0x1f", "1e3", " 12 ", "abc", "用电", "1,2"]),
    st.sampled_from(["2026-01-30", "2026-03-01", "2024-02-29", "2026-02-30", "0001-01-01"]),
)
NUMBERS = st.one_of(
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from([0, -0.0, 0.1, 0.5, 1e21, 1e-7, 2**53 + 1]),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXTS)
ITEMS = st.lists(
    st.dictionaries(st.sampled_from(["cost", "kind"]), st.one_of(NUMBERS, TEXTS)), max_size=4
)
DATA = st.fixed_dictionaries(
    {},
    optional={
        "n": NUMBERS,
        "m": SCALARS,
        "s": TEXTS,
        "t": TEXTS,
        "b": st.booleans(),
        "nil": st.none(),
        "arr": st.lists(st.one_of(TEXTS, NUMBERS), max_size=4),
        "items": ITEMS,
        "d1": TEXTS,
        "d2": TEXTS,
    },
)
VAR = st.builds(lambda k: {"var": k}, st.sampled_from([*KEYS, "nope"])) | st.builds(
    lambda k, d: {"var": [k, d]}, st.sampled_from(["nope", "n", "nil"]), SCALARS
)
LEAVES = st.one_of(SCALARS, VAR, VAR, st.lists(SCALARS, max_size=3))
NARY = {op for op, (_low, high) in OPERATORS.items() if high is None}


def _node(children):
    def make(op):
        low, high = OPERATORS[op]
        if op == "var":
            return VAR
        if op == "missing":
            return st.builds(
                lambda ks: {"missing": ks}, st.lists(st.sampled_from(KEYS), min_size=1)
            )
        if op == "sum":
            return st.builds(
                lambda a, k: {"sum": [a, k] if k is not None else [a]},
                st.one_of(st.just({"var": "items"}), st.just({"var": "arr"}), children),
                st.sampled_from(["cost", "kind", None]),
            )
        if op == "in":
            haystack = st.one_of(children, st.lists(SCALARS, max_size=3), st.just({"var": "arr"}))
            return st.builds(lambda a, b: {"in": [a, b]}, children, haystack)
        top = high if high is not None else 4
        return st.builds(lambda args: {op: args}, st.lists(children, min_size=low, max_size=top))

    return st.sampled_from(sorted(OPERATORS)).flatmap(make)


EXPRESSIONS = st.recursive(LEAVES, _node, max_leaves=10)
CASES = st.lists(st.tuples(EXPRESSIONS, DATA), min_size=60, max_size=60)


def _norm(value):
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, (int, float)):
        return ("number", "NaN" if math.isnan(value) else float(value))
    if isinstance(value, list):
        return ("array", tuple(_norm(v) for v in value))
    if isinstance(value, dict):
        return ("object", tuple(sorted((k, _norm(v)) for k, v in value.items())))
    return (type(value).__name__, value)


def _server(expr, data):
    try:
        return _norm(logic_apply(expr, data))
    except Exception as exc:  # a case json-logic-js throws on must throw here too
        return ("error", type(exc).__name__ != "")


PHONE_RUN = """async ([url, cases]) => {
  const logic = await import(url);
  return cases.map(([expr, data]) => {
    try {
      const value = logic.apply(expr, data);
      return { value: value === undefined ? "__undefined__" : value };
    } catch (err) {
      return { error: String(err) };
    }
  });
}"""


@pytest.fixture
def page_with_logic(settings, tmp_path, phone):
    settings.MEDIA_ROOT = tmp_path / "media"
    off_loop(
        publish_demo_app, key="site-logic", name="小型工地检查", schema=LOGIC_SCHEMA, ui=LOGIC_UI
    )
    phone.goto("/login/?next=/m/apps/site-logic/")
    phone.click("button[data-username='jny_grid']")
    phone.wait_for_url(re.compile("/m/apps/site-logic/$"))
    # the page's bundle (phone/form.js) set window.jsonLogic; its logic.js comes from the sources
    src = phone.locator("script[type=module][src*='/form.js']").get_attribute("src")
    return phone, src.replace("phone/form.js", "mobile/logic.js")


def test_the_phone_and_the_server_agree_on_generated_expressions(page_with_logic):
    page, module = page_with_logic
    checked = []

    @settings(
        max_examples=int(os.environ.get("LOGIC_EXAMPLES", "40")),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(CASES)
    def agree(cases):
        answers = page.evaluate(PHONE_RUN, [module, [list(c) for c in cases]])
        for (expr, data), answer in zip(cases, answers, strict=True):
            phone = ("error", True) if answer.get("error") else _norm(answer["value"])
            assert phone == _server(expr, data), (expr, data, answer)
        checked.append(len(cases))

    agree()
    assert sum(checked) >= 2000
