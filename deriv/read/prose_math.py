"""What one piece of prose math states: a declaration, a positivity, a definition.

In: the LaTeX of one inline math span (``$x \\in \\mathbb{R}^n$``) or of one
display row, macros already expanded.  Out: a :class:`Statement` (names and
what they are), a :class:`Defining` (``Y = X W^T``, as a ``definitions:``
entry), a :class:`Positivity` (``\\lambda > 0``), a problem (text that is
plainly meant as a declaration but can not be read, e.g. ``\\mathbb{R}^3``),
or None: everything else prose math says is not read.

Only real spaces declare: ``x \\in S`` for any other set is no declaration.
Nothing here knows the rest of the document (:mod:`deriv.read.prose` does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from deriv.names import Kind
from deriv.read.kinds import SIZE_NAME, check_name, declared_name

_REALS = re.compile(r"(?:\\mathbb\s*\{\s*R\s*\}|\\mathbb\s+R(?![A-Za-z])|ℝ)")
_IN = re.compile(r"\\in(?![A-Za-z])")
_MAPS = re.compile(r"(?:\\to|\\rightarrow|\\longrightarrow)(?![A-Za-z])")
_COLON = re.compile(r"(?<!\\):|\\colon(?![A-Za-z])")
_TIMES = re.compile(r"\\times(?![A-Za-z])|×")
#: ``^n``, ``^{n}``, ``_+``, ``_{>0}``: one script after the reals (the group is
#: one token or one brace group without nested braces).
_SCRIPT = re.compile(r"\s*([_^])\s*(\{[^{}]*\}|\\[A-Za-z]+|[^\s{}\\])")
_POSITIVE_SCRIPTS = frozenset({">0", "++"})
_NONNEGATIVE_SCRIPTS = frozenset({"+", "\\geq0", "\\ge0", "\\geqslant0", ">=0"})
#: Trailing punctuation and spacing the prose puts inside the dollars.
_TRAILING = re.compile(r"(?:[.,;]|\\[,;:!]|\\q?quad(?![A-Za-z])|\s)+\Z")
_JOINERS = re.compile(r"\\q?quad(?![A-Za-z])|\\text\s*\{\s*(?:and|,)\s*\}")
_GREATER = re.compile(r"(.+?)\s*>\s*0\Z", re.S)
_LESS = re.compile(r"0\s*<\s*(.+?)\Z", re.S)
#: What makes an equation's right side something other than a value (a range,
#: a list, a second relation): such an equation defines nothing.
_NOT_A_VALUE = re.compile(
    r"\\(?:l|c)?dots(?![A-Za-z])|\.\.|=|<|>|\\(?:in|leq?|geq?|neq?|approx|sim|to|mapsto|equiv|propto|coloneqq)(?![A-Za-z])"
)
#: ``Ax``: two letters side by side are a product in the math, never a name.
_JUXTAPOSED = re.compile(r"[A-Za-z]{2}")
_NUMBER = re.compile(r"\s*-?\s*[0-9]+(?:\.[0-9]+)?\s*\Z")
#: ``Y`` or ``Y_{i,j}`` / ``s_i``: a name, or a name's entry, on a definition's left.
_ENTRY = re.compile(r"(.+?)_\s*(\{[^{}]*\}|[A-Za-z])\s*\Z", re.S)


@dataclass(frozen=True)
class Statement:
    """``X, Y \\in \\mathbb{R}^{n \\times m}``: the names and the kind they get."""

    names: tuple[str, ...]
    kind: Kind
    sizes: tuple[str, ...]
    positive: bool = False


@dataclass(frozen=True)
class Positivity:
    """``\\lambda > 0``: the names are positive, where the prose states it as a declaration."""

    names: tuple[str, ...]
    #: Stated as a declaration or an assumption (``Let $\\lambda > 0$``: :mod:`deriv.read.prose_positivity`).
    stated: bool = False


@dataclass(frozen=True)
class Defining:
    """``Y = X W^T + B`` in prose: ``name`` gets a value.  For ``s_i = ...``
    ``names`` is ``('s_i', 's')``: the scripted name and its base, since which
    one it defines is the definition reader's question; it is new when neither
    is declared."""

    names: tuple[str, ...]
    latex: str
    #: Read off a generated text's display (:func:`first_equation`): the display is a step where
    #: the name already has a value.
    displayed: bool = False
    #: A function's formula (``f(x) = x^2``): never a definition (docs/format.md).
    call: bool = False


@dataclass(frozen=True)
class Bound:
    """``\\lambda \\geq 0``, ``x_i < 1``, ``\\lambda \\neq 0``: a name compared with a number other
    than ``> 0``, which declares nothing (there is no kind for it) and is not imposed; or any
    other comparison (``\\lambda < \\mu``, ``written``), about the names it writes."""

    names: tuple[str, ...]
    latex: str
    #: Stated as a standing assumption (``We assume $\\lambda \\geq 0$``: :mod:`deriv.read.prose_assumptions`).
    assumed: bool = False
    #: The names it writes, not a name alone (``\\lambda > \\mu``, ``x^T x \\leq 1``): some may be no name at all.
    written: bool = False


Reading = Statement | Positivity | Defining | Bound


class Unreadable(ValueError):
    """Text meant as a declaration that can not be read; the message says what to write."""


def read_math(math: str, elementwise: bool = False) -> Reading | None:
    """What the math states (see the module doc); raises :class:`Unreadable`.

    ``elementwise``: the prose says the function is applied entrywise."""
    text = _TRAILING.sub("", math.strip())
    if not text:
        return None
    if (mapping := _function(text, elementwise)) is not None:
        return mapping
    parts = _IN.split(text)
    if len(parts) == 2:
        return _membership(parts[0], parts[1]) or _in_a_set(parts[0], text)
    if len(parts) > 2:
        return None
    return _positivity(text) or _bound(text) or _defining(text) or _comparison(text)


def read_all(math: str, elementwise: bool = False) -> tuple[Reading, ...]:
    """Like :func:`read_math`, also reading several memberships in one piece of math
    (``x \\in \\mathbb{R}^n, A \\in \\mathbb{R}^{n \\times n}``, or joined by ``\\quad``, ``\\text{and}``)."""
    parts = _top_level_commas(_TRAILING.sub("", _JOINERS.sub(",", math.strip())))
    if sum(1 for part in parts if _IN.search(part)) < 2:
        reading = read_math(math, elementwise)
        return () if reading is None else (reading,)
    statements: list[Reading] = []
    pending: list[str] = []
    for part in parts:
        pieces = _IN.split(part)
        if len(pieces) == 1:
            pending.append(part)
            continue
        statement = _membership(",".join(pending + pieces[:1]), pieces[1]) if len(pieces) == 2 else None
        if statement is None:  # `x \\in S, y \\in \\mathbb{R}`: not a list of declarations
            unread = _in_a_set(",".join(pending + pieces[:1]), math) if len(pieces) == 2 else None
            return () if unread is None else (unread,)
        statements.append(statement)
        pending = []
    return tuple(statements) if not pending else ()


def read_display(math: str) -> tuple[Statement, ...]:
    """A display that only declares (``X \\in \\mathbb{R}^{S \\times M}``, ``f: \\mathbb{R}^n \\to
    \\mathbb{R}``) is no step: its statements; none for any other display.  Raises :class:`Unreadable`."""
    readings = read_all(math)
    statements = tuple(r for r in readings if isinstance(r, Statement))
    return statements if len(statements) == len(readings) else ()


def _names(text: str) -> tuple[str, ...] | None:
    """``X, Y`` -> ``('X', 'Y')``; None when any part is not a name."""
    names = []
    for part in _top_level_commas(text):
        name = declared_name(part.strip())
        if not part.strip() or _JUXTAPOSED.match(part.strip()) or check_name(name):
            return None
        names.append(name)
    return tuple(names)


def _top_level_commas(text: str) -> list[str]:
    """``text`` cut at the commas outside brackets (``\\langle a, b \\rangle`` is one part)."""
    parts, depth, start = [], 0, 0
    for token in re.finditer(r"\\(?:langle|rangle)(?![A-Za-z])|\\.|.", text, re.S):
        t = token.group()
        depth += 1 if t in ("(", "[", "{", "\\langle") else -1 if t in (")", "]", "}", "\\rangle") else 0
        if t == "," and depth == 0:
            parts.append(text[start:token.start()])
            start = token.end()
    parts.append(text[start:])
    return parts


def _membership(left: str, right: str) -> Statement | None:
    names = _names(left)
    space = _space(right) if names is not None else None
    if names is None or space is None:
        return None  # `Ax \in \mathbb{R}^m`, `x \in S`: a statement, not a declaration
    kind, sizes, positive = space
    return Statement(names, kind, sizes, positive)


def _in_a_set(left: str, text: str) -> Bound | None:
    """``S \\in \\mathbb{S}^n_{++}``, ``a \\in (0, 1)``: names in a set deriv does not read, a bound on
    them (an error where they are declared: the steps would be checked without it), else None."""
    names = _names(left)
    return Bound(names, text, written=True) if names else None


def _space(text: str) -> tuple[Kind, tuple[str, ...], bool] | None:
    """``\\mathbb{R}^{n \\times m}_{>0}`` -> ``(matrix, (n, m), True)``; None if not the reals."""
    text = text.strip()
    reals = _REALS.match(text)
    if reals is None:
        return None
    scripts: dict[str, str] = {}
    pos = reals.end()
    while (script := _SCRIPT.match(text, pos)) is not None:
        mark, body = script.group(1), script.group(2)
        if mark in scripts:
            raise Unreadable(f"'{text}': two {mark} scripts on the reals")
        scripts[mark] = body[1:-1] if body.startswith("{") else body
        pos = script.end()
    if text[pos:].strip():
        raise Unreadable(f"'{text}' is not read as a space: write \\mathbb{{R}}, \\mathbb{{R}}^{{n}} "
                         f"or \\mathbb{{R}}^{{n \\times m}}")
    positive = _positive(text, scripts.get("_"))
    sizes = _sizes(text, scripts.get("^"))
    kind = (Kind.SCALAR, Kind.VECTOR, Kind.MATRIX)[len(sizes)]
    return kind, sizes, positive


def _positive(text: str, script: str | None) -> bool:
    if script is None:
        return False
    bare = re.sub(r"\s+", "", script)
    if bare in _POSITIVE_SCRIPTS:
        return True
    if bare in _NONNEGATIVE_SCRIPTS:
        raise Unreadable(f"'{text}': \\mathbb{{R}}_+ means x >= 0 to some authors and x > 0 to others, and "
                         "deriv has no non-negative kind: write \\mathbb{R}_{>0} for positive, \\mathbb{R} for any real")
    raise Unreadable(f"'{text}': the only subscript read on the reals is _{{>0}} (positive)")


def _sizes(text: str, script: str | None) -> tuple[str, ...]:
    if script is None:
        return ()
    sizes = tuple(s.strip() for s in _TIMES.split(script))
    if len(sizes) > 2:
        raise Unreadable(f"'{text}': deriv reads scalars, vectors and matrices, not arrays of {len(sizes)} axes")
    for size in sizes:
        if not SIZE_NAME.match(size):
            raise Unreadable(f"'{text}': sizes are names, as in \\mathbb{{R}}^{{n \\times m}} (got '{size}')")
    return sizes


def _function(text: str, elementwise: bool) -> Statement | None:
    """``f : \\mathbb{R}^n \\to \\mathbb{R}``: an opaque function; of a scalar, an elementwise one."""
    colon = _COLON.search(text)
    arrow = _MAPS.search(text)
    if colon is None or arrow is None or arrow.start() < colon.end():
        return None
    names = _names(text[: colon.start()])
    domain, codomain = _space(text[colon.end():arrow.start()]), _space(text[arrow.end():])
    if names is None or domain is None or codomain is None:
        return None
    if codomain != (Kind.SCALAR, (), False):
        raise Unreadable(f"'{text}': deriv's functions are real-valued (\\to \\mathbb{{R}}); a function of "
                         "another kind can be named with a definition instead")
    if elementwise and domain[0] != Kind.SCALAR:
        raise Unreadable(f"'{text}': a function applied entrywise maps \\mathbb{{R}} \\to \\mathbb{{R}}")
    # A real function of one real is applied entry by entry to an array, as
    # ML writes sigma(z); of a vector or matrix it is one opaque scalar.
    kind = Kind.ELEMENTWISE if domain[0] == Kind.SCALAR else Kind.FUNCTION
    return Statement(names, kind, ())


def _positivity(text: str) -> Positivity | None:
    match = _GREATER.fullmatch(text) or _LESS.fullmatch(text)
    if match is None:
        return None
    names = _names(match.group(1))
    return Positivity(names) if names else None


_COMPARISON = r"(<|>|\\(?:leq?|geq?|leqslant|geqslant|neq?|lt|gt|succeq|succ|preceq|prec)(?![A-Za-z]))"
_NAME_FIRST = re.compile(rf"(.+?)\s*{_COMPARISON}\s*(-?\s*[0-9]+(?:\.[0-9]+)?)\Z", re.S)
_NUMBER_FIRST = re.compile(rf"(-?\s*[0-9]+(?:\.[0-9]+)?)\s*{_COMPARISON}\s*(.+?)\Z", re.S)


def _bound(text: str) -> Bound | None:
    """``\\lambda \\geq 0``, ``0 \\leq \\lambda``: names compared with a number (not ``> 0``)."""
    if (match := _NAME_FIRST.fullmatch(text)) is not None:
        names = _names(match.group(1))
    elif (match := _NUMBER_FIRST.fullmatch(text)) is not None:
        names = _names(match.group(3))
    else:
        return None
    return Bound(names, text) if names else None


_RELATION = re.compile(_COMPARISON)
#: A name a comparison may write: a letter, or a command (``\\lambda``; ``\\leq`` and ``\\frac`` are
#: never declared, so the merger passes them by).
_WRITTEN = re.compile(r"(\\[A-Za-z]+|(?<![A-Za-z\\])[A-Za-z](?![A-Za-z]))\s*(_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?")


def _comparison(text: str) -> Bound | None:
    """Any other comparison (``\\lambda > \\mu``, ``a - b > 0``, ``x^T x \\leq 1``): a bound on every
    name it writes, never dropped in silence -- a step refuted where it fails would not say why."""
    if _RELATION.search(text) is None or "=" in _RELATION.sub("", text):
        return None
    found = [(letter, re.sub(r"\s+", "", script)) for letter, script in _WRITTEN.findall(_RELATION.sub(" ", text))]
    names = tuple(dict.fromkeys(declared_name(n) for letter, script in found for n in (letter, letter + script)))
    return Bound(names, text, written=True) if names else None


def definiteness(latex: str) -> bool:
    """Whether ``latex`` states a definiteness (``S \\succ 0``, ``S \\preceq 0``)."""
    return re.search(r"\\(?:succ|prec)(?![A-Za-z])|\\(?:succ|prec)eq(?![A-Za-z])", latex) is not None


def one_comparison(latex: str) -> bool:
    """Whether ``latex`` compares two sides once (``a < b``; not ``a < b < c``, not ``a, b < 1``)."""
    return len(_RELATION.findall(latex)) == 1 and len(_top_level_commas(latex)) == 1


def _defining(text: str) -> Defining | None:
    """``NAME = value`` or ``NAME_{i,j} = value``; not ``i = 1, \\dots, n``, ``k = 1``, ``a = b = c``."""
    left, sep, right = text.partition("=")
    if not sep or not right.strip() or _NOT_A_VALUE.search(right) or _NUMBER.fullmatch(right):
        return None
    if len(_top_level_commas(right)) > 1:
        return None  # `t = 1, 2`: a list of cases, not a value
    left = left.strip()
    if left.endswith(("\\", "<", ">", "!", ":")):
        return None  # `:=`, `\leq`-like spellings: not the form definitions: read
    names = _names_of(left)
    if not names and (call := _CALL.fullmatch(left)) is not None and (called := _names(call.group(1))):
        return Defining(called, text, call=True)  # `f(x) = x^2`: a formula, for a declared f only
    return Defining(names, text) if names else None


#: Where a display row's members part: a relation, or the spacing before a justification.
_PARTS = re.compile(r"\\[A-Za-z]+|\\.|[={}()\[\]<>]")
_PARTING = frozenset({"=", "<", ">", "\\leq", "\\le", "\\geq", "\\ge", "\\neq", "\\ne", "\\approx",
                      "\\quad", "\\qquad", "\\text", "\\coloneqq", "\\equiv"})


def first_equation(math: str) -> Defining | None:
    """A display row's first two members when they give a name its value: ``L = v`` of
    ``L = v = w`` (a generated text's ``$$ L = \\frac12 \\|Xw - y\\|^2 = \\dots $$``); whether the
    name is new (``x^2 = x x`` about a declared ``x`` is a step) the merger decides."""
    depth, cuts = 0, []
    for m in _PARTS.finditer(math):
        token = m.group()
        if token in ("{", "(", "[", "\\{"):
            depth += 1
        elif token in ("}", ")", "]", "\\}"):
            depth -= 1
        elif depth == 0 and token in _PARTING:
            cuts.append((m.start(), token))
    if not cuts or cuts[0][1] != "=":
        return None
    stop = cuts[1][0] if len(cuts) > 1 else len(math)
    found = _defining(_TRAILING.sub("", math[:stop].strip()))
    return replace(found, displayed=True) if found is not None else None


def mentioned_name(latex: str, names: Iterable[str]) -> str | None:
    """One of ``names`` that the left side of the equation ``latex`` mentions (``B`` in
    ``B_{i,j} = ...``, ``x`` in ``x^2 = ...`` and ``\\hat{x} = ...``), or None."""
    left = re.sub(r"\s+", "", latex.split("=", 1)[0])
    unbraced = re.sub(r"\{(\w)\}", r"\1", left)  # `W_{1}` as `W_1`
    tokens = set(re.findall(r"\\[A-Za-z]+|[A-Za-z]", left))
    try:
        reading = read_math(latex)
    except Unreadable:
        reading = None
    defined = set(reading.names) if isinstance(reading, Defining) else set()
    for name in sorted(names):
        spelled = name.replace(" ", "")
        if name in defined or spelled in left or spelled in unbraced or {name, "\\" + name} & tokens:
            return name
    return None


#: A call on an equation's left side: ``f(x)``, ``\\phi(x, y)``.
_CALL = re.compile(r"(\\?[A-Za-z]+)\s*\(([^()]*)\)")


def _names_of(left: str) -> tuple[str, ...]:
    """The name (and, for a scripted one, its base) an equation's left side gives a value."""
    names = _names(left)
    entry = _ENTRY.fullmatch(left)
    base = _names(entry.group(1)) if entry is not None else None
    found = [n for n in (names, base) if n is not None and len(n) == 1]
    return tuple(n[0] for n in found)


__all__ = ["Defining", "first_equation", "definiteness", "mentioned_name", "one_comparison", "Positivity", "Reading", "Statement", "Unreadable", "read_all", "read_display", "read_math"]
