import pytest

from zio.common.spreadsheets import safe_cell


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x","klik")', '\'=HYPERLINK("http://x","klik")'),
        ("+31 6 123", "'+31 6 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tverborgen", "'\tverborgen"),
        ("Overprikkeling", "Overprikkeling"),
        ("", ""),
    ],
)
def test_formulas_are_neutralised(value: str, safe: str) -> None:
    assert safe_cell(value) == safe
