from django.http import HttpRequest


def active_organisation(request: HttpRequest) -> dict[str, object]:
    return {
        "active_membership": getattr(request, "membership", None),
        "active_organisation": getattr(request, "organisation", None),
        "user_memberships": getattr(request, "memberships", []),
    }
