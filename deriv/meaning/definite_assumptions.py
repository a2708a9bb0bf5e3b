"""A definiteness assumption -> a ``pd`` / ``psd`` :class:`~deriv.context.Constraint`.

``H \\succ 0`` is about one declared square matrix; the Loewner order between two
matrices is the definiteness of their difference: ``S \\succ T`` and ``T \\prec S``
are ``S - T \\succ 0``, ``S \\succeq T`` and ``T \\preceq S`` are ``S - T \\succeq 0``,
and ``S - T \\succ 0`` (any square matrix expression) is read as written.  The
constraint's ``expr`` is the entry ``(r, c)`` of that matrix; ``x^T M x > 0`` for
every ``x \\neq 0`` is what it states (docs/deciding.md), never symmetry.
"""

from __future__ import annotations

import re

from deriv.context import Constraint, Context
from deriv.errors import MeaningError
from deriv.ir import index
from deriv.latex.lexicon import PLAIN, Lexicon
from deriv.latex.parser import parse_display
from deriv.meaning.builder import Builder
from deriv.meaning.domains import member_conditions
from deriv.meaning.zeros import bare_zero

_ORDER = re.compile(r"\\(succeq|succ|preceq|prec)(?![A-Za-z])")
_FONT = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathrm|mathit|vec)\s*\{\s*([A-Za-z]|\\[a-z]+)\s*\}")


def definite_constraint(latex: str, context: Context, line: int | None = None,
                        lexicon: Lexicon = PLAIN) -> Constraint | None:
    """The constraint a definiteness or Loewner order states, None when ``latex`` writes none;
    raises :class:`MeaningError` when it writes one that is not an assumption deriv reads."""
    orders = list(_ORDER.finditer(latex))
    if not orders:
        return None
    if len(orders) > 1:
        raise MeaningError("an assumption is one relation: write each definiteness (S \\succ T) on its own")
    found = orders[0]
    left, right = latex[: found.start()], latex[found.end():]
    relation = "psd" if found.group(1).endswith("eq") else "pd"
    larger, smaller = (left, right) if found.group(1).startswith("succ") else (right, left)
    single = _declared_square(larger, context)
    if single is not None and _zero(smaller, context, lexicon):
        return _named(latex, single, relation, context, line)
    return _built(latex, larger, smaller, relation, context, line, lexicon)


def _plain(latex: str) -> str:
    return _FONT.sub(r"\1", latex).strip().strip("{}").strip().lstrip("\\")


def _declared_square(latex: str, context: Context) -> str | None:
    """The declared square matrix ``latex`` names alone, or None."""
    name = _plain(latex)
    declared = context.declared.get(name)
    if declared is None or declared.shape[0] != declared.shape[1] or declared.shape[0] == 1:
        return None
    return name


def _zero(latex: str, context: Context, lexicon: Lexicon) -> bool:
    member = _member(latex, context, lexicon)
    return bare_zero(member)


def _member(latex: str, context: Context, lexicon: Lexicon):
    if not latex.strip():
        raise MeaningError("a definiteness has a matrix on each side (M \\succ 0, S \\succeq T)")
    chain, _ = parse_display(latex, lexicon.naming((*context.declared, *context.definitions)))
    if chain.leading or chain.relations or len(chain.members) != 1:
        raise MeaningError("an assumption is one relation, such as H \\succ 0 or S \\succeq T")
    return chain.members[0]


def _named(latex: str, name: str, relation: str, context: Context, line: int | None) -> Constraint:
    declared = context.declared[name]
    row, col = index("_arow"), index("_acol")
    ranges = ((row, declared.shape[0]), (col, declared.shape[1]))
    return Constraint(latex, relation, declared.entry(row, col), (row, col), ranges, line)


def _built(latex: str, larger: str, smaller: str, relation: str, context: Context, line: int | None,
           lexicon: Lexicon) -> Constraint:
    """``larger - (smaller)`` built as one member (so ``S \\succ a I`` sizes its ``I`` from ``S``); a bare
    0 on either side is left out."""
    zeros = [bare_zero(_member(side, context, lexicon)) for side in (larger, smaller)]
    written = {(False, False): f"{larger} - ({smaller})", (False, True): larger, (True, False): f"-({smaller})"}
    if all(zeros):
        raise MeaningError(f"a definiteness needs a square matrix, not 0 ({latex.strip()})")
    builder = Builder(context)
    value = builder.build(_member(written[zeros[0], zeros[1]], context, lexicon))
    if value.is_scalar or value.rows != value.cols:
        raise MeaningError(f"a definiteness needs a square matrix, not {value.describe()} ({latex.strip()})")
    row, col = index("_arow"), index("_acol")
    builder.uses.use(row.name, value.rows, "entry of the assumption")
    builder.uses.use(col.name, value.cols, "entry of the assumption")
    expr, ranges = builder.finish(value.entry(row, col), {n: (r, "front matter") for n, r in context.index_ranges.items()})
    return Constraint(latex, relation, expr, (row, col), ((row, value.rows), (col, value.cols)), line,
                      conditions=member_conditions(builder.conditions, expr, builder.sum_limits))
