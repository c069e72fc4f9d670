from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccountErasure, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Certificates and language"), {"fields": ("full_name", "language")}),
    )
    list_display = ("username", "full_name", "email", "is_staff", "date_joined")
    search_fields = ("username", "full_name", "email")


@admin.register(AccountErasure)
class AccountErasureAdmin(admin.ModelAdmin):
    """Erasures, kept as counts with no personal data: read-only."""

    list_display = ("at", "via", "by", "certificates_withdrawn", "attempts_deleted")
    list_filter = ("via",)
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
