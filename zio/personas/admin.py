from django.contrib import admin

from .models import Persona, PersonaItem


class PersonaItemInline(admin.StackedInline):
    model = PersonaItem
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Persona)
class PersonaAdmin(admin.ModelAdmin):
    # Schools own their persona's: platform staff may look, not edit (edits in the app keep
    # versions and history; the admin would bypass both).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    list_display = ["name", "organisation", "group_size", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["name", "organisation__name"]
    inlines = [PersonaItemInline]
