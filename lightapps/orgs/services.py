"""Writes on the org tree and people."""

from django.db import transaction

from .models import Membership, OrgUnit, Person


@transaction.atomic
def org_unit_create(
    *,
    name: str,
    kind: str,
    code: str,
    parent: OrgUnit | None = None,
    boundary: dict | None = None,
    sort: int = 0,
) -> OrgUnit:
    unit = OrgUnit.objects.create(
        name=name, kind=kind, code=code, parent=parent, boundary=boundary, sort=sort, path=""
    )
    unit.path = f"{parent.path if parent else ''}{unit.pk}/"
    unit.depth = (parent.depth + 1) if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


def org_unit_upsert(
    *, code: str, name: str, kind: str, parent: OrgUnit | None = None, boundary=None, sort: int = 0
) -> OrgUnit:
    """Create the unit with this code, or bring its name/kind/boundary up to date."""
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        return org_unit_create(
            name=name, kind=kind, code=code, parent=parent, boundary=boundary, sort=sort
        )
    if unit.parent_id != (parent.pk if parent else None):
        raise ValueError(f"org unit {code} already exists under another parent")
    changed = []
    for field, value in (("name", name), ("kind", kind), ("boundary", boundary), ("sort", sort)):
        if getattr(unit, field) != value:
            setattr(unit, field, value)
            changed.append(field)
    if changed:
        unit.save(update_fields=changed)
    return unit


def person_upsert(
    *, username: str, name: str, wecom_userid: str | None = None, mobile: str = ""
) -> Person:
    person, created = Person.objects.get_or_create(
        username=username, defaults={"name": name, "wecom_userid": wecom_userid, "mobile": mobile}
    )
    if created:
        person.set_unusable_password()
        person.save(update_fields=["password"])
        return person
    changed = []
    for field, value in (("name", name), ("wecom_userid", wecom_userid), ("mobile", mobile)):
        if getattr(person, field) != value:
            setattr(person, field, value)
            changed.append(field)
    if changed:
        person.save(update_fields=changed)
    return person


def membership_grant(*, person: Person, org_unit: OrgUnit, role: str) -> Membership:
    membership, _ = Membership.objects.get_or_create(person=person, org_unit=org_unit, role=role)
    return membership
