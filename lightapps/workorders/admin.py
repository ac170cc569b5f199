import secrets

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from lightapps.wecom.models import Notification

from .messages import notifications_resend
from .models import Webhook, WebhookDelivery, WorkOrder, WorkOrderEvent
from .webhooks import deliveries_resend


class EventInline(admin.TabularInline):
    model = WorkOrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "action", "from_state", "to_state", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False  # every change goes through work_order_transition


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "state", "org_unit", "assignee_unit", "due_at"]
    list_filter = ["state", "app"]
    search_fields = ["number", "title"]
    list_select_related = ["org_unit", "assignee_unit"]
    readonly_fields = [f.name for f in WorkOrder._meta.fields]
    inlines = [EventInline]


class DeliveryRowAdmin(admin.ModelAdmin):
    """An outbox's delivery rows (lightapps.delivery): read-only, the last error in the list,
    and 重新发送 through the model's own `requeue` service."""

    requeue = None  # staticmethod(ids=...) -> how many were queued again
    actions = ["resend"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.display(description=_("最近错误"))
    def last_error_short(self, obj):
        return obj.last_error[:80]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("重新发送"))
    def resend(self, request, queryset):
        count = self.requeue(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("已重新排队 %d 条") % count, messages.SUCCESS)


@admin.register(Notification)
class NotificationAdmin(DeliveryRowAdmin):
    """Every WeCom message, with failures and their last error in plain sight; 重新发送 takes the
    failed ones."""

    list_display = ["event", "person", "status", "attempts", "last_error_short", "created_at",
                    "sent_at"]  # fmt: skip
    list_filter = ["status", "event__action"]
    search_fields = ["event__order__number", "person__username", "person__name", "last_error"]
    list_select_related = ["event__order", "person"]
    requeue = staticmethod(notifications_resend)


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label=_("接收地址"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("订阅的事件"), choices=Webhook.Event.choices, widget=forms.CheckboxSelectMultiple
    )
    secret = forms.CharField(
        label=_("签名密钥"),
        required=False,
        max_length=128,
        help_text=_("接收方用它校验 X-Lightapps-Signature；留空则自动生成。"),
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "org_unit", "is_active", "secret"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("接收地址须以 http:// 或 https:// 开头"))
        return url

    def clean_secret(self):
        secret = self.cleaned_data["secret"].strip()
        if secret and len(secret) < 16:
            raise forms.ValidationError(_("签名密钥至少 16 个字符"))
        return secret or secrets.token_urlsafe(32)


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """Webhooks an admin registers: URL, events, units; the secret to give the receiver."""

    form = WebhookForm
    list_display = ["name", "url", "org_unit", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(DeliveryRowAdmin):
    """Every delivery with its status, the receiver's answer and the last error; 重新发送."""

    list_display = ["delivery_id", "webhook", "event_type", "status", "attempts",
                    "response_status", "last_error_short", "created_at", "delivered_at"]  # fmt: skip
    list_filter = ["status", "event_type", "webhook"]
    search_fields = ["delivery_id", "event__order__number", "last_error"]
    list_select_related = ["webhook"]
    requeue = staticmethod(deliveries_resend)
