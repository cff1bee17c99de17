from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from zio.organisations.constants import SchoolType
from zio.organisations.models import Organisation

from .constants import PersonaStatus, Section


class SignalDomain(models.Model):
    """A group of signals in the catalogue, e.g. 'Prikkelverwerking & zelfregulatie'."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("domein van signalen")
        verbose_name_plural = _("domeinen van signalen")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class SignalQuerySet(models.QuerySet["Signal"]):
    def for_organisation(self, organisation: Organisation) -> SignalQuerySet:
        """The catalogue as this organisation sees it: the shared signals it has not hidden,
        plus its own signals that are not retired."""
        hidden = HiddenSignal.objects.filter(organisation=organisation).values("signal_id")
        return (
            self.filter(models.Q(organisation__isnull=True) | models.Q(organisation=organisation))
            .filter(retired_at__isnull=True)
            .exclude(pk__in=hidden)
            .select_related("domain")
            .order_by("domain__position", "position", "name")
        )


class Signal(models.Model):
    """A signal or characteristic of pupils, e.g. 'overprikkeling'.

    The same catalogue serves the screening (step 1), the grouping (step 2) and the problems of
    a persona (step 3). Shared signals have no organisation; an organisation adds its own.
    """

    domain = models.ForeignKey(
        SignalDomain, on_delete=models.PROTECT, related_name="signals", verbose_name=_("domein")
    )
    name = models.CharField(_("naam"), max_length=120)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_signals",
        verbose_name=_("eigen signaal van"),
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    retired_at = models.DateTimeField(_("niet meer in gebruik sinds"), null=True, blank=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["domain__position", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("name"), name="signal_name_unique_per_organisation"
            ),
            models.UniqueConstraint(
                Lower("name"),
                condition=models.Q(organisation__isnull=True),
                name="shared_signal_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HiddenSignal(models.Model):
    """An organisation does not use this shared signal."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "signal"], name="hidden_signal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.signal} (verborgen)"


class PersonaQuerySet(models.QuerySet["Persona"]):
    def for_organisation(self, organisation: Organisation) -> PersonaQuerySet:
        return self.filter(organisation=organisation)

    def active(self) -> PersonaQuerySet:
        return self.filter(archived_at__isnull=True)


class Persona(models.Model):
    """A fictitious pupil who stands for a group of pupils with similar needs.

    A persona never describes a real child: it has a made-up name, a drawn illustration and
    the size of the group it stands for.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="personas",
        verbose_name=_("organisatie"),
    )
    name = models.CharField(_("naam van de persona"), max_length=60)
    group_size = models.PositiveIntegerField(
        _("aantal leerlingen in de groep"),
        help_text=_("Hoeveel leerlingen deze persona vertegenwoordigt."),
    )
    age_min = models.PositiveSmallIntegerField(_("leeftijd vanaf"))
    age_max = models.PositiveSmallIntegerField(_("leeftijd tot en met"))
    school_types = models.JSONField(_("schoolsoorten"), default=list, blank=True)
    avatar = models.CharField(_("illustratie"), max_length=40, default="avatar-01")
    status = models.CharField(
        _("status"), max_length=20, choices=PersonaStatus, default=PersonaStatus.CONCEPT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laatst gewijzigd door"),
    )
    archived_at = models.DateTimeField(_("gearchiveerd op"), null=True, blank=True)
    source_group = models.ForeignKey(
        "grouping.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personas",
        verbose_name=_("gebaseerd op groep"),
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("gebaseerd op"),
    )
    # Optimistic locking: every part of the persona that is saved on its own has a version
    # number, so that two people editing at once never silently overwrite each other.
    # Keys are the section codes and "meta" (name, group size, ages, ...).
    versions = models.JSONField(_("versies"), default=dict, blank=True)

    objects = PersonaQuerySet.as_manager()

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("persona's")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_min__lte=models.F("age_max")),
                name="persona_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            errors["age_max"] = str(_("De leeftijd 'tot en met' is lager dan 'vanaf'."))
        if self.age_min is not None and not 3 <= self.age_min <= 21:
            errors["age_min"] = str(_("Vul een leeftijd tussen 3 en 21 jaar in."))
        if self.age_max is not None and not 3 <= self.age_max <= 21:
            errors["age_max"] = str(_("Vul een leeftijd tussen 3 en 21 jaar in."))
        valid = set(SchoolType.values)
        if not isinstance(self.school_types, list) or any(
            t not in valid for t in self.school_types
        ):
            errors["school_types"] = str(_("Kies schoolsoorten uit de lijst."))
        if errors:
            raise ValidationError(errors)

    @property
    def school_type_labels(self) -> list[str]:
        return [SchoolType(t).name for t in self.school_types]

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def version_of(self, part: str) -> int:
        value = self.versions.get(part, 0)
        return value if isinstance(value, int) else 0


class PersonaItem(models.Model):
    """One line in a section of the persona template, e.g. one problem or one need."""

    persona = models.ForeignKey(
        Persona, on_delete=models.CASCADE, related_name="items", verbose_name=_("persona")
    )
    section = models.CharField(_("onderdeel"), max_length=20, choices=Section)
    text = models.CharField(_("tekst"), max_length=500)
    signal = models.ForeignKey(
        Signal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signaal uit de catalogus"),
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("regel van een persona")
        verbose_name_plural = _("regels van persona's")
        ordering = ["section", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class PersonaComment(models.Model):
    """A remark on one section, e.g. from a partner who reads along."""

    persona = models.ForeignKey(
        Persona, on_delete=models.CASCADE, related_name="comments", verbose_name=_("persona")
    )
    section = models.CharField(_("onderdeel"), max_length=20, choices=Section)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    text = models.TextField(_("reactie"), max_length=2000)
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class PersonaRevision(models.Model):
    """A snapshot of a whole persona after a change: who, when, what, and the full content,
    so that any earlier version can be looked at and restored."""

    persona = models.ForeignKey(
        Persona, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("persona")
    )
    number = models.PositiveIntegerField(_("versie"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    created_at = models.DateTimeField(_("opgeslagen op"), auto_now_add=True)
    summary = models.CharField(_("wat er veranderde"), max_length=300)
    snapshot = models.JSONField(_("inhoud"))

    class Meta:
        verbose_name = _("versie van een persona")
        verbose_name_plural = _("versies van persona's")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["persona", "number"], name="revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.persona} v{self.number}"
