"""Funding streams, payers, tariffs and the cost lines of a persona's scenarios.

Streams and payers are reference data (seeded by a migration, editable by platform staff);
tariffs belong to a region and a year; scenarios and cost lines belong to a persona.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from zio.organisations.models import Region

from . import calculations
from .constants import ScenarioKind, Unit


class Payer(models.Model):
    """Who pays: school/bevoegd gezag, samenwerkingsverband, gemeente, zorgkantoor, ..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("betaler")
        verbose_name_plural = _("betalers")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class FundingStream(models.Model):
    """Where money comes from, e.g. ondersteuningsbekostiging or a jeugdhulp beschikking."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=150)
    description = models.TextField(_("uitleg"), blank=True)
    law = models.CharField(_("wet of regeling"), max_length=60, blank=True)
    default_payer = models.ForeignKey(
        Payer, on_delete=models.PROTECT, related_name="+", verbose_name=_("gebruikelijke betaler")
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("geldstroom")
        verbose_name_plural = _("geldstromen")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


AMOUNT_LIMIT = Decimal("10000000")  # ten million euros: anything above is a typing error


class Tariff(models.Model):
    """An amount per unit that a region uses, with where it comes from and from when."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="tariffs", verbose_name=_("regio")
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("omschrijving"), max_length=150)
    funding_stream = models.ForeignKey(
        FundingStream,
        on_delete=models.PROTECT,
        related_name="tariffs",
        verbose_name=_("geldstroom"),
    )
    unit = models.CharField(_("eenheid"), max_length=20, choices=Unit)
    amount = models.DecimalField(
        _("bedrag"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(AMOUNT_LIMIT)],
    )
    source = models.CharField(_("bron"), max_length=300)
    reference_date = models.DateField(_("peildatum"))
    is_indicative = models.BooleanField(
        _("indicatief"),
        default=False,
        help_text=_("Een voorbeeldbedrag, nog niet door de regio vastgesteld."),
    )
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tarief")
        verbose_name_plural = _("tarieven")
        ordering = ["region", "-year", "funding_stream__position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "name"], name="tariff_name_unique_per_region_year"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="tariff_amount_ge_0"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Scenario(models.Model):
    """A situation whose costs are counted: the current one, one or more desired ones
    (A, B, ...) and the one where nothing changes (the alternative)."""

    persona = models.ForeignKey(
        "personas.Persona",
        on_delete=models.CASCADE,
        related_name="scenarios",
        verbose_name=_("persona"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=ScenarioKind)
    label = models.CharField(_("letter"), max_length=2, blank=True)
    name = models.CharField(_("naam"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenario's")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["persona", "kind", "label"], name="scenario_unique_per_persona"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        base = str(ScenarioKind(self.kind).label)
        if self.label:
            base = f"{base} {self.label}"
        return f"{base}: {self.name}" if self.name else base


# The fields from which a line's unit amount follows (see CostLine.unit_amount_cents).
PRICED_FIELDS = frozenset({"unit", "rate", "quantity", "hours_per_week", "weeks"})


class CostLineQuerySet(models.QuerySet["CostLine"]):
    """Keeps `unit_amount_cents` true on the ORM's bulk paths, which bypass `save()`."""

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        lines = list(objs)
        for line in lines:
            line.price()
        return super().bulk_create(lines, *args, **kwargs)

    def bulk_update(  # type: ignore[override]
        self, objs: Iterable[Any], fields: Sequence[str], *args: Any, **kwargs: Any
    ) -> int:
        lines = list(objs)
        if PRICED_FIELDS & set(fields):
            for line in lines:
                line.price()
            fields = [*fields, "unit_amount_cents"]
        return super().bulk_update(lines, fields, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        if not PRICED_FIELDS & kwargs.keys():
            return super().update(**kwargs)
        # SQL cannot do our Decimal rounding: update, then price the changed lines again.
        with transaction.atomic(using=self.db):
            ids = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            lines = list(CostLine.objects.using(self.db).filter(pk__in=ids))
            for line in lines:
                line.price()
            CostLine.objects.using(self.db).bulk_update(lines, ["unit_amount_cents"])
        return count


class CostLine(models.Model):
    """One cost in a scenario: what, paid from which stream, by whom, and how it is counted."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="lines", verbose_name=_("scenario")
    )
    description = models.CharField(_("omschrijving"), max_length=200)
    funding_stream = models.ForeignKey(
        FundingStream, on_delete=models.PROTECT, related_name="+", verbose_name=_("geldstroom")
    )
    payer = models.ForeignKey(
        Payer, on_delete=models.PROTECT, related_name="+", verbose_name=_("betaler")
    )
    unit = models.CharField(_("eenheid"), max_length=20, choices=Unit)
    tariff = models.ForeignKey(
        Tariff,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cost_lines",
        verbose_name=_("tarief uit de tarieventabel"),
    )
    rate = models.DecimalField(
        _("bedrag per eenheid"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(AMOUNT_LIMIT)],
    )
    quantity = models.DecimalField(
        _("aantal"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("366"))],
        help_text=_("Aantal jaren of dagen; meestal 1 per jaar."),
    )
    hours_per_week = models.DecimalField(
        _("uren per week"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
    )
    weeks = models.DecimalField(
        _("weken"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("52"))],
    )
    pupils = models.PositiveIntegerField(
        _("aantal leerlingen"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100000)],
        help_text=_("Leeg: de hele groep van de persona."),
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    # Derived, never typed: rate × quantity (or × hours × weeks) rounded to whole cents, as
    # `calculations.unit_amount_cents` makes it. It lets the region view add thousands of
    # lines up in the database, exactly. Set by save() and by the queryset's bulk paths.
    unit_amount_cents = models.BigIntegerField(editable=False, blank=True)

    objects = CostLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("kostenregel")
        verbose_name_plural = _("kostenregels")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rate__gte=0), name="cost_line_rate_ge_0"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="cost_line_quantity_ge_0"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.price()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and PRICED_FIELDS & set(update_fields):
            kwargs["update_fields"] = [*update_fields, "unit_amount_cents"]
        super().save(*args, **kwargs)

    def price(self) -> None:
        """Work out `unit_amount_cents` from the priced fields (as the fields would store them:
        code may have set a number as int or text)."""
        values = {
            name: cast(models.Field[Any, Any], self._meta.get_field(name)).to_python(
                getattr(self, name)
            )
            for name in PRICED_FIELDS
        }
        self.unit_amount_cents = calculations.unit_amount_cents(**values)
