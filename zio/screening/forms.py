from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .services import clean_school_year

TOO_BIG = _(
    "Het bestand is %(size)s MB; het maximum is %(max)s MB. Splits het bestand of neem "
    "alleen de leerlingen van deze school op."
)


def current_school_year(today: date | None = None) -> str:
    """The school year a date falls in; a new one starts on 1 August."""
    today = today or timezone.localdate()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}-{start + 1}"


def school_year_choices(today: date | None = None) -> list[tuple[str, str]]:
    start = int(current_school_year(today)[:4])
    years = [f"{y}-{y + 1}" for y in (start + 1, start, start - 1, start - 2)]
    return [(y, y) for y in years]


class UploadForm(forms.Form):
    school_year = forms.ChoiceField(
        label=_("Schooljaar"),
        error_messages={"invalid_choice": _("Kies een schooljaar uit de lijst.")},
    )
    file = forms.FileField(
        label=_("Bestand met de screening"),
        help_text="",  # set in __init__: it names the configured limit
        error_messages={
            "required": _("Kies het bestand met de screening."),
            "empty": _("Dit bestand is leeg. Kies het ingevulde sjabloon."),
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["school_year"].choices = school_year_choices()  # type: ignore[attr-defined]
        self.fields["school_year"].initial = current_school_year()
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"
        self.fields["file"].help_text = _(
            "Excel (.xlsx) of CSV, zoals het sjabloon. Hooguit %(max)s MB."
        ) % {"max": settings.SCREENING_MAX_UPLOAD_MB}

    def clean_school_year(self) -> str:
        return clean_school_year(self.cleaned_data["school_year"])

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        limit = settings.SCREENING_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            # Refuse before reading: a huge file is never loaded into memory.
            raise ValidationError(
                TOO_BIG
                % {
                    "size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","),
                    "max": settings.SCREENING_MAX_UPLOAD_MB,
                }
            )
        return upload
