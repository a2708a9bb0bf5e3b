"""A declared scripted name (``w_1``) where its base (``w``) is declared too.

In: a scripted name and the document's context.  Out: the reason it reads
two ways, or None.  ``W_1`` with ``W`` a matrix is only the name (a matrix's
entry takes two indices); ``w_1`` with ``w`` a vector is also entry 1 of
``w``, and ``b^{(l)}`` with ``b`` declared is also ``b`` to the power ``l``:
those are errors naming both readings, never one of them silently.
"""

from __future__ import annotations

import re

from sympy import Expr, Indexed

from deriv.context import ONE, Context
from deriv.ir import base_name
from deriv.latex.scripted import AFFINE, is_exponent
from deriv.names import FUNCTION_KINDS, GREEK, SLICE_KINDS, Kind, split_scripted

_ONE_INDEX = re.compile(r"[A-Za-z0-9]|\\[A-Za-z]+")


#: A subscript the builder reads as one position: a number (``10``), a number times an index or a
#: size (``2i``, ``2N``), an affine expression (``t-1``).
_ONE_POSITION = re.compile(r"\d+(?:[A-Za-z]|\\[A-Za-z]+)?|[A-Za-z0-9+\-]*[+\-][A-Za-z0-9+\-]*")


def _index_counts(script: str, sizes: frozenset[str]) -> frozenset[int]:
    """How many entry indices a script could be, in every way the builder may read it: ``1``
    and ``t-1`` one, ``ij`` and ``i,j`` two, ``10`` one (entry 10) or two (its digits),
    ``NQ`` of two sizes one (their product) or two; ``(l)`` and ``\\mathrm{reg}`` none."""
    items = script.split(",")
    if len(items) > 1:
        return frozenset({len(items)}) if all(AFFINE.match(item) for item in items) else frozenset()
    pieces = _ONE_INDEX.findall(script)
    counts = set()
    if "".join(pieces) == script and all(p.removeprefix("\\") in GREEK or len(p) == 1 for p in pieces):
        counts.add(len(pieces))
        if pieces and all(p in sizes for p in pieces):
            counts.add(1)  # x_{NQ}: the product of two sizes is one position
    if _ONE_POSITION.fullmatch(script) or (AFFINE.match(script) and not counts):
        counts.add(1)
    return frozenset(counts)


_WORDS = re.compile(r"\\(?:mathrm|text|textrm|operatorname|mathit|mathbf|mathsf)\s*\{[^{}]*\}")
_LETTERS = re.compile(r"\\[A-Za-z]+|[A-Za-z]")


def script_letters(name: str) -> frozenset[str]:
    """The index names a scripted name's scripts mention (``t`` in ``h_{t-1}``;
    none in ``L_{\\mathrm{reg}}``), Greek ones without the backslash."""
    split = split_scripted(name)
    if split is None:
        return frozenset()
    found = set()
    for script in split[1:]:
        for letter in _LETTERS.findall(_WORDS.sub("", script or "")):
            bare = letter.removeprefix("\\")
            if len(letter) == 1 or bare in GREEK:
                found.add(bare)
    return frozenset(found)


def summed_script(name: str, bound: frozenset[str]) -> str | None:
    """Why ``name`` inside sums over ``bound`` is not what it looks like, or None:
    ``\\sum_t x_t`` with ``x_t`` declared would add one fixed ``x_t`` over and over."""
    letters = sorted(script_letters(name) & bound)
    if not letters:
        return None
    return (
        f"{name} is a declared name, the same for every {letters[0]}, but {letters[0]} is summed "
        f"over here: a sum of one fixed {name}; declare the array it is an entry of, or "
        f"sum over another index"
    )


def free_script(name: str, free: frozenset[str]) -> str | None:
    """Why ``name`` beside a free index of its script is not what it looks
    like, or None: ``y_t = w^T x_t`` with ``x_t`` declared holds one fixed
    ``x_t`` for every ``t``."""
    letters = sorted(script_letters(name) & free)
    if not letters:
        return None
    return (
        f"{name} is a declared name, the same for every {letters[0]}, but {letters[0]} is also a free "
        f"index here (an entry of another array): {name} would not change with {letters[0]}; "
        f"write the entry another way or use another index"
    )


def _rank(context: Context, base: str) -> int | None:
    """How many indices an entry of ``base`` takes (None: not an array of the document)."""
    declared = context.declared.get(base)
    if declared is not None and (declared.kind in SLICE_KINDS or declared.family is not None):
        return 1  # y_i of rows of Y, h_t of a family
    if declared is not None and declared.is_function:
        return None
    shape = declared.shape if declared is not None else getattr(context.definitions.get(base), "shape", None)
    if shape is None:
        return None
    return sum(size != ONE for size in shape)


def two_readings(name: str, context: Context) -> str | None:
    """Why the declared ``name`` reads two ways in ``context``, or None
    (``x_0`` is never an entry: entries are numbered from 1)."""
    split = split_scripted(name)
    if split is None:
        return None
    shown, sub, sup = split
    base = shown.removeprefix("\\") if shown.removeprefix("\\") in GREEK else shown
    declared = context.declared.get(base)
    if declared is not None and declared.is_function and sup is not None and sub is None and is_exponent(sup):
        return (
            f"{name} reads two ways: the name {name}, or the function {shown} to the power {sup} "
            f"({shown} is declared as a function); rename one of them"
        )
    rank = _rank(context, base)
    if rank is None:
        return None
    family = getattr(context.declared.get(base), "family", None)
    sizes = frozenset(s.name for s in context.sizes)
    if sup is None and sub is not None and rank and rank in _index_counts(sub, sizes) and (sub.strip("0") or family):
        what = f"member {shown}_{{{sub}}} of the family {shown}" if family else f"entry {sub} of {shown}"
        return (
            f"{name} reads two ways: the name {name}, or {what} "
            f"(also declared, with entries); rename one of them"
        )
    if sup is not None and sub is None and is_exponent(sup):
        return (
            f"{name} reads two ways: the name {name}, or {shown} to the power {sup} "
            f"({shown} is declared too); rename one of them (W^{{[2]}} is never a power)"
        )
    return None


def named_after(name: str, variable: str, context: Context) -> bool:
    """Whether ``name`` is declared, not defined, and its script names ``variable`` (``L_w``, ``w``)."""
    return name in context.declared and name not in context.definitions and variable in script_letters(name)


def parameterised_by(names: set[str], variable: str, context: Context) -> str | None:
    """A declared function or scalar among ``names`` whose script names ``variable`` (``f_\\theta``,
    ``g_w``, ``L_w`` beside a variable ``\\theta``, ``w``), else None.

    A reader takes the model ``f_\\theta(x)`` and the loss ``L_w`` to depend on ``\\theta``, ``w``;
    declared on their own they are fixed to deriv, and a derivative by ``\\theta`` would be 0
    silently.  An array's script is a label (``W_x x``, ``W_h h``: the weights for ``x``, for
    ``h``), except where the array itself is differentiated (:func:`differentiated_label`)."""
    for name in sorted(names):
        if named_after(name, variable, context) and _read_as_dependent(context.declared[name].kind):
            return name
    return None


def differentiated_label(entry: Expr, variable: str, context: Context) -> str | None:
    """The declared array named after ``variable`` that ``entry`` is an entry of (``f_\\theta`` in
    ``\\frac{\\partial f_\\theta}{\\partial \\theta}``), else None: no one differentiates a label by
    what it labels alone, so a reader takes the array to depend on it."""
    if isinstance(entry, Indexed) and named_after(base_name(entry), variable, context):
        return base_name(entry)
    return None


def _read_as_dependent(kind: str) -> bool:
    """A function, or a declared scalar: ``L_w``, ``J_W`` are a loss of ``w``, of ``W`` to a reader."""
    return kind in FUNCTION_KINDS or kind == Kind.SCALAR


def parameterised_error(name: str, variable: str, context: Context) -> str:
    declared = context.declared.get(name)
    if declared is not None and not declared.is_function:
        shown = f"\\{variable}" if variable in GREEK else variable
        base = (split_scripted(name) or (name,))[0]
        return (f"{name} names {shown} in its script, so a reader takes it to depend on {shown}, as a loss L_w "
                f"depends on w, but it is a {declared.kind} declared on its own, which deriv treats as independent of {shown}: "
                f"its derivative by {shown} would be 0 where a reader sees a nonzero one; define {name} under "
                f"definitions: as well ({name} = an expression in {shown}), or declare {base} a function and write "
                f"{base}({shown}) (rename {name} if it does not depend on {shown})")
    return (f"{name} names {variable} in its script, so a reader takes it to depend on {variable} (a model "
            f"f_\\theta(x)), but it is a function declared on its own, which deriv treats as fixed: its derivative "
            f"by {variable} would be 0 where a reader sees the model's; deriv has no function of two arguments, "
            f"so this derivative can not be checked (rename {name} if it does not depend on {variable})")
