"""Safety for text that ends up in a spreadsheet (CSV or XLSX) someone opens in Excel."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas: text that starts like a formula gets a leading
    apostrophe, so Excel shows it as text instead of running it (formula injection)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
