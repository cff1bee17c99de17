from django.http import HttpRequest

from .steps import STEPS

# Which navigation item is "current" for each view.
_STEP_BY_VIEW: dict[str, str] = {"regions:persona_share": "personas"}
_STEP_BY_NAMESPACE = {
    "screening": "populatie",
    "grouping": "groeperen",
    "personas": "personas",
    "costs": "personas",
    "organisations": "organisatie",
    "exports": "gesprek",
    "workshops": "gesprek",
    "regions": "regio",
}


def navigation(request: HttpRequest) -> dict[str, object]:
    match = request.resolver_match
    current = ""
    if match is not None:
        current = _STEP_BY_VIEW.get(match.view_name) or _STEP_BY_NAMESPACE.get(match.namespace, "")
    return {"nav_steps": STEPS, "current_step": current}
