"""The shared persona library: frozen public copies of persona's (`Publication`), what other
organisations say about them (`PublicationReaction`), and which persona's were adopted from
them (`Adoption`).

A publication never reads its source persona again after publishing: its content is the
scrubbed exchange-format copy in `content`, plus the fields that the list, the search and the
filters need. Withdrawing deletes it; adopted persona's keep their `Adoption` with the title.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zio.organisations.constants import SchoolType
from zio.organisations.models import Organisation
from zio.personas.models import Persona, Signal

from .public_copy import band_label

MAX_TITLE = 120
MAX_SUMMARY = 500
MAX_REACTION = 1000
MAX_REASON = 300


class Moderated(models.Model):
    """Hidden by the moderation (with who, when and why), for publications and reactions."""

    hidden_at = models.DateTimeField(_("verborgen op"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verborgen door"),
    )
    hidden_reason = models.CharField(_("reden"), max_length=MAX_REASON, blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Publication(Moderated):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="publications",
        verbose_name=_("gepubliceerd door organisatie"),
    )
    # The persona it was copied from; nothing is read from it after publishing.
    source = models.ForeignKey(
        Persona,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("bronpersona"),
    )
    title = models.CharField(_("titel"), max_length=MAX_TITLE)
    summary = models.TextField(_("samenvatting"), max_length=MAX_SUMMARY, blank=True)
    persona_name = models.CharField(_("naam van de persona"), max_length=60)
    avatar = models.CharField(_("illustratie"), max_length=40)
    age_min = models.PositiveSmallIntegerField(_("leeftijd vanaf"))
    age_max = models.PositiveSmallIntegerField(_("leeftijd tot en met"))
    school_types = models.JSONField(_("schoolsoorten"), default=list, blank=True)
    # " po sbo ": filtered with a plain `contains`, the same on SQLite and PostgreSQL.
    school_type_codes = models.CharField(max_length=60, blank=True, editable=False)
    group_size_min = models.PositiveIntegerField(_("groepsgrootte vanaf"))
    group_size_max = models.PositiveIntegerField(
        _("groepsgrootte tot"), null=True, blank=True, help_text=_("Leeg: of meer.")
    )
    # Only signals of the shared catalogue: an organisation's own signals are its own words.
    signals = models.ManyToManyField(
        Signal, blank=True, related_name="+", verbose_name=_("signalen")
    )
    show_organisation = models.BooleanField(_("naam van de organisatie tonen"), default=False)
    with_costs = models.BooleanField(_("met kosten"), default=False)
    content = models.JSONField(_("inhoud (uitwisselformaat)"))
    # Plain text for PostgreSQL's Dutch full-text search, stems for the SQLite fallback.
    search_text = models.TextField(blank=True, editable=False)
    search_normalised = models.TextField(blank=True, editable=False)
    adoption_count = models.PositiveIntegerField(_("keer overgenomen"), default=0)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
    )
    published_at = models.DateTimeField(_("gepubliceerd op"))
    updated_at = models.DateTimeField(_("bijgewerkt op"))

    class Meta:
        verbose_name = _("publicatie in de bibliotheek")
        verbose_name_plural = _("publicaties in de bibliotheek")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(source__isnull=False),
                name="one_publication_per_persona",
            ),
            models.CheckConstraint(
                condition=models.Q(age_min__lte=models.F("age_max")),
                name="publication_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def group_size_label(self) -> str:
        return band_label(self.group_size_min, self.group_size_max)

    @property
    def school_type_labels(self) -> list[str]:
        return [SchoolType(t).name for t in self.school_types]


class PublicationReaction(Moderated):
    """What another organisation says about a published persona ("wat werkte bij ons")."""

    publication = models.ForeignKey(
        Publication,
        on_delete=models.CASCADE,
        related_name="reactions",
        verbose_name=_("publicatie"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    # The organisation the author worked in when reacting.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    show_organisation = models.BooleanField(_("naam van de organisatie tonen"), default=True)
    text = models.TextField(_("reactie"), max_length=MAX_REACTION)
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("reactie in de bibliotheek")
        verbose_name_plural = _("reacties in de bibliotheek")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Adoption(models.Model):
    """A persona that an organisation adopted from the library. The link to the publication
    goes when the publication is withdrawn; the title at adoption stays."""

    persona = models.OneToOneField(
        Persona, on_delete=models.CASCADE, related_name="adoption", verbose_name=_("persona")
    )
    publication = models.ForeignKey(
        Publication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("publicatie"),
    )
    title_at_adoption = models.CharField(_("titel bij overnemen"), max_length=MAX_TITLE)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overgenomen door"),
    )
    adopted_at = models.DateTimeField(_("overgenomen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("overgenomen persona")
        verbose_name_plural = _("overgenomen persona's")

    def __str__(self) -> str:
        return f"{self.persona} ← {self.title_at_adoption}"
