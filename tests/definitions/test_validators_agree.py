"""The fast validator (jsonschema-rs) and the detailed one (python jsonschema) agree.

An accepted submission is only ever checked by jsonschema-rs, a refused one is explained by
python jsonschema: both must accept and refuse the same instances, at the same paths, and read
every format (ours and the standard ones) the same way.
"""

import copy
import string
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lightapps.definitions.dialect import FORMATS, compile_schema, error_path
from lightapps.demo.samples import DEMO_APP_KEYS, demo_app, sample_data

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCHEMAS = {key: demo_app(key)["schema"] for key in DEMO_APP_KEYS}
COMPILED = {key: compile_schema(schema) for key, schema in SCHEMAS.items()}
SAMPLES = {key: sample_data(key, [uuid.uuid4() for _ in range(12)]) for key in DEMO_APP_KEYS}


def _paths_rs(compiled, data) -> set[str]:
    return {error_path(e.instance_path) for e in compiled.fast.iter_errors(data)}


def _paths_py(compiled, data) -> set[str]:
    return {
        error_path(list(e.absolute_path))
        for e in compiled.detailed.iter_errors(data)
        if e.validator not in {"if", "allOf"}
    }


def _assert_agree(compiled, data) -> None:
    fast = compiled.fast.is_valid(data)
    detailed = compiled.detailed.is_valid(data)
    assert fast == detailed, data
    assert _paths_rs(compiled, data) == _paths_py(compiled, data), data


# Values a phone, a buggy client or an attacker might send in place of an answer.
def _format_like() -> st.SearchStrategy[str]:
    digits = st.text(string.digits, min_size=1, max_size=4)
    return st.one_of(
        st.builds(
            lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
            st.integers(0, 9999),
            st.integers(0, 13),
            st.integers(0, 32),
        ),
        st.builds(
            lambda h, m, s, frac, off: f"{h:02d}:{m:02d}:{s:02d}{frac}{off}",
            st.integers(0, 25),
            st.integers(0, 61),
            st.integers(0, 61),
            st.sampled_from(["", ".5", ".123456"]),
            st.sampled_from(["", "Z", "z", "+08:00", "-05:30", "+24:00", "+08:60", "+0800"]),
        ),
        st.builds(
            lambda a, b: f"{a}T{b}",
            st.sampled_from(["2026-11-23", "2024-02-29", "2026-02-29", "0000-01-01"]),
            st.sampled_from(
                [
                    "09:30:00+08:00",
                    "23:59:60Z",
                    "07:59:60+08:00",
                    "09:30:00",
                    "24:00:00Z",
                    "09:30:00.5Z",
                ]
            ),
        ),
        st.builds(
            lambda u, f: f(str(u)),
            st.uuids(),
            st.sampled_from(
                [
                    str,
                    str.upper,
                    lambda s: s.replace("-", ""),
                    lambda s: "{" + s + "}",
                    lambda s: s[:-1] + "g",
                ]
            ),
        ),
        st.builds(lambda d: "1" + d, st.text(string.digits, min_size=9, max_size=11)),
        st.builds(
            lambda d, x: d + x,
            st.text(string.digits, min_size=17, max_size=17),
            st.sampled_from(["0", "1", "X", "x", "9"]),
        ),
        st.sampled_from(["11010519491231002X", "110105194912310021", "13812345678", "12812345678"]),
        digits,
        st.text(max_size=12),
    )


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 300),
        st.floats(allow_nan=False, allow_infinity=False),
        _format_like(),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def mutated_samples(draw):
    """A demo sample with a few answers dropped, replaced or added, anywhere in the tree."""
    key = draw(st.sampled_from(sorted(SAMPLES)))
    data = copy.deepcopy(SAMPLES[key])
    for _ in range(draw(st.integers(1, 4))):
        target = data
        # walk down a random path of dicts/lists
        while True:
            if isinstance(target, dict) and target and draw(st.booleans()):
                child_key = draw(st.sampled_from(sorted(target)))
                if isinstance(target[child_key], dict | list) and target[child_key]:
                    target = target[child_key]
                    continue
            if isinstance(target, list) and target:
                child = target[draw(st.integers(0, len(target) - 1))]
                if isinstance(child, dict | list) and child and draw(st.booleans()):
                    target = child
                    continue
            break
        action = draw(st.sampled_from(["drop", "replace", "add"]))
        if isinstance(target, dict):
            names = sorted(target) + list(SCHEMAS[key]["properties"])
            name = draw(st.sampled_from(names))
            if action == "drop":
                target.pop(name, None)
            else:
                target[name] = draw(JSON_VALUES)
        elif isinstance(target, list):
            if action == "drop" and target:
                target.pop()
            elif action == "add":
                target.append(draw(JSON_VALUES))
            elif target:
                target[0] = draw(JSON_VALUES)
    return key, data


@SETTINGS
@given(mutated_samples())
def test_both_validators_accept_and_refuse_the_same_submissions_at_the_same_paths(case):
    # given: a demo app and a sample with random changes
    key, data = case

    # when / then
    _assert_agree(COMPILED[key], data)


@given(st.sampled_from(sorted(DEMO_APP_KEYS)))
def test_the_unchanged_samples_pass_both(key):
    assert COMPILED[key].fast.is_valid(SAMPLES[key])
    assert COMPILED[key].detailed.is_valid(SAMPLES[key])


FORMAT_SCHEMAS = {
    name: compile_schema({"type": "object", "properties": {"v": {"format": name}}})
    for name in FORMATS
}


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(sorted(FORMATS)), _format_like())
def test_every_format_is_read_the_same_by_both_and_by_its_function(name, text):
    # given
    compiled = FORMAT_SCHEMAS[name]

    # when
    fast = compiled.fast.is_valid({"v": text})
    detailed = compiled.detailed.is_valid({"v": text})

    # then
    assert fast == detailed == FORMATS[name](text), (name, text)


def test_a_version_is_compiled_once_and_reused(app_version):
    # given
    from lightapps.definitions.dialect import compiled_count, submission_errors, validator_for

    first = validator_for(app_version)
    count = compiled_count()

    # when: more submissions against the same version (including a refused one)
    for data in ({}, {"address": "江宁路"}, {"floors": "x"}):
        submission_errors(app_version, data)

    # then
    assert validator_for(app_version) is first
    assert compiled_count() == count
