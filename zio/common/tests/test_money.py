from decimal import Decimal

import pytest

from zio.common.money import format_euro


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("6634.52"), "€\u00a06.634,52"),
        (Decimal("0"), "€\u00a00,00"),
        (Decimal("1234567.005"), "€\u00a01.234.567,01"),
        (Decimal("-78"), "-€\u00a078,00"),
        (12, "€\u00a012,00"),
    ],
)
def test_format_euro_dutch_style(amount: Decimal, shown: str) -> None:
    assert format_euro(amount) == shown
