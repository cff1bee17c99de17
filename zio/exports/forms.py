from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from zio.personas.models import Persona

from .document import AUDIENCE_HELP, Audience
from .formats import FORMATS


class PersonaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Persona) -> str:
        return obj.name


class ExportForm(forms.Form):
    personas = PersonaChoiceField(
        label=_("Persona's"),
        queryset=Persona.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies minstens één persona."),
            "invalid_choice": _("Kies persona's uit de lijst."),
            "invalid_pk_value": _("Kies persona's uit de lijst."),
        },
    )
    audience = forms.ChoiceField(
        label=_("Voor wie is het?"),
        choices=Audience.choices,
        initial=Audience.PARTNERS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies voor wie het is."),
            "invalid_choice": _("Kies voor wie het is uit de lijst."),
        },
    )
    format = forms.ChoiceField(
        label=_("Formaat"),
        choices=[(f.key, f.label) for f in FORMATS],
        initial="waaier",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een formaat."),
            "invalid_choice": _("Kies een formaat uit de lijst."),
        },
    )

    def __init__(self, *args: object, personas: QuerySet[Persona], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["personas"]
        assert isinstance(field, PersonaChoiceField)
        field.queryset = personas

    # The help texts per choice, for the template (radio buttons with an explanation each).
    audience_help = AUDIENCE_HELP
    format_help = {f.key: f.help for f in FORMATS}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("JSON-bestand met een persona"),
        help_text=_("Een bestand dat met ZiO Persona's is gemaakt (uitwisselformaat, .json)."),
        error_messages={
            "required": _("Kies een bestand."),
            "empty": _("Het bestand is leeg."),
        },
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.EXCHANGE_IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _(
                    "Het bestand is groter dan %(mb)s MB. Een persona is veel kleiner: kies het "
                    "juiste bestand."
                )
                % {"mb": number_format(round(limit / 1024 / 1024, 1))}
            )
        return upload
