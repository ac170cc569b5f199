"""Reads on submissions and attachments, scoped like work orders."""

from django.db.models import Q

from lightapps.orgs.models import Person
from lightapps.orgs.selectors import scope_q

from .models import Attachment, Submission


def submissions_visible_to(person: Person):
    """Submissions from under a unit where the person holds a role, plus their own."""
    if not getattr(person, "is_authenticated", False):
        return Submission.objects.none()
    return Submission.objects.filter(
        scope_q(person, path_field="org_unit__path") | Q(reporter=person)
    )


def attachments_visible_to(person: Person):
    """Photos of visible submissions, plus the person's own uploads (bound or not)."""
    if not getattr(person, "is_authenticated", False):
        return Attachment.objects.none()
    return Attachment.objects.filter(
        Q(uploader=person)
        | (Q(submission__isnull=False) & (scope_q(person, path_field="submission__org_unit__path")))
    )
