"""The console's own rows: what a person keeps for themselves (saved filters)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """我的筛选: a work-order list query a person named and keeps, theirs alone.

    Only the query is kept (normalised: known list parameters, no page); it is read again with
    the person's scope each time it is opened, so a saved filter never shows more than the
    person may see on that day.
    """

    person = models.ForeignKey(
        "orgs.Person", on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(_("名称"), max_length=20)
    query = models.CharField(_("筛选条件"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="saved_filter_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
