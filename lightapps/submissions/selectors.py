"""Reads on submissions and attachments, scoped by the one rule for a report (`report_q`)."""

from django.db.models import Q

from lightapps.orgs.models import Person
from lightapps.orgs.selectors import report_q

from .models import Attachment, Submission


def submissions_visible_to(person: Person):
    """Reports the person may see: those of the work orders they see, and order-less ones of
    their units and their own."""
    if not getattr(person, "is_authenticated", False):
        return Submission.objects.none()
    return Submission.objects.filter(report_q(person))


def attachments_visible_to(person: Person):
    """Photos and files of the reports the person may see, plus their own uploads (bound or not)."""
    if not getattr(person, "is_authenticated", False):
        return Attachment.objects.none()
    return Attachment.objects.filter(
        Q(uploader=person) | (Q(submission__isnull=False) & report_q(person, prefix="submission__"))
    )
