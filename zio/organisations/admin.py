from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .constants import Cluster
from .models import Invitation, Membership, Organisation, Region


class OrganisationAdminForm(forms.ModelForm):
    # Checkboxes instead of a raw JSON text box for the list of clusters.
    clusters = forms.TypedMultipleChoiceField(
        label=_("Clusters"),
        choices=Cluster.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen voor SO en VSO."),
    )

    class Meta:
        model = Organisation
        fields = ["name", "slug", "kind", "school_type", "clusters"]


class MembershipInline(admin.StackedInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    prepopulated_fields = {"slug": ("name",)}
    list_display = ["name", "kind", "school_type"]
    list_filter = ["kind", "school_type"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["organisations"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "role", "email", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    # Invitations are made by beheerders in the app; here they can only be looked at.
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False
