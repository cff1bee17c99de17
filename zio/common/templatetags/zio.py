from datetime import timedelta
from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _

from zio.common.money import format_euro
from zio.common.privacy import SuppressedCount, suppress_count

register = template.Library()


@register.filter
def small_cell(count: int | None) -> str:
    """A pupil count as it may be shown, with small counts suppressed ('< 10')."""
    if count is None:
        return ""
    return str(suppress_count(int(count), settings.SMALL_CELL_THRESHOLD))


@register.filter
def euro(amount: Decimal | int | None) -> str:
    return "" if amount is None else format_euro(amount)


@register.filter
def minutes(duration: timedelta | None) -> int:
    """Whole minutes in a duration, for texts such as 'try again in 15 minutes'."""
    return 0 if duration is None else int(duration.total_seconds() // 60)


@register.filter
def count_html(count: SuppressedCount | None) -> str:
    """A suppressed count for the page: '< 10', or '×' with a spoken word for screen readers
    (who would otherwise hear 'times')."""
    if count is None:
        return ""
    if count.value is not None:
        return str(count.value)
    if count.secondary:
        return format_html(
            '<span aria-hidden="true">×</span><span class="visually-hidden">{}</span>',
            _("verborgen"),
        )
    return f"< {count.threshold}"
