"""Cells for CSV files that a spreadsheet opens: none runs as a formula.

Excel, WPS and LibreOffice take a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return
before one) for a formula, so a record's `=HYPERLINK(…)` would run on the reader's machine. Every CSV
the project writes passes each cell through `safe_cell`, which puts an apostrophe before such a value (the
OWASP advice): a spreadsheet shows the text, and the apostrophe tells a careful reader why.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text
