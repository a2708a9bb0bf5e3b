"""Eigenvalues of definite matrices: ``H \\succ 0 \\implies \\lambda(H) > 0``, checked.

A claim about *every* matrix of a kind (every symmetric positive-definite
``H`` has only positive eigenvalues; every symmetric positive semi-definite
one only non-negative eigenvalues) is checked two ways:

* **Symbolically, for general symmetric 2x2 and 3x3 matrices.**  Every
  symmetric positive-definite matrix is ``L D L^T`` with ``L`` unit lower
  triangular and ``D`` diagonal positive (Sylvester: the leading minors of
  ``L D L^T`` are ``d_1``, ``d_1 d_2``, ... -- checked -- and conversely a
  general symmetric matrix with nonzero leading minors is ``L D L^T`` with
  ``d_k = M_k / M_{k-1}`` -- checked by multiplying out).  Every symmetric
  positive semi-definite matrix is ``R^T R`` with ``R`` upper triangular.
  The characteristic polynomial ``t^n - e_1 t^{n-1} + e_2 t^{n-2} - ...`` has
  ``e_k`` = the sum of the principal ``k x k`` minors, which by Cauchy--Binet
  is a sum of squares times pivots (an identity checked by expansion) and so
  ``> 0`` (``>= 0``) by :mod:`deriv.engine.signs`.  Coefficients alternating
  strictly (weakly) in sign leave no root ``<= 0`` (``< 0``) -- Descartes'
  rule, exact for a real-rooted polynomial; a symmetric matrix's is
  real-rooted (the spectral theorem; for 2x2 its discriminant ``(a - c)^2 +
  4 b^2 >= 0`` is checked).
* **For every size** (:func:`every_size`): for a symmetric ``H`` every
  eigenvalue is real and has a real eigenvector ``x \\neq 0`` -- the spectral
  theorem, *cited*, not shown here.  Then, for a symbolic size ``n``,
  ``x^T (H x - \\lambda x) = x^T H x - \\lambda x^T x`` (normal forms compared,
  so ``x^T H x = \\lambda x^T x`` follows from ``H x = \\lambda x``), and the
  sign reasoning of :mod:`deriv.engine.signs` shows ``\\lambda > 0`` (``>= 0``)
  from it, ``x \\neq 0`` and ``H \\succ 0`` (``\\succeq``) by elimination:
  ``\\lambda = x^T H x / x^T x``.
* **On random rational matrices** (:mod:`deriv.engine.spectrum_random`).

Dropping symmetry breaks the claim: ``[[1, -5], [5, 1]]`` has ``x^T H x =
x_1^2 + x_2^2 > 0`` for every ``x \\neq 0`` but eigenvalues ``1 \\pm 5i``
(:func:`nonsymmetric_counterexample`).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import sympy
from flint import fmpq, fmpz_mat

from deriv.context import Constraint, Context, Declared
from deriv.engine.decide import symbolic_form
from deriv.engine.normal import Normalizer
from deriv.engine.signs import NONNEG, POS, SignProver
from deriv.ir import index, size
from deriv.names import Kind


@dataclass(frozen=True)
class SymbolicCheck:
    """What was shown for general symmetric ``n x n`` matrices."""

    n: int
    shown: bool
    what: str


def _charpoly_sums(h: sympy.Matrix) -> list[sympy.Expr]:
    """``e_1 .. e_n``: ``det(tI - H) = sum_k (-1)^k e_k t^(n-k)``."""
    t = sympy.Symbol("t")
    coeffs = sympy.Poly(h.charpoly(t).as_expr(), t).all_coeffs()  # leading first
    return [sympy.expand((-1) ** k * c) for k, c in enumerate(coeffs)][1:]


def _minor(m: sympy.Matrix, rows, cols) -> sympy.Expr:
    return m.extract(list(rows), list(cols)).det() if rows else sympy.S.One


@functools.lru_cache(maxsize=8)
def symbolic_check(n: int, strict: bool) -> SymbolicCheck:
    """Prove, for a general symmetric ``n x n`` (semi-)definite matrix, that no eigenvalue is ``<= 0`` (``< 0``)."""
    prover = SignProver(Context(), [], {})
    sizes = range(n)
    if strict:
        d = [sympy.Symbol(f"d{k + 1}", positive=True) for k in sizes]
        lower = sympy.Matrix(n, n, lambda i, j: 1 if i == j else (sympy.Symbol(f"l{i + 1}{j + 1}") if i > j else 0))
        h = lower * sympy.diag(*d) * lower.T
        for k in range(1, n + 1):  # Sylvester: leading minors are products of pivots
            if sympy.expand(h[:k, :k].det() - sympy.Mul(*d[:k])) != 0:
                return SymbolicCheck(n, False, f"leading minor {k} of L D L^T is not d_1...d_{k}")
        if not _factors_every_symmetric(n):
            return SymbolicCheck(n, False, "a general symmetric matrix is not L D L^T with d_k = M_k / M_(k-1)")
    else:
        upper = sympy.Matrix(n, n, lambda i, j: sympy.Symbol(f"r{i + 1}{j + 1}") if i <= j else 0)
        h = upper.T * upper
    sums = _charpoly_sums(h)
    for k, e in enumerate(sums, start=1):
        if strict:  # Cauchy-Binet: e_k = sum_{S,T} det(L[S,T])^2 prod_{t in T} d_t
            form = sympy.Add(*(_minor(lower, s, t) ** 2 * sympy.Mul(*(d[i] for i in t))
                               for s in itertools.combinations(sizes, k) for t in itertools.combinations(sizes, k)))
        else:  # e_k = sum_{S,T} det(R[T,S])^2
            form = sympy.Add(*(_minor(upper, t, s) ** 2
                               for s in itertools.combinations(sizes, k) for t in itertools.combinations(sizes, k)))
        if sympy.expand(e - form) != 0:
            return SymbolicCheck(n, False, f"e_{k} is not its Cauchy-Binet sum of squares")
        sign = prover.sign(form).sign
        if not sign <= (POS if strict else NONNEG):
            return SymbolicCheck(n, False, f"the sign of e_{k} was not shown")
    real = "the spectral theorem"
    if n == 2:
        a, b, c = sympy.symbols("a b c")
        disc = sympy.discriminant(sympy.Matrix([[a, b], [b, c]]).charpoly(sympy.Symbol("t")).as_expr(), sympy.Symbol("t"))
        if sympy.expand(disc - ((a - c) ** 2 + 4 * b**2)) != 0 or not prover.sign((a - c) ** 2 + 4 * b**2).sign <= NONNEG:
            return SymbolicCheck(n, False, "the 2x2 discriminant is not (a - c)^2 + 4 b^2")
        real = "its discriminant (a - c)^2 + 4 b^2 >= 0"
    form = "L D L^T (d > 0, Sylvester)" if strict else "R^T R"
    relation = "> 0" if strict else ">= 0"
    return SymbolicCheck(n, True, f"{n}x{n}: H = {form}, e_1..e_{n} {relation} (Cauchy-Binet sums of squares), "
                                  f"Descartes; real roots by {real}")


def _factors_every_symmetric(n: int) -> bool:
    """A general symmetric matrix equals ``L D L^T`` with pivots ``M_k / M_{k-1}``."""
    a = sympy.Matrix(n, n, lambda i, j: sympy.Symbol(f"a{min(i, j) + 1}{max(i, j) + 1}"))
    minors = [sympy.S.One] + [a[:k, :k].det() for k in range(1, n + 1)]
    pivots = [minors[k + 1] / minors[k] for k in range(n)]
    lower = sympy.zeros(n, n)
    for j in range(n):
        lower[j, j] = 1
        for i in range(j + 1, n):
            rows = list(range(j)) + [i]
            lower[i, j] = a.extract(rows, list(range(j + 1))).det() / minors[j + 1]
    product = lower * sympy.diag(*pivots) * lower.T
    return all(sympy.cancel(product[i, j] - a[i, j]) == 0 for i in range(n) for j in range(n))


@dataclass(frozen=True)
class EverySize:
    """What was shown for a symmetric ``n x n`` matrix at a symbolic ``n``; ``cited`` is assumed, not shown."""

    shown: bool
    what: str
    cited: str = ("the spectral theorem: every eigenvalue of a real symmetric matrix is real and has a real "
                  "eigenvector x != 0")


@functools.lru_cache(maxsize=2)
def every_size(strict: bool) -> EverySize:
    """``H x = \\lambda x``, ``x \\neq 0``, ``H \\succ 0`` (``\\succeq``) give ``\\lambda > 0`` (``>= 0``) at a symbolic size."""
    n, one = size("n"), sympy.Integer(1)
    context = Context(declared={"H": Declared("H", Kind.SYMMETRIC, (n, n)), "x": Declared("x", Kind.VECTOR, (n, one)),
                                "lambda": Declared("lambda", Kind.SCALAR, (one, one))}, sizes=(n,))
    h, x, lam = context.declared["H"], context.declared["x"], sympy.Symbol("lambda")
    r, c, a, b = index("_arow"), index("_acol"), index("_a"), index("_b")
    row = sympy.Sum(h.entry(r, a) * x.entry(a, 0), (a, 0, n - 1)) - lam * x.entry(r, 0)  # [H x - lambda x]_r
    scalar = (sympy.Sum(x.entry(a, 0) * h.entry(a, b) * x.entry(b, 0), (a, 0, n - 1), (b, 0, n - 1))
              - lam * sympy.Sum(x.entry(a, 0) ** 2, (a, 0, n - 1)))
    normal = Normalizer({}, context.symmetric_names())
    if normal.normal_form(symbolic_form(sympy.Sum(x.entry(r, 0) * row, (r, 0, n - 1)), context)) != normal.normal_form(
            symbolic_form(scalar, context)):
        return EverySize(False, "x^T (H x - lambda x) was not shown to equal x^T H x - lambda x^T x")
    hypothesis = "H \\succ 0" if strict else "H \\succeq 0"
    facts = [Constraint(hypothesis, "pd" if strict else "psd", h.entry(r, c), (r, c), ((r, n), (c, n))),
             Constraint("x \\neq 0", "nonzero", x.entry(r, 0), (r,), ((r, n),)),
             Constraint("x^T H x = \\lambda x^T x", "=", scalar, (), ())]
    found = SignProver(context, facts, {}).sign(lam)
    relation = "> 0" if strict else ">= 0"
    if not found.sign <= (POS if strict else NONNEG):
        return EverySize(False, f"the sign reasoning did not show lambda {relation}")
    return EverySize(True, (
        f"for every size n (symbolic): an eigenpair H x = lambda x with x != 0 gives x^T H x = lambda x^T x "
        f"(x^T (H x - lambda x) = x^T H x - lambda x^T x, normal forms compared), and the sign reasoning shows "
        f"lambda {relation} from {', '.join(found.used)} (lambda = x^T H x / x^T x, x^T x > 0)"))


# -- the non-symmetric counterexample -------------------------------------------------
@dataclass(frozen=True)
class Counter:
    matrix: tuple[tuple[int, ...], ...]
    quadratic: str
    charpoly: str
    discriminant: int

    def describe(self) -> str:
        rows = "; ".join(", ".join(map(str, r)) for r in self.matrix)
        return (f"H = [{rows}]: x^T H x = {self.quadratic} > 0 for every real x != 0 (the pivots of its symmetric part are > 0), "
                f"but det(tI - H) = {self.charpoly} has discriminant {self.discriminant} < 0: its eigenvalues are not real, "
                "so it has no real eigenvector")


def nonsymmetric_counterexample(matrix=((1, -5), (5, 1))) -> Counter | None:
    """Verify exactly that a non-symmetric 2x2 matrix has ``x^T H x > 0`` and non-real eigenvalues."""
    (a, b), (c, d) = matrix
    s = (fmpq(b) + fmpq(c)) / 2
    if not (a > 0 and a * d - s * s > 0):  # pivots a and (ad - s^2)/a of the symmetric part
        return None
    trace, det = a + d, a * d - b * c
    disc = trace * trace - 4 * det
    if disc >= 0:
        return None
    poly = fmpz_mat([[a, b], [c, d]]).charpoly().coeffs()  # constant term first
    def term(c, monomial: str) -> str:
        return monomial if c == 1 else f"{c} {monomial}"

    cross = f" + {term(2 * s, 'x_1 x_2')}" if s else ""
    return Counter(tuple(map(tuple, matrix)), f"{term(a, 'x_1^2')}{cross} + {term(d, 'x_2^2')}",
                   f"t^2 - {-poly[1]} t + {poly[0]}" if poly[1] < 0 else f"t^2 + {poly[1]} t + {poly[0]}", int(disc))
