from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import (
    CLUSTERED_SCHOOL_TYPES,
    ROLE_RANK,
    Cluster,
    OrganisationKind,
    Role,
    SchoolType,
)

if TYPE_CHECKING:
    from zio.accounts.models import User


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(
        _("korte naam"),
        max_length=60,
        unique=True,
        help_text=_("Voor de opdrachtregel en koppelingen, bijvoorbeeld sbo-de-regenboog."),
    )
    kind = models.CharField(_("soort organisatie"), max_length=20, choices=OrganisationKind)
    school_type = models.CharField(_("schoolsoort"), max_length=10, choices=SchoolType, blank=True)
    clusters = models.JSONField(
        _("clusters"),
        default=list,
        blank=True,
        help_text=_("Alleen voor SO en VSO: de clusters (1 tot en met 4) van de school."),
    )
    require_two_factor = models.BooleanField(
        _("tweestapsverificatie verplicht"),
        default=False,
        help_text=_("Alle leden moeten bij het inloggen ook een code uit een app invullen."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=OrganisationKind.SCHOOL) | models.Q(school_type=""),
                name="organisation_school_type_only_for_schools",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=OrganisationKind.SCHOOL) | ~models.Q(school_type=""),
                name="organisation_school_has_school_type",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == OrganisationKind.SCHOOL and not self.school_type:
            errors["school_type"] = str(_("Kies een schoolsoort voor deze school."))
        if self.kind != OrganisationKind.SCHOOL and self.school_type:
            errors["school_type"] = str(_("Alleen een school heeft een schoolsoort."))
        clusters = self.clusters or []
        valid_clusters = set(Cluster.values)
        if not isinstance(clusters, list) or any(c not in valid_clusters for c in clusters):
            errors["clusters"] = str(_("Kies cluster 1, 2, 3 of 4."))
        elif clusters and self.school_type not in CLUSTERED_SCHOOL_TYPES:
            errors["clusters"] = str(_("Alleen SO- en VSO-scholen hebben clusters."))
        if errors:
            raise ValidationError(errors)
        self.clusters = sorted(set(clusters))

    @property
    def is_school(self) -> bool:
        return self.kind == OrganisationKind.SCHOOL

    @property
    def school_description(self) -> str:
        """E.g. 'VSO, cluster 4'; empty for organisations that are not schools."""
        if not self.is_school:
            return ""
        label = SchoolType(self.school_type).name
        if self.clusters:
            joined = ", ".join(str(c) for c in self.clusters)
            return str(_("%(type)s, cluster %(clusters)s") % {"type": label, "clusters": joined})
        return label


class Region(models.Model):
    """A group of organisations that work together, e.g. the gemeenten and SWV's of a regio."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    organisations = models.ManyToManyField(
        Organisation, related_name="regions", blank=True, verbose_name=_("organisaties")
    )

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_organisation(self, organisation: Organisation) -> MembershipQuerySet:
        return self.filter(organisation=organisation)

    def for_user(self, user: User) -> MembershipQuerySet:
        return self.filter(user=user, user__is_active=True)


class Membership(models.Model):
    """A user's place in an organisation, with the role that sets what they may do there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("gebruiker"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role)
    created_at = models.DateTimeField(_("lid sinds"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    def has_role(self, role: Role) -> bool:
        """True when this membership's role includes the rights of `role`."""
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[role]

    @property
    def is_beheerder(self) -> bool:
        return self.has_role(Role.BEHEERDER)

    @property
    def can_edit(self) -> bool:
        return self.has_role(Role.OPSTELLER)


def hash_invitation_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def for_organisation(self, organisation: Organisation) -> InvitationQuerySet:
        return self.filter(organisation=organisation)

    def open(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A one-time link to join an organisation with a given role.

    Only a hash of the secret token is stored: the link itself is shown once, to the beheerder
    who made it, to copy and pass on.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role)
    email = models.EmailField(
        _("e-mailadres"),
        blank=True,
        help_text=_("Optioneel: alleen iemand met dit e-mailadres kan de uitnodiging gebruiken."),
    )
    note = models.CharField(
        _("notitie"),
        max_length=200,
        blank=True,
        help_text=_("Voor jezelf, bijvoorbeeld voor wie de link is."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"))
    accepted_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruikt door"),
    )
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
