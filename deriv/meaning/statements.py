"""Displays that are statements, not chains: what they say.

Four small forms, recognised on the display's LaTeX before it is parsed as
a chain (each is one result line of its own):

* **definiteness** ``M \\succ 0`` / ``M \\succeq 0`` for a square matrix
  expression ``M`` (``x^T M x > 0`` (``>= 0``) for every real ``x \\neq 0``);
* **quantified** ``q > 0 \\quad \\forall x \\neq 0`` (or ``\\geq``): the scalar
  ``q`` for *every* nonzero vector ``x``, not the document's ``x``;
* **eigenvalues** ``H \\succ 0 \\implies \\lambda(H) > 0`` (``\\succeq`` /
  ``\\geq``; ``\\lambda_i(H)``, ``\\lambda_{\\min}(H)``, ``\\Rightarrow`` too): every
  eigenvalue of every matrix of ``H``'s declared kind that is definite is
  real and positive (non-negative);
* **second-order conditions** ``HYPOTHESES \\implies CONCLUSION``, each side
  one of ``\\text{local minimum}``, ``\\text{strict local minimum}``,
  ``\\nabla f = 0``, ``\\nabla^2 f \\succ 0``, ``\\nabla^2 f \\succeq 0`` (hypotheses
  joined by ``,`` or ``\\text{and}``): a claim about every smooth function at
  a point.  Each side keeps the function it names (``f`` any letter) and
  the point (``f(x^*)``; a minimum ``\\text{local minimum of } f \\text{ at } x^*``,
  ``x^* \\text{ is a local minimum of } f``, ``f \\text{ has a local minimum at } x^*``),
  ``None`` where it names none.

Nothing here is decided; :mod:`deriv.check.statements` does that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deriv.errors import DerivError
from deriv.latex.parser import parse_display
from deriv.latex.spans import Span
from deriv.latex.text import split_justification
from deriv.meaning.assumptions import plain_name, split_quantifier

_IMPLIES = r"\\(?:implies|Rightarrow|Longrightarrow)"
# No two runs of spaces around an optional token (``\s*\}?\s*``): they split a long run
# of spaces in quadratically many ways before a match fails.
_NAME = r"(?:\\(?:mathbf|boldsymbol|bm|mathrm|mathit)\s*\{\s*)?([A-Za-z])(?:\s*\})?"
_EIGEN = re.compile(
    rf"^\s*{_NAME}\s*\\succ(eq)?\s*0\s*{_IMPLIES}\s*\\lambda(?:\s*_\s*(?:\{{[^{{}}]*\}}|\\?[A-Za-z]+))?\s*"
    rf"(?:\\left)?\(\s*{_NAME}\s*(?:\\right)?\)\s*(>|\\geq|\\ge|\\geqslant)\s*0(?:\s*[.,])?\s*$")
# Both are searched from a fixed token, never as ``(.+?)\s*TOKEN``: a lazy group before
# a run of spaces backtracks quadratically on a long run (a denial of service).
_SUCC = re.compile(r"\\succ(eq)?\s*0(?:\s*[.,])?\s*\Z")
_IMPLIES_AT = re.compile(_IMPLIES)
_ORDER = re.compile(r"\\(succeq|succ|preceq|prec)(?![A-Za-z])")
_TRAILING = re.compile(r"[.,]\s*\Z")
_ZERO = re.compile(r"\A(?:0|\\(?:mathbf|bm|boldsymbol)\s*\{\s*0\s*\})\Z")
_FUNCTION = r"([A-Za-z])(?:\s*\(([^()]*)\))?"
_SQUARED = r"\^\s*(?:\{\s*2\s*\}|2)"
_CONDITIONS = (
    (re.compile(rf"^\\nabla\s*{_FUNCTION}\s*=\s*0$"), "critical"),
    (re.compile(rf"^\\nabla\s*{_SQUARED}\s*{_FUNCTION}\s*\\succ\s*0$"), "pd"),
    (re.compile(rf"^\\nabla\s*{_SQUARED}\s*{_FUNCTION}\s*\\succeq\s*0$"), "psd"),
)
# A minimum, once \text{...} and $...$ are unwrapped: "local minimum", "strict local minimum of f",
# "local minimum of f at x^*", "x^* is a local minimum of f", "f has a local minimum at x^*".
_POINT = r"([^\s()]+)"
_MINIMUM = (
    re.compile(rf"^(?:{_POINT} is an? )?(strict )?local minimum(?: of ([A-Za-z])(?:\(([^()]*)\))?)?(?: at {_POINT})?$"),
    re.compile(rf"^([A-Za-z]) has an? (strict )?local minimum(?: at {_POINT})?$"),
)
_TEXT = re.compile(r"\\(?:text|mathrm|textrm|operatorname)\s*\{([^{}]*)\}")
_AND = re.compile(r",|\\text\s*\{\s*and\s*\}|\\land|\\wedge")


@dataclass(frozen=True)
class Definiteness:
    matrix: str  # the LaTeX of M
    strict: bool
    #: Written as an order of two matrices (``S \\succeq T``): ``matrix`` is their difference.
    order: bool = False


@dataclass(frozen=True)
class Quantified:
    latex: str  # the whole display, as an assumption would be written


@dataclass(frozen=True)
class Eigenvalues:
    name: str
    strict_hypothesis: bool
    strict_conclusion: bool


@dataclass(frozen=True)
class Condition:
    """One side's property of a function at a point; ``None`` where the text names none."""

    kind: str  # minimum, strict-minimum, critical, pd, psd
    function: str | None = None
    point: str | None = None


@dataclass(frozen=True)
class SecondOrder:
    hypotheses: tuple[Condition, ...]
    conclusion: Condition


Statement = Definiteness | Quantified | Eigenvalues | SecondOrder


def recognise(latex: str) -> Statement | None:
    """The statement a display makes, or None for an ordinary chain."""
    eigen = _EIGEN.match(latex)
    if eigen is not None:
        if eigen.group(1) != eigen.group(3):
            return None
        return Eigenvalues(eigen.group(1), eigen.group(2) is None, eigen.group(4) == ">")
    second = _second_order(latex)
    if second is not None:
        return second
    body, over = split_quantifier(latex)
    if over is not None and _one_order_relation(body):
        return Quantified(latex)
    claim = _claim_part(latex)
    succ = _SUCC.search(claim)
    matrix = claim[: succ.start()].strip() if succ is not None else ""
    if matrix and not re.search(r"\\succ|\\implies|\\Rightarrow", matrix):
        return Definiteness(matrix, succ.group(1) is None)  # type: ignore[union-attr]
    return _loewner(claim)


def _loewner(claim: str) -> Definiteness | None:
    """``S \\succeq T`` (``T \\preceq S``, strict ``\\succ`` / ``\\prec``, ``S \\prec 0``): the
    definiteness of the difference, as an assumption reads it (:mod:`deriv.meaning.definite_assumptions`);
    it was an error, "unknown command \\succeq".  One order, and no implication."""
    orders = list(_ORDER.finditer(claim))
    if len(orders) != 1 or _IMPLIES_AT.search(claim):
        return None
    found = orders[0]
    left, right = claim[: found.start()].strip(), _TRAILING.sub("", claim[found.end():]).strip()
    if not left or not right:
        return None
    larger, smaller = (left, right) if found.group(1).startswith("succ") else (right, left)
    if _ZERO.match(larger) and _ZERO.match(smaller):
        return None
    matrix = larger if _ZERO.match(smaller) else f"-({smaller})" if _ZERO.match(larger) else f"{larger} - ({smaller})"
    return Definiteness(matrix, not found.group(1).endswith("eq"), order=True)


def _claim_part(latex: str) -> str:
    """The display before its justification (``\\quad \\text{for } S \\succeq 0``): a ``\\succ 0`` there
    is the justification's condition, not the display's claim (it was read as ``M \\succeq 0`` of the
    whole display, an error)."""
    try:
        claim, _ = split_justification(Span(latex, tuple(range(len(latex) + 1))))
    except DerivError:
        return latex
    return claim.text


def _one_order_relation(body: str) -> bool:
    """``q > 0`` or ``q \\geq 0``: a quantified claim (``a = b \\quad \\forall ...`` stays a chain)."""
    try:
        chain, _ = parse_display(body)
    except DerivError:
        return False
    return chain.leading is None and list(chain.relations) in ([">"], [">="])


def _condition(text: str) -> Condition | None:
    text = text.strip()
    for pattern, name in _CONDITIONS:
        found = pattern.match(text)
        if found:
            return Condition(name, found.group(1), _point(found.group(2)))
    plain = " ".join(_TEXT.sub(lambda m: f" {m.group(1)} ", text).replace("$", " ").split())
    found = _MINIMUM[0].match(plain)
    if found:
        point = _point(found.group(1)) or _point(found.group(4)) or _point(found.group(5))
        return Condition("strict-minimum" if found.group(2) else "minimum", found.group(3), point)
    found = _MINIMUM[1].match(plain)
    if found:
        return Condition("strict-minimum" if found.group(2) else "minimum", found.group(1), _point(found.group(3)))
    return None


def _point(text: str | None) -> str | None:
    """A point as written, spacing and braces dropped (``x^{*}`` is ``x^*``)."""
    if text is None:
        return None
    return re.sub(r"[\s{}]", "", text) or None


def _second_order(latex: str) -> SecondOrder | None:
    found = _IMPLIES_AT.search(latex)
    if found is None:
        return None
    before, after = latex[: found.start()].strip(), latex[found.end() :].strip()
    after = after[:-1] if after.endswith((".", ",")) else after
    if not before or not after.strip():
        return None
    hypotheses = tuple(_condition(part) for part in _AND.split(before) if part.strip())
    conclusion = _condition(after)
    if not hypotheses or None in hypotheses or conclusion is None:
        return None
    return SecondOrder(hypotheses, conclusion)  # type: ignore[arg-type]


__all__ = ["Condition", "Definiteness", "Eigenvalues", "Quantified", "SecondOrder", "Statement", "plain_name", "recognise"]
