"""The LALR parser for ``grammar.lark``, loaded from a table shipped in the package.

In: ``grammar.lark`` (and the callbacks of :mod:`deriv.latex.reductions`).
Out: a :class:`lark.Lark` parser that turns the lexer's token list into a
syntax tree.

Analysing the grammar takes about 80 ms, which every run would pay.  The
analysed parser is therefore saved next to the grammar, in ``grammar.lark-table``,
when the package is built (``python -m deriv.latex.grammar``), and loaded from
there.  Nothing is ever written at run time, neither in the package nor in the
user's home folder: if the table is missing or was made from another grammar
or another lark version, the grammar is analysed in memory instead.
"""

from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path
from typing import Any

import lark
from lark import Lark
from lark.lexer import Lexer

from deriv.latex.reductions import TreeBuilder

GRAMMAR = Path(__file__).with_name("grammar.lark")
TABLE = Path(__file__).with_name("grammar.lark-table")

_parser: Lark | None = None


class ListLexer(Lexer):
    """Hands the parser the tokens that :func:`deriv.latex.lexer.tokenize` already made."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, data: Any) -> Any:  # type: ignore[override]
        return iter(data)


def table_key(grammar: str) -> bytes:
    """What a saved table must have been made from: this grammar and this lark."""
    return hashlib.sha256(f"{lark.__version__}\n{grammar}".encode("utf-8")).hexdigest().encode("ascii")


def analyse(grammar: str) -> Lark:
    """Build the parser from the grammar text (the slow way)."""
    return Lark(grammar, parser="lalr", lexer=ListLexer, transformer=TreeBuilder())


def load_table(grammar: str) -> Lark | None:
    """The parser saved in :data:`TABLE`, if it was made from ``grammar``."""
    try:
        data = TABLE.read_bytes()
    except OSError:
        return None
    key, _, table = data.partition(b"\n")
    if key != table_key(grammar):
        return None
    try:
        return Lark.load(io.BytesIO(table))
    except Exception:  # noqa: BLE001 - a damaged table only costs the slow way
        return None


def lalr_parser() -> Lark:
    """The LALR parser, made once per process."""
    global _parser
    if _parser is None:
        grammar = GRAMMAR.read_text(encoding="utf-8")
        _parser = load_table(grammar) or analyse(grammar)
    return _parser


def write_table() -> None:
    """Analyse the grammar and save the parser in :data:`TABLE` (a build step)."""
    grammar = GRAMMAR.read_text(encoding="utf-8")
    out = io.BytesIO()
    analyse(grammar).save(out)
    TABLE.write_bytes(table_key(grammar) + b"\n" + out.getvalue())


if __name__ == "__main__":  # pragma: no cover - run when the grammar changes
    # Through the importable module, so the table names deriv.latex.grammar.ListLexer
    # rather than __main__.ListLexer.
    from deriv.latex import grammar

    grammar.write_table()
    print(f"wrote {TABLE}", file=sys.stderr)
