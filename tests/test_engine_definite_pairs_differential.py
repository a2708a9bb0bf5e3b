r"""Engine, claims and statements about two (semi-)definite matrices: a differential harness.

Two symmetric ``N x N`` matrices ``A``, ``B`` and a vector ``x`` under a random subset of
``A \succeq 0``, ``A \succ 0``, ``B \succeq 0``, ``B \succ 0``, ``A \neq 0``, ``B \neq 0``,
``x \neq 0``; claims and statements from families whose truth under those assumptions is a
theorem (:data:`FAMILIES`: ``\operatorname{tr}(AB) \geq 0`` for semi-definite ``A, B``, ``> 0``
once one is definite and the other nonzero, ...).  Where two nonzero semi-definite matrices
meet at a range or a kernel, random draws never land (engine/supports.py was written for them).

The independent reference (:func:`reference_counterexample`: exact ``Fraction`` arithmetic, no
deriv code) searches every pair of 2 x 2 matrices from :data:`CANDIDATES` and vector from
:data:`VECTORS` that satisfies the assumptions.  Rules, per statement:

* the theorem says true: the reference finds no counterexample (checks the table), and deriv
  does not refute it;
* the reference finds a counterexample: deriv neither proves nor tests it (a false accept).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from fractions import Fraction

from helpers import displays, front_matter
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions

Matrix = tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]
Vector = tuple[Fraction, Fraction]
ASSUMPTIONS = {"A>=": r"A \succeq 0", "A>": r"A \succ 0", "B>=": r"B \succeq 0", "B>": r"B \succ 0",
               "A!=": r"A \neq 0", "B!=": r"B \neq 0", "x!=": r"x \neq 0"}


def _m(a: int, b: int, c: int) -> Matrix:
    return ((Fraction(a), Fraction(b)), (Fraction(b), Fraction(c)))


#: Symmetric 2 x 2 matrices: zero, the coordinate projections, rank one along (1, 1) and (1, -1),
#: definite and indefinite ones.
CANDIDATES = (_m(0, 0, 0), _m(1, 0, 0), _m(0, 0, 1), _m(1, 1, 1), _m(1, -1, 1), _m(2, 0, 1), _m(1, 0, 3),
              _m(2, 1, 1), _m(-1, 0, 1), _m(1, 2, 1), _m(0, 1, 0))
VECTORS = tuple((Fraction(p), Fraction(q)) for p, q in ((0, 0), (1, 0), (0, 1), (1, 1), (1, -1), (2, 1)))


def quad(m: Matrix, v: Vector) -> Fraction:
    return sum(v[i] * m[i][j] * v[j] for i in range(2) for j in range(2))


def trace(m: Matrix) -> Fraction:
    return m[0][0] + m[1][1]


def trace_product(a: Matrix, b: Matrix) -> Fraction:
    return sum(a[i][j] * b[j][i] for i in range(2) for j in range(2))


def semidefinite(m: Matrix, strict: bool) -> bool:
    det = m[0][0] * m[1][1] - m[0][1] * m[1][0]
    return (m[0][0] > 0 and det > 0) if strict else (m[0][0] >= 0 and m[1][1] >= 0 and det >= 0)


def holds(assumption: str, a: Matrix, b: Matrix, x: Vector) -> bool:
    nonzero = {"A": any(any(r) for r in a), "B": any(any(r) for r in b), "x": any(x)}
    name, relation = assumption[0], assumption[1:]
    if relation == "!=":
        return nonzero[name]
    return semidefinite(a if name == "A" else b, relation == ">")


def definite_sum(a: Matrix, b: Matrix, x: Vector, strict: bool) -> bool:
    return semidefinite(tuple(tuple(a[i][j] + b[i][j] for j in range(2)) for i in range(2)), strict)  # type: ignore[arg-type]


# A family: (its LaTeX, its value on an instance: a number compared with 0 (claims) or a truth
# (statements), whether it is a statement, and when it is true given the assumption set).
Known = Callable[[frozenset[str]], bool]


def _psd(s: frozenset[str], name: str) -> bool:
    return f"{name}>=" in s or f"{name}>" in s


def _nonzero(s: frozenset[str], name: str) -> bool:
    return f"{name}!=" in s or f"{name}>" in s


FAMILIES: dict[str, tuple[str, Callable[[Matrix, Matrix, Vector], object], Known]] = {
    "trAB>=": (r"\operatorname{tr}(A B) \geq 0", lambda a, b, x: trace_product(a, b) >= 0,
               lambda s: _psd(s, "A") and _psd(s, "B")),
    "trAB>": (r"\operatorname{tr}(A B) > 0", lambda a, b, x: trace_product(a, b) > 0,
              lambda s: _psd(s, "A") and _psd(s, "B") and (("A>" in s and _nonzero(s, "B")) or ("B>" in s and _nonzero(s, "A")))),
    "sum>=": (r"x^T (A + B) x \geq 0", lambda a, b, x: quad(a, x) + quad(b, x) >= 0,
              lambda s: _psd(s, "A") and _psd(s, "B")),
    "sum>": (r"x^T (A + B) x > 0", lambda a, b, x: quad(a, x) + quad(b, x) > 0,
             lambda s: _psd(s, "A") and _psd(s, "B") and "x!=" in s and ("A>" in s or "B>" in s)),
    "traces>": (r"\operatorname{tr}(A) + \operatorname{tr}(B) > 0", lambda a, b, x: trace(a) + trace(b) > 0,
                lambda s: _psd(s, "A") and _psd(s, "B") and (_nonzero(s, "A") or _nonzero(s, "B"))),
    "bound>=": (r"\operatorname{tr}(A) \operatorname{tr}(B) \geq \operatorname{tr}(A B)",
                lambda a, b, x: trace(a) * trace(b) >= trace_product(a, b), lambda s: _psd(s, "A") and _psd(s, "B")),
    "product>": (r"(x^T A x)(x^T B x) > 0", lambda a, b, x: quad(a, x) * quad(b, x) > 0,
                 lambda s: "A>" in s and "B>" in s and "x!=" in s),
    "A22>": (r"A_{2,2} > 0", lambda a, b, x: a[1][1] > 0, lambda s: "A>" in s),
    "A11>=": (r"A_{1,1} \geq 0", lambda a, b, x: a[0][0] >= 0, lambda s: _psd(s, "A")),
    "pd": (r"A + B \succ 0", lambda a, b, x: definite_sum(a, b, x, True),
           lambda s: _psd(s, "A") and _psd(s, "B") and ("A>" in s or "B>" in s)),
    "psd": (r"A + B \succeq 0", lambda a, b, x: definite_sum(a, b, x, False), lambda s: _psd(s, "A") and _psd(s, "B")),
}


def reference_counterexample(family: str, assumptions: frozenset[str]) -> tuple | None:
    """An instance (A, B, x) of the candidates satisfying every assumption where the family fails."""
    _, value, _ = FAMILIES[family]
    for a, b, x in itertools.product(CANDIDATES, CANDIDATES, VECTORS):
        if all(holds(s, a, b, x) for s in assumptions) and not value(a, b, x):
            return a, b, x
    return None


def test_the_reference_never_refutes_a_theorem_of_the_table() -> None:
    for k in range(len(ASSUMPTIONS) + 1):
        for chosen in itertools.combinations(ASSUMPTIONS, k):
            s = frozenset(chosen)
            for family, (_, _, known) in FAMILIES.items():
                if known(s):
                    assert reference_counterexample(family, s) is None, (family, s)


def _verdicts(assumptions: frozenset[str], families: list[str]) -> list[str]:
    extra = "assumptions:\n" + "".join(f"  - {ASSUMPTIONS[a]}\n" for a in sorted(assumptions)) if assumptions else ""
    symbols = {"A": "symmetric matrix N x N", "B": "symmetric matrix N x N", "x": "vector N"}
    text = front_matter(symbols, extra=extra) + displays(*(FAMILIES[f][0] for f in families))
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return [(step.verdict.value, step.message) for step in result.steps]


@settings(max_examples=int(os.environ.get("DERIV_PAIRS_CASES", "10")), deadline=None, derandomize=True)
@given(st.sampled_from(["", ">=", ">=", ">"]), st.sampled_from(["", ">=", ">=", ">"]),
       st.frozensets(st.sampled_from(["A!=", "B!=", "x!="])),
       st.lists(st.sampled_from(sorted(FAMILIES)), min_size=2, max_size=4, unique=True))
def test_two_definite_matrices_against_the_reference(kind_a: str, kind_b: str, nonzero: frozenset[str],
                                                     families: list[str]) -> None:
    # Each matrix none, semi-definite (twice as often: where the failures live) or definite.
    assumptions = nonzero | {f"{name}{kind}" for name, kind in (("A", kind_a), ("B", kind_b)) if kind}
    for family, (verdict, message) in zip(families, _verdicts(assumptions, families)):
        if FAMILIES[family][2](assumptions):
            assert verdict != "refuted", (family, sorted(assumptions), message)
        elif reference_counterexample(family, assumptions) is not None:
            assert verdict not in ("proved", "tested"), (family, sorted(assumptions), message)
