from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Platform staff read the log of every organisation; nobody edits it."""

    list_display = [
        "at",
        "organisation_name",
        "actor_name",
        "action",
        "object_type",
        "object_label",
    ]
    list_filter = ["action", "object_type", "via"]
    search_fields = ["organisation_name", "actor_name", "object_label", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
