"""Which definitions give a scripted name a value (``z_t = \\sigma(W_z x_t + b_z)``)
rather than the entries of an undeclared array (``s_i = \\exp(z_i) / ...``).

In: the front matter's definitions and the declared names.  Out: the scripted
names they define, for the document's lexicon.  A lecturer's GRU defines its
gates ``z_t``, ``r_t``, ``h_t`` by whole vectors; their subscript is part of
the name because nothing on the right side is indexed by it.  Where the
subscript's letters do appear on the right (``s_i = \\exp(z_i)/\\sum_j
\\exp(z_j)``), the left side stays an entry, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from deriv.errors import DerivError
from deriv.latex import ast
from deriv.latex.lexicon import Lexicon
from deriv.latex.parser import parse_expression
from deriv.latex.scripted import defined_name, subscripted_left
from deriv.meaning.scripted import script_letters
from deriv.names import scripted
from deriv.read.frontmatter import Equation
from deriv.read.kinds import check_name
from deriv.read.macros import Macro


def defined_names(definitions: Sequence[Equation], declared: Iterable[str], macros: Iterable[Macro] = ()) -> tuple[str, ...]:
    """The scripted names ``definitions`` define: ``\\sigma^2`` (its own rule),
    and ``z_t`` where ``z`` is not declared and the right side never uses ``t``."""
    declared = set(declared)
    found = [name for eq in definitions if (name := defined_name(eq.latex))]
    candidates = {eq.latex: name for eq in definitions if (name := _candidate(eq.latex, declared))}
    lexicon = Lexicon.of((*declared, *found, *candidates.values()), macros)
    return (*found, *(name for latex, name in candidates.items() if _unindexed(latex, name, lexicon)))


def _candidate(latex: str, declared: set[str]) -> str | None:
    split = subscripted_left(latex)
    if split is None:
        return None
    name = scripted(split[0], split[1], None)
    if split[0].removeprefix("\\") in declared or split[0] in declared or name in declared or check_name(name):
        return None
    return name


def _unindexed(latex: str, name: str, lexicon: Lexicon) -> bool:
    """Whether the right side uses none of the letters of ``name``'s script."""
    try:
        rhs = parse_expression(latex.split("=", 1)[1], lexicon)
    except (DerivError, IndexError):
        return False  # the definition's own error is reported where it is read
    return not (script_letters(name) & names_in(rhs, indices=True))


def names_in(node: ast.Node, indices: bool = False) -> set[str]:
    """Every name a syntax tree mentions (a primed ``y'`` as ``y`` and ``y'``),
    and with ``indices`` every summed index too."""
    found: set[str] = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Name):
            found.add(part.name)
        elif isinstance(part, ast.Prime):
            found.add(part.base.name + "'" * part.order)  # its base, a Name, is walked too
        elif isinstance(part, ast.SumIndex) and indices:
            found.add(part.name)
    return found
