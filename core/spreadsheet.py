"""Cells a spreadsheet program will never run as a formula (CSV/formula injection).

A text starting with ``= + - @``, a tab or a carriage return is read as a formula by Excel and
LibreOffice; such text gets a leading apostrophe and stays text. Used by every CSV and Excel export.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value) -> str:
    """``value`` as text for a CSV cell, neutralised if it looks like a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_value(value):
    """``value`` for an Excel cell: text that looks like a formula is neutralised, other types are kept."""
    return cell_text(value) if isinstance(value, str) else value
