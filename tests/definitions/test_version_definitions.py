"""The submit path's versions: loaded without their definitions, which each process keeps by
(id, published_at) — a published version never changes."""

from datetime import timedelta

from lightapps.definitions import selectors
from lightapps.definitions.models import LightAppVersion
from lightapps.definitions.selectors import version_definitions, versions_deferred


def _deferred(version):
    return versions_deferred(LightAppVersion.objects.filter(pk=version.pk)).get()


def test_a_versions_definitions_are_read_once_per_process(app_version, django_assert_num_queries):
    # given a version loaded without its schema, ui and flow, none of them kept yet
    selectors._definitions.clear()
    first = _deferred(app_version)

    # when its definitions are asked twice
    with django_assert_num_queries(1):
        version_definitions(first)
    again = _deferred(app_version)
    with django_assert_num_queries(0):
        version_definitions(again)

    # then both hold the stored definitions
    for version in (first, again):
        assert (version.schema, version.ui, version.flow) == (
            app_version.schema, app_version.ui, app_version.flow
        )  # fmt: skip


def test_a_row_with_the_same_id_but_another_publication_is_read_afresh(
    app_version, django_assert_num_queries
):
    # given the version's definitions kept, then its row replaced by another with the same id (as
    # a recreated database would give it)
    selectors._definitions.clear()
    version_definitions(_deferred(app_version))
    LightAppVersion.objects.filter(pk=app_version.pk).update(
        flow={"template": "records_only"}, published_at=app_version.published_at + timedelta(1)
    )

    # when asked, then the new row's are read, not the kept ones
    version = _deferred(app_version)
    with django_assert_num_queries(1):
        version_definitions(version)
    assert version.flow == {"template": "records_only"}


def test_the_process_keeps_a_bounded_number(app_version, monkeypatch):
    monkeypatch.setattr(selectors, "DEFINITIONS_KEPT", 2)
    selectors._definitions.clear()
    version = _deferred(app_version)
    for days in range(5):
        version.published_at = app_version.published_at + timedelta(days)
        version_definitions(version)
    assert len(selectors._definitions) == 2


def test_the_fields_of_a_kept_version_are_derived_once(app_version):
    # given a version whose definitions come from the process's copies
    from lightapps.definitions.dialect import fields_of
    from lightapps.definitions.selectors import version_fields

    selectors._definitions.clear()
    first = version_fields(version_definitions(_deferred(app_version)))

    # when asked again through another load, then it is the same derivation, and right
    assert version_fields(version_definitions(_deferred(app_version))) is first
    assert first == fields_of(app_version.schema, app_version.ui)

    # and a version whose schema is not the kept one (changed in hand) is derived afresh
    changed = version_definitions(_deferred(app_version))
    changed.schema = {**changed.schema, "properties": {}}
    assert version_fields(changed) is not first
