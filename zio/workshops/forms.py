from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zio.personas.models import Persona

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from .constants import (
    MAX_CODE_DAYS,
    MAX_TABLES,
    ActionStatus,
    NoteKind,
    Round,
    Starter,
    WorkshopKind,
)


class ActionForm(forms.Form):
    """Follow-up of one action: who owns it, when it should be done, how far it is."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        error_messages={
            "required": _("Kies een status."),
            "invalid_choice": _("Kies een status uit de lijst."),
        },
    )
    owner = forms.CharField(
        label=_("Eigenaar"),
        max_length=200,
        error_messages={
            "required": _("Vul in wie de actie oppakt."),
            "max_length": _("Gebruik voor de eigenaar hooguit 200 tekens."),
        },
    )
    due_date = forms.DateField(
        label=_("Klaar op"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 30-06-2027.")},
    )


def _too_long(max_length: int) -> str:
    return gettext("Gebruik hooguit %(n)s tekens.") % {"n": max_length}


_too_long_lazy = lazy(_too_long, str)


def _text(
    label: StrOrPromise,
    max_length: int,
    required_message: StrOrPromise = "",
    **kwargs: Any,
) -> forms.CharField:
    """A text field whose messages say what is wrong; the form's error summary says where."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=bool(required_message),
        error_messages={"required": required_message, "max_length": _too_long_lazy(max_length)},
        **kwargs,
    )


class PersonaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Persona) -> str:
        return obj.name


class WorkshopForm(forms.Form):
    title = _text(
        _("Titel"),
        150,
        _("Geef de sessie een titel."),
        help_text=_("Bijvoorbeeld: Doen-sessie jeugdhulp op school, regio Rijnvliet."),
    )
    question = _text(
        _("Centrale vraag"),
        500,
        _("Vul de centrale vraag in."),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Het idee waar alle tafels mee aan de slag gaan, positief geformuleerd."),
    )
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=WorkshopKind.choices,
        initial=WorkshopKind.DOEN_SESSIE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een soort."),
            "invalid_choice": _("Kies een soort uit de lijst."),
        },
    )
    tables = forms.IntegerField(
        label=_("Aantal tafels"),
        min_value=1,
        max_value=MAX_TABLES,
        initial=1,
        help_text=_("Elke tafel heeft een eigen canvas en gespreksleider."),
        error_messages={
            "required": _("Vul het aantal tafels in."),
            "invalid": _("Vul een heel getal in."),
            "min_value": _("Kies minstens 1 tafel."),
            "max_value": _("Kies hooguit %(limit_value)s tafels."),
        },
    )
    expires_on = forms.DateField(
        label=_("Deelnamecode geldig tot en met"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Gasten zonder account kunnen tot en met deze dag meedoen."),
        error_messages={
            "required": _("Vul de datum in tot wanneer de code geldig is."),
            "invalid": _("Vul een datum in, bijvoorbeeld 30-06-2027."),
        },
    )
    personas = PersonaChoiceField(
        label=_("Persona's bij deze sessie (optioneel)"),
        queryset=Persona.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Kies persona's uit de lijst."),
            "invalid_pk_value": _("Kies persona's uit de lijst."),
        },
    )

    def __init__(self, *args: Any, personas: QuerySet[Persona], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["personas"]
        assert isinstance(field, PersonaChoiceField)
        field.queryset = personas

    def clean_expires_on(self) -> date:
        value: date = self.cleaned_data["expires_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("Kies vandaag of een dag in de toekomst."))
        if value > timezone.localdate() + timedelta(days=MAX_CODE_DAYS):
            raise forms.ValidationError(
                _("Een code is hooguit %(n)s dagen geldig.") % {"n": MAX_CODE_DAYS}
            )
        return value


class TableSettingsForm(forms.Form):
    name = _text(_("Naam van de tafel"), 60, _("Geef de tafel een naam."))
    facilitator = forms.TypedChoiceField(
        label=_("Gespreksleider"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Kies een gespreksleider uit de lijst.")},
    )

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["facilitator"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Nog niemand")), *candidates]


class JoinForm(forms.Form):
    code = _text(
        _("Deelnamecode"),
        20,
        _("Vul de deelnamecode in."),
        help_text=_(
            "De code van 8 tekens die de gespreksleider laat zien, bijvoorbeeld KX7P 2MQR."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    display_name = _text(
        _("Je naam"),
        60,
        _("Vul je naam in."),
        help_text=_("Zo zien de anderen aan tafel je. Je voornaam is genoeg."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    organisation_name = _text(
        _("Je organisatie (optioneel)"),
        100,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    def __init__(self, *args: Any, member: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if member:
            # Logged in: the account gives the name and the organisation.
            del self.fields["display_name"]
            del self.fields["organisation_name"]


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort post-it"),
        choices=NoteKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies of het een actor (wie) of een factor (wat) is."),
            "invalid_choice": _("Kies actor of factor."),
        },
    )
    text = _text(
        _("Post-it"),
        120,
        _("Schrijf iets op de post-it."),
        help_text=_("Kort: een naam van een actor of een factor."),
    )
    detail = _text(_("Toelichting (optioneel)"), 300)


class RoundForm(forms.Form):
    round = forms.ChoiceField(
        label=_("Ronde"),
        choices=Round.choices,
        error_messages={
            "required": _("Kies een ronde."),
            "invalid_choice": _("Kies een ronde uit de lijst."),
        },
    )
    minutes = forms.IntegerField(
        label=_("Minuten"),
        min_value=0,
        max_value=120,
        required=False,
        help_text=_("Leeg laten: de tijd uit de methode."),
        error_messages={
            "invalid": _("Vul een heel aantal minuten in."),
            "min_value": _("Vul 0 of meer minuten in."),
            "max_value": _("Kies hooguit 120 minuten."),
        },
    )


class TopForm(forms.Form):
    """The gespreksleider fixes the top 3 of one kind (after a tie, or to accept the votes)."""

    notes = forms.TypedMultipleChoiceField(
        label=_("Kies er precies 3"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies precies 3 post-its."),
            "invalid_choice": _("Kies post-its uit de lijst."),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["notes"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = choices


class PlacementForm(forms.Form):
    support = forms.IntegerField(
        label=_("Draagvlak (0-100)"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("Vul het draagvlak in, van 0 tot en met 100."),
            "invalid": _("Vul voor draagvlak een heel getal in."),
            "min_value": _("Vul voor draagvlak 0 of meer in."),
            "max_value": _("Vul voor draagvlak hooguit 100 in."),
        },
    )
    feasibility = forms.IntegerField(
        label=_("Haalbaarheid (0-100)"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("Vul de haalbaarheid in, van 0 tot en met 100."),
            "invalid": _("Vul voor haalbaarheid een heel getal in."),
            "min_value": _("Vul voor haalbaarheid 0 of meer in."),
            "max_value": _("Vul voor haalbaarheid hooguit 100 in."),
        },
    )


class NextStepForm(forms.Form):
    starter = forms.ChoiceField(
        label=_("Begin je zin met"),
        choices=Starter.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies of de stap de haalbaarheid of het draagvlak versterkt."),
            "invalid_choice": _("Kies haalbaarheid of draagvlak."),
        },
    )
    what = _text(
        _("Wat gaan we doen?"),
        300,
        _("Vul in wat jullie gaan doen."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    who = _text(_("Wie pakt het op?"), 200, _("Vul in wie het oppakt."))
    where = _text(_("Waar?"), 200)
    when = _text(
        _("Wanneer?"),
        100,
        _("Vul in wanneer het gebeurt."),
        help_text=_("Bijvoorbeeld: voor de kerstvakantie."),
    )
    why = _text(_("Waarom?"), 300, widget=forms.Textarea(attrs={"rows": 2}))
    how = _text(_("Hoe?"), 300, widget=forms.Textarea(attrs={"rows": 2}))
    due_date = forms.DateField(
        label=_("Klaar op (optioneel, voor de actielijst)"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 30-06-2027.")},
    )


class IntroductionForm(forms.Form):
    who = _text(_("Wie ben je?"), 200, _("Vul in wie je bent."))
    where_from = _text(_("Waar kom je vandaan?"), 200, _("Vul in waar je vandaan komt."))
    why_here = _text(_("Waarom ben je hier?"), 300)
    question = _text(
        _("Welke vraag over Zorg in Onderwijstijd speelt er in jouw regio?"),
        500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClosingForm(forms.Form):
    my_next_step = _text(_("Wat is jouw vervolgstap?"), 300, _("Vul je vervolgstap in."))
    follow_up_question = _text(_("Wat is jouw vervolgvraag?"), 300)
    who_needed = _text(_("Wie heb je hierbij nodig?"), 200)
    apply_tomorrow = _text(_("Wat kun je morgen al toepassen?"), 300)


class ReactionForm(forms.Form):
    text = _text(_("Jouw reactie"), 300, _("Schrijf een reactie."))
