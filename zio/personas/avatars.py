"""The set of illustrations a persona can have: drawn, friendly, diverse; never a photo.

The SVG files are in zio/static/img/avatars/ and are made by scripts/generate_avatars.py.
"""

from django.utils.translation import gettext_lazy as _

AVATARS = {
    "avatar-01": _("Kind met donkere krullen en een blauwe trui"),
    "avatar-02": _("Kind met lang blond haar in een staart en een groene trui"),
    "avatar-03": _("Kind met kort zwart haar, een bril en een oranje trui"),
    "avatar-04": _("Kind met een hoofddoek en een paarse trui"),
    "avatar-05": _("Kind met rood haar, sproeten en een gele trui"),
    "avatar-06": _("Kind met twee vlechten en een rode trui"),
    "avatar-07": _("Kind met kort bruin haar en een grijze trui"),
    "avatar-08": _("Kind met een pet en een blauwe trui"),
    "avatar-09": _("Kind met zwart haar in een knot en een turquoise trui"),
    "avatar-10": _("Kind met blond stekeltjeshaar en een groene trui"),
    "avatar-11": _("Kind met lang donker haar, een bril en een roze trui"),
    "avatar-12": _("Kind met een koptelefoon en een oranje trui"),
}

DEFAULT_AVATAR = "avatar-01"
