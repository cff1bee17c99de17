"""Money is Decimal euros, shown Dutch-style. Never floats."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def format_euro(amount: Decimal | int) -> str:
    """€ 1.234,56 (with a non-breaking space, so the sign never wraps away from the number)."""
    value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}€\u00a0{grouped},{cents}"
