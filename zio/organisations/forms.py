from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from .constants import Role
from .models import Membership, Organisation

if TYPE_CHECKING:
    from django.http import HttpRequest

    from zio.accounts.models import User

NOT_YOUR_ORGANISATION = _("Kies een organisatie waar je lid van bent.")


class SwitchOrganisationForm(forms.Form):
    organisation = forms.TypedChoiceField(
        label=_("Organisatie"),
        coerce=int,
        error_messages={"invalid_choice": NOT_YOUR_ORGANISATION},
    )

    def __init__(self, *args: object, memberships: list[Membership], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.memberships = {m.organisation_id: m for m in memberships}
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (m.organisation_id, m.organisation.name) for m in memberships
        ]

    def chosen_membership(self) -> Membership:
        return self.memberships[self.cleaned_data["organisation"]]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)


class InvitationForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=Role.choices,
        initial=Role.OPSTELLER,
        help_text=_(
            "Beheerder: beheert leden. Opsteller: vult persona's en screenings in. "
            "Meelezer: kan alles bekijken maar niets wijzigen."
        ),
    )
    email = forms.EmailField(
        label=_("E-mailadres (optioneel)"),
        required=False,
        help_text=_("Als je dit invult, kan alleen iemand met dit e-mailadres de link gebruiken."),
    )
    note = forms.CharField(
        label=_("Notitie (optioneel)"),
        max_length=200,
        required=False,
        help_text=_("Voor jezelf, bijvoorbeeld: 'voor de nieuwe intern begeleider'."),
    )


WRONG_ORGANISATION_NAME = _(
    "Dit is niet de naam van de organisatie. Typ de naam precies zoals hierboven, met "
    "hoofdletters en spaties."
)
WRONG_PASSWORD = _("Dit wachtwoord klopt niet. Vul het wachtwoord in waarmee je inlogt.")


class OrganisationDeleteForm(forms.Form):
    """Deleting an organisation asks for its name (to be sure which one) and the beheerder's
    own password (to be sure who)."""

    name = forms.CharField(
        label=_("Naam van de organisatie"),
        max_length=200,
        help_text=_("Typ de naam over om te bevestigen dat je deze organisatie verwijdert."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Jouw wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(
        self,
        *args: object,
        organisation: Organisation,
        user: User,
        request: HttpRequest | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.organisation = organisation
        self.user = user
        self.request = request

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        if name != self.organisation.name.strip():
            raise forms.ValidationError(WRONG_ORGANISATION_NAME, code="wrong_name")
        return name

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        # Through authenticate(), so that django-axes counts wrong passwords here as at the
        # log-in: guessing is locked out after AXES_FAILURE_LIMIT tries.
        checked = authenticate(self.request, username=self.user.get_username(), password=password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(WRONG_PASSWORD, code="wrong_password")
        return password
