"""Text cells that a spreadsheet shows and the importer reads back unchanged.

Export guards against CSV injection (OWASP): a cell that a spreadsheet would
run as a formula, one starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return, is written with a leading ``'``. Import must undo exactly that and
nothing else, or a round trip is lossy: customer ``-42`` came back as ``'-42``
and a name gained a quote each time (issue 11 item 8).

So the two are inverse by construction: a cell that already starts with ``'``
is escaped too (``'=x`` is written ``''=x``), and ``unescape_cell`` removes
one ``'`` only when what follows is something ``escape_cell`` would have
escaped. For every text ``v``, ``unescape_cell(escape_cell(v)) == v``. A
hand-written ``'hello`` has nothing escapable after its ``'`` and keeps it.
"""

from __future__ import annotations

#: What a spreadsheet may evaluate at the start of a cell, and the escape mark.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MARK = "'"
_ESCAPED_STARTS = (*FORMULA_STARTS, MARK)


def escape_cell(value: str) -> str:
    """A text cell a spreadsheet shows as text, never evaluates."""
    return MARK + value if value.startswith(_ESCAPED_STARTS) else value


def unescape_cell(value: str) -> str:
    """The text ``escape_cell`` was given (its inverse; see the module docstring)."""
    if value.startswith(MARK) and value[1:].startswith(_ESCAPED_STARTS):
        return value[1:]
    return value
