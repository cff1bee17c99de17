from django.core.management.base import CommandError

from zio.organisations.models import Organisation


def organisation_by_slug(slug: str) -> Organisation:
    try:
        return Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist:
        known = ", ".join(Organisation.objects.values_list("slug", flat=True)[:20])
        raise CommandError(
            f"Organisatie '{slug}' bestaat niet. Bekende korte namen: {known}"
        ) from None
