from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, OrgUnit, Person


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["org_unit"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ["username", "name", "wecom_userid", "is_active"]
    search_fields = ["username", "name", "wecom_userid", "mobile"]
    fieldsets = (*UserAdmin.fieldsets, ("WeCom", {"fields": ("name", "wecom_userid", "mobile")}))
    inlines = [MembershipInline]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    readonly_fields = ["path", "depth"]

    def has_add_permission(self, request):
        # Units are created through orgs.services (which keeps the materialized path right).
        return False
