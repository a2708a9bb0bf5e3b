"""The kind language of the front matter: ``matrix S x M``, ``rows of Y``, ...

In: the text of one ``symbols:`` entry (a name, a kind).  Out: a
:class:`~deriv.names.Kind` and its size names, or the reason the text is
not a kind (or the name not a usable name).
"""

from __future__ import annotations

import re

from deriv.names import FUNCTION_WORDS, GREEK, KNOWN_FUNCTION_KINDS, Kind

KIND_HELP = (
    "scalar, vector N, matrix R x C, symmetric matrix n x n, identity n, ones n, "
    "function, elementwise function, rows of Y, columns of Y; "
    "logistic, softplus, relu, tanh, softmax; "
    "positive scalar, positive vector N, positive matrix R x C"
)
#: Kinds that may be declared ``positive`` (entries drawn and assumed > 0).
POSITIVE_KINDS = (Kind.SCALAR, Kind.VECTOR, Kind.MATRIX)

#: What a size name looks like: ``N``, ``S``, ``n_in``.
SIZE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def parse_positive_kind(text: str) -> tuple[Kind, tuple[str, ...], bool]:
    """Like :func:`parse_kind`, also reading a leading ``positive``.

    >>> parse_positive_kind("positive vector N")
    (<Kind.VECTOR: 'vector'>, ('N',), True)
    """
    words = text.split(None, 1)
    positive = len(words) == 2 and words[0].lower() == "positive"
    kind, sizes = parse_kind(words[1] if positive else text)
    if positive and kind not in POSITIVE_KINDS:
        raise ValueError(f"only a scalar, vector or matrix can be positive (got '{text}')")
    return kind, sizes, positive


def parse_kind(text: str) -> tuple[Kind, tuple[str, ...]]:
    """``'matrix S x M'`` -> ``('matrix', ('S', 'M'))``; raises ValueError with the reason.

    Keywords are case-insensitive; size names keep their case (``S`` and ``s``
    are different sizes).

    >>> parse_kind("Symmetric matrix n × n")
    (<Kind.SYMMETRIC: 'symmetric'>, ('n', 'n'))
    """
    spaced = text.replace("×", " x ").replace("\\times", " x ")
    words = spaced.split()
    lower = [w.lower() for w in words]
    if not words:
        raise ValueError(f"no kind given (expected one of: {KIND_HELP})")
    if len(words) == 3 and lower[0] in ("rows", "columns") and lower[1] == "of":
        if check_name(words[2]):
            raise ValueError(f"'{text}': name the matrix whose {lower[0]} these are, as in '{lower[0]} of Y'")
        return Kind(lower[0]), (words[2],)
    if len(lower) == 1 and lower[0] in KNOWN_FUNCTION_KINDS:
        return Kind(lower[0]), ()
    if lower in (["scalar"], ["function"], ["elementwise"], ["elementwise", "function"]):
        return Kind(lower[0]), ()
    head, rest = lower[0], words[1:]
    if head == "symmetric" and rest[:1] and rest[0].lower() == "matrix":
        rest = rest[1:]
    if head == "identity" and rest[:1] and rest[0].lower() == "matrix":
        rest = rest[1:]
    if head == "ones" and rest[:1] and rest[0].lower() == "vector":
        rest = rest[1:]
    if head in ("vector", "ones"):
        return Kind(head), (_one_size(text, head, rest),)
    if head == "matrix":
        return Kind.MATRIX, _two_sizes(text, head, rest)
    if head in ("symmetric", "identity"):
        sizes = (_one_size(text, head, rest),) * 2 if len(rest) == 1 else _two_sizes(text, head, rest)
        if sizes[0] != sizes[1]:
            raise ValueError(f"a {head} matrix is square: write '{head} n x n' (got '{text}')")
        return Kind(head), sizes if head == "symmetric" else sizes[:1]
    raise ValueError(f"unknown kind '{text}' (expected one of: {KIND_HELP})")


def check_name(name: str) -> str | None:
    """Why ``name`` can not be declared, or None when it can."""
    if (len(name) == 1 and name.isascii() and name.isalpha()) or name in GREEK:
        return None
    if name in FUNCTION_WORDS:
        return None  # softmax: softmax, written \operatorname{softmax} in the math
    return (
        f"'{name}' is not a usable name: names are single letters (X, b) or Greek letter "
        f"names (lambda, Sigma), because in the math 'XW' means X times W"
    )


def _one_size(text: str, head: str, rest: list[str]) -> str:
    if len(rest) != 1:
        raise ValueError(f"a {head} takes one size: write '{head} n' (got '{text}')")
    return _size(text, rest[0])


def _two_sizes(text: str, head: str, rest: list[str]) -> tuple[str, str]:
    if len(rest) != 3 or rest[1].lower() != "x":
        raise ValueError(f"a {head} takes two sizes: write '{head} R x C' with spaces (got '{text}')")
    return _size(text, rest[0]), _size(text, rest[2])


def _size(text: str, size: str) -> str:
    if not SIZE_NAME.match(size):
        raise ValueError(
            f"sizes are names, not numbers (write e.g. 'matrix R x C'; got '{size}' in '{text}')"
        )
    return size
