"""What every outbox delivery row has (workorders.outbox): WeCom's Notification and
WebhookDelivery. `status` is each model's own (their states differ past "sending")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryRow(models.Model):
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a sender took it (status "sending"): a sender that died is replaced after a while;
    # the first claim starts WeCom's duplicate-check window (workorders.outbox).
    claimed_at = models.DateTimeField(null=True, blank=True)
    first_claimed_at = models.DateTimeField(null=True, blank=True)
    # A pending row waits for this time before the next try (backoff); None: at once.
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
