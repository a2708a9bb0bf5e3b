"""A display holding several results: each its own chain.

``\\frac{\\partial L}{\\partial \\beta} = \\sum_i g_i \\qquad
\\frac{\\partial L}{\\partial \\gamma} = \\sum_i g_i \\hat x_i`` is two results
(:mod:`deriv.latex.separators` says where they part).  Each is checked as a
display of its own, with its own lines in the report; the display's label
``(3)`` (or ``\\tag{3}``) becomes ``3a``, ``3b``, ... (a ``continue 3b``
directive names one of them), and its directive (``expect-fail``, ``skip``)
holds for each.  A display continuing a chain right after one (``= ...``)
is an error: which result it continues can not be told.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from string import ascii_lowercase

from deriv.errors import DerivError, LatexSyntaxError
from deriv.latex.separators import split_results
from deriv.meaning.statements import recognise
from deriv.read.directives import Directive
from deriv.read.document import Display

#: The message for a continuation after a display with several results.
AMBIGUOUS_CONTINUATION = (
    "this display continues a chain, but the display before it holds {count} results{labelled}: "
    "which one it continues can not be told; start it with the left side it continues"
)


def _suffixed(label: str | None, position: int) -> str | None:
    if label is None:
        return None
    letters = ascii_lowercase[position % 26] * (position // 26 + 1)
    return f"{label}{letters}"


#: Parse errors that say a piece was cut out of one expression (``a = b + \\quad c = d``,
#: ``L = \\sum_i \\quad a_i = b``): the display is then not several results.
_CUT_SHORT = ("unexpected end of display", "expected an expression after")


def _cut_short(text: str, parse: Callable[[str], object]) -> bool:
    try:
        parse(text)
    except DerivError as error:
        return error.message.startswith(_CUT_SHORT)
    return False


def results_of(display: Display, parse: Callable[[str], object]) -> tuple[Display, ...] | None:
    """The results of ``display`` as displays of their own, or None when it
    holds one (``parse`` reads a piece as the display would be read)."""
    try:
        found = split_results(display.text)
    except LatexSyntaxError:  # unbalanced braces (\text{ left open): one display, whose parse says where
        return None
    if found is None or recognise(display.text) is not None:
        return None
    results, tag = found
    if any(_cut_short(result.text, parse) for result in results):
        return None
    label = tag or display.label
    return tuple(
        replace(display, text=result.text, line=display.line + display.text.count("\n", 0, result.start),
                end_line=display.line + display.text.count("\n", 0, result.end),
                column=display.column_of(result.start),
                label=_suffixed(label, position), assumes=())
        for position, result in enumerate(results)
    )


def continuation_problem(several: tuple[int, tuple[Display, ...]] | None, number: int,
                         directive: Directive | None) -> str | None:
    """Why display ``number``, continuing a chain, is an error (the display before it
    holds several results, or is such an error itself -- ``several`` says which display
    last did, and its results -- and no ``continue`` directive names one), or None.
    The walk then records this display as such an error too: ``= c`` then ``= d`` are
    both errors, never ``= d`` continuing the last result."""
    if several is None or several[0] != number - 1:
        return None
    if directive is not None and directive.kind == "continue":
        return None
    pieces = several[1]
    labels = [piece.label for piece in pieces if piece.label]
    labelled = f" ({', '.join(labels)})" if labels else ""
    return AMBIGUOUS_CONTINUATION.format(count=len(pieces), labelled=labelled)
