"""Sums whose terms differ in shape: the broadcast the shapes force.

Lecture notes write ``1 - z`` for ``\\mathbf{1} - z``, ``z - \\mu`` for a vector
minus a scalar, and ``X - \\mu`` or ``X + b`` for a matrix minus (plus) a
vector taken from each of its rows or columns.  A sum ``a \\pm b`` of two
shapes that differ is read as the one broadcast that fits, and only then:

* a scalar with a vector or a non-square matrix: the scalar times the ones
  vector (``\\mathbf{1}_N``, ``\\mathbf{1}_N^T``) or ones matrix
  (``\\mathbf{1}_R \\mathbf{1}_C^T``);
* a vector of length ``L`` with an ``R x C`` matrix: added to each column when
  ``L`` is ``R`` (``v \\mathbf{1}_C^T``), to each row when ``L`` is ``C``
  (``\\mathbf{1}_R v^T``); a row vector (written ``v^T``) only to each row.

Sizes are compared as the names the document declares, never as numbers:
a vector ``S`` with an ``S x M`` matrix is a column broadcast at every size,
also where the tester draws ``S = M``.  What does not fit one reading is an
error that says what to write: a scalar with a square matrix (``I`` or the
ones matrix?), a vector with a square matrix of its size (rows or columns?),
a row with a column vector, a row vector as long as the matrix's rows.

Only ``+`` and ``-`` broadcast: a product is never a broadcast, and the two
sides of ``\\circ`` keep having to share one shape (a scalar times a vector
is written as a product, ``c z``).

A term that is the number zero (``X w + 0``, ``A - \\mathbf{0}``, ``0 + A``) is
the zero of the other operand's shape, for a square matrix too (``0 I`` and the
zero ones matrix are one matrix): every broadcast of zero is the same, so the
sum has one reading and it is the other operand; no note is recorded.

Each broadcast applied is recorded as a note (``read 1 - z as \\mathbf{1}_H -
z (broadcast)``) that the checker adds to the step's message.
"""

from __future__ import annotations

import re

from sympy import Expr, Symbol

from deriv.context import ONE
from deriv.errors import MeaningError, ShapeError
from deriv.ir import delta, free_indices, fresh_index
from deriv.meaning import values as V
from deriv.meaning.zeros import zero_like
from deriv.names import GREEK

_OPEN = "([{"
#: A name as a value's text writes it: ``w``, ``mu``, ``\\hat{y}``, ``x_t``, ``h_{t-1}``.
_ATOM = re.compile(r"\\?[A-Za-z]+(\{[A-Za-z]\})?('*)(_([A-Za-z0-9]|\{[^{} ]+\}))?")
#: A Greek name in a built value's text, which spells it plainly (``mu``).
_PLAIN_GREEK = re.compile(r"(?<![\\A-Za-z])(" + "|".join(sorted(GREEK, key=len, reverse=True)) + r")(?![A-Za-z])")


def _latex(text: str) -> str:
    """A value's text with its Greek names as the document writes them (``\\mu``)."""
    return _PLAIN_GREEK.sub(r"\\\1", text)


def _ones(size: Expr, transposed: bool = False) -> str:
    """``\\mathbf{1}_N`` (``^T``), the size written when it is a declared name."""
    if not isinstance(size, Symbol):
        sub = ""  # \mathbf{1}_{N+1} would not read back: the length is clear from the other term
    else:
        sub = f"_{size.name}" if len(size.name) == 1 else f"_{{{size.name}}}"
    return f"\\mathbf{{1}}{sub}{'^T' if transposed else ''}"


def _factor(text: str) -> str:
    """A term's text as a factor: bracketed when it is a sum or a quotient
    (``c / 2 \\mathbf{1}`` would divide by the ones vector)."""
    if not text:
        return "(...)"
    if (any(op in text[1:] for op in ("+", " - ", "/")) or text.startswith("\\sum")) and text[0] not in _OPEN:
        return f"({text})"
    return text


def _scaled(scalar: V.Value, array: str) -> str:
    """``c \\mathbf{1}_N``, and just ``\\mathbf{1}_N`` for the number 1."""
    text = scalar.text.strip()
    if text in ("1", "-1"):
        return text[:-1] + array
    return f"{_factor(text)} {array}"


def _transposed(text: str) -> str:
    """``v^T``, and ``(W w)^T`` for a vector that is not one name."""
    return f"{text}^T" if _ATOM.fullmatch(text) else f"({text})^T"


#: One way to read a term as another shape: its value, its LaTeX, and in words.
Reading = tuple[V.Value, str, str]


def _spread(scalar: V.Value, like: V.Value) -> list[Reading]:
    """A scalar as an array shaped like ``like``: times the ones vector or
    matrix, and for a square matrix also times the identity."""
    s, (rows, cols) = scalar.expr, like.shape
    if cols == ONE:
        ones = _ones(rows)
    elif rows == ONE:
        ones = _ones(cols, transposed=True)
    else:
        ones = f"{_ones(rows)} {_ones(cols, transposed=True)}"
    found = [(V.matrix(rows, cols, lambda i, j: s), _scaled(scalar, ones), "in every entry")]
    if rows == cols and rows != ONE:
        found.append((V.matrix(rows, cols, lambda i, j: s * delta(i, j)), _scaled(scalar, "I"), "on the diagonal"))
    return found


def _stretch(vector: V.Value, matrix: V.Value) -> list[Reading]:
    """A vector as a matrix shaped like ``matrix``: repeated in each column
    or each row, where its length fits.  A vector written as a row (``v^T``)
    only goes along the rows."""
    (rows, cols), v = matrix.shape, _factor(vector.text)
    if vector.rows == ONE:
        if vector.cols != cols:
            return []
        return [(V.matrix(rows, cols, lambda i, j: vector.entry(V.ZERO, j)), f"{_ones(rows)} {v}", "in each row")]
    found = []
    if vector.rows == rows:
        text = f"{v} {_ones(cols, transposed=True)}"
        found.append((V.matrix(rows, cols, lambda i, j: vector.entry(i, V.ZERO)), text, "in each column"))
    if vector.rows == cols:
        text = f"{_ones(rows)} {_transposed(vector.text)}"
        found.append((V.matrix(rows, cols, lambda i, j: vector.entry(j, V.ZERO)), text, "in each row"))
    return found


def _is_vector(value: V.Value) -> bool:
    return not value.is_scalar and ONE in value.shape


def _is_matrix(value: V.Value) -> bool:
    return ONE not in value.shape


def _indices(value: V.Value) -> frozenset[Symbol]:
    """The free indices of a value's entries, besides the entry's own position."""
    row, col = fresh_index("r"), fresh_index("c")
    return free_indices(value.entry(row, col)) - {row, col}


def readings(small: V.Value, large: V.Value) -> list[Reading]:
    """Every way ``small`` can be broadcast to the shape of ``large``.

    An operand that depends on an index the other does not is one entry of
    something, not a whole (``\\underbrace{XW^T}_{i,j} + B_{i,j}``): it is not
    broadcast."""
    if not _indices(small) <= _indices(large):
        return []
    if small.is_scalar and not large.is_scalar:
        return _spread(small, large)
    if _is_vector(small) and _is_matrix(large):
        return _stretch(small, large)
    return []


def _is_zero(value: V.Value) -> bool:
    """A scalar that is exactly the number zero."""
    return value.is_scalar and value.expr == 0


def _plus_zero(a: V.Value, b: V.Value, sign: int) -> V.Value:
    """``a + b`` (``a - b``) where one is the scalar zero: the other, in its shape
    (``0 - A`` is ``-A``); the text keeps the zero as written."""
    if _is_zero(b):
        return V.add(a, zero_like(a).with_text(b.text), sign)
    return V.add(zero_like(b).with_text(a.text), b, sign)


def _row_against_rows(a: V.Value, b: V.Value) -> bool:
    """A row vector as long as the other operand (a matrix) has rows."""
    row, matrix = (a, b) if a.rows == ONE else (b, a)
    return _is_vector(row) and row.rows == ONE and _is_matrix(matrix) and row.cols == matrix.rows


class Broadcasts:
    """A mixin of :class:`~deriv.meaning.builder.Builder`: its sums broadcast."""

    #: What each broadcast applied while building was read as, in order.
    broadcasts: tuple[str, ...] = ()

    def summed(self, a: V.Value, b: V.Value, sign: int) -> V.Value:
        """``a + b`` (``sign`` 1) or ``a - b``, broadcast when the shapes allow one reading only."""
        if a.shape == b.shape:
            return V.add(a, b, sign)
        if _is_zero(b) or _is_zero(a):
            # every reading of a zero scalar is the zero array: nothing to note or choose
            return _plus_zero(a, b, sign)
        op = "+" if sign > 0 else "-"
        written = f"{a.text} {op} {b.text}"
        # (a, b) as read, and the LaTeX of the sum so read
        options = [(a, value.with_text(b.text), f"{a.text} {op} {text}", what) for value, text, what in readings(b, a)]
        options += [(value.with_text(a.text), b, f"{text} {op} {b.text}", what) for value, text, what in readings(a, b)]
        if not options:
            hint = ": a row vector is added to each row of a matrix (transpose it)" if _row_against_rows(a, b) else ""
            raise ShapeError(f"cannot add {a.describe()} and {b.describe()}: their shapes differ{hint}")
        if len(options) > 1:
            ways = " or ".join(f"{read} ({what})" for _, _, read, what in options)
            raise MeaningError(_latex(f"{written} is ambiguous ({a.describe()} and {b.describe()}): write {ways}"))
        left, right, read, _ = options[0]
        self.broadcasts = self.broadcasts + (_latex(f"read {written} as {read} (broadcast)"),)
        return V.add(left, right, sign)
