from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zio.organisations.constants import SchoolType
from zio.organisations.models import Organisation, Region
from zio.personas.constants import PersonaStatus
from zio.personas.forms import signal_filter_field
from zio.personas.models import Signal


class RegionFilterForm(forms.Form):
    """The filters of the region view; empty means everything."""

    school_type = forms.ChoiceField(
        label=_("Schoolsoort"), required=False, choices=[("", _("Alle schoolsoorten"))]
    )
    signal = signal_filter_field()
    status = forms.ChoiceField(label=_("Status"), required=False)
    school = forms.ModelChoiceField(
        label=_("School"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Alle scholen"),
        error_messages={"invalid_choice": _("Kies een school uit de lijst.")},
    )

    def __init__(
        self,
        *args: Any,
        signals: QuerySet[Signal] | list[Signal],
        schools: QuerySet[Organisation] | list[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        school_type = self.fields["school_type"]
        assert isinstance(school_type, forms.ChoiceField)
        school_type.choices = [("", _("Alle schoolsoorten")), *SchoolType.choices]
        school_type.error_messages["invalid_choice"] = _("Kies een schoolsoort uit de lijst.")
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("Alle statussen")), *PersonaStatus.choices]
        status.error_messages["invalid_choice"] = _("Kies een status uit de lijst.")
        signal = self.fields["signal"]
        assert isinstance(signal, forms.ModelChoiceField)
        signal.queryset = Signal.objects.filter(pk__in=[s.pk for s in signals]).order_by("name")
        school = self.fields["school"]
        assert isinstance(school, forms.ModelChoiceField)
        school.queryset = Organisation.objects.filter(pk__in=[o.pk for o in schools]).order_by(
            "name"
        )


class ShareForm(forms.Form):
    regions = forms.ModelMultipleChoiceField(
        label=_("Delen met"),
        required=False,
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Kies regio's uit de lijst."),
            "invalid_pk_value": _("Kies regio's uit de lijst."),
        },
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["regions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = regions
