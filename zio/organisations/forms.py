from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import Role
from .models import Membership

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
