"""The library's part of the persona page, as a tag, so that `personas` does not import the
library: `{% load library %}{% library_note persona active_organisation %}`."""

from __future__ import annotations

from typing import Any

from django import template

from zio.library.selectors import persona_library_note
from zio.organisations.models import Organisation
from zio.personas.models import Persona

register = template.Library()


@register.inclusion_tag("library/_persona_note.html")
def library_note(persona: Persona, organisation: Organisation) -> dict[str, Any]:
    return {"note": persona_library_note(persona, organisation), "persona": persona}
