"""CSV cells that a spreadsheet will not run: the one guard against formula injection.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula by
Excel, LibreOffice and Google Sheets (``=cmd|' /C calc'!A0``, ``@SUM(...)``). Quotes and labels in this
graph come from reports and from users' files, so every CSV the project writes (the CLI's tables, the
network matrices and edge lists, the REST analysis routes, ``/sparql`` as ``text/csv``) passes its text
cells through :func:`spreadsheet_safe`, which puts a single quote in front of such a cell, as OWASP's
"CSV Injection" guidance recommends. A plain number (``-0.5``, ``+3``, ``1e-3``) is left alone, so
signed weights stay numbers.

References
----------
OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection

Examples
--------
>>> spreadsheet_safe("=cmd|' /C calc'!A0")
"'=cmd|' /C calc'!A0"
>>> spreadsheet_safe("-0.5"), spreadsheet_safe("Russia")
('-0.5', 'Russia')
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "spreadsheet_safe"]

import re

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` with a ``'`` in front when a spreadsheet would take it for a formula.

    Parameters
    ----------
    cell : str
        The text of one CSV cell.

    Returns
    -------
    str
        The same text, or ``"'" + cell`` when it starts with one of :data:`FORMULA_STARTS` and is not a
        plain number.
    """
    if cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell
