"""Property test: Kronecker and vec identities against an independent exact reference.

Hypothesis draws an identity of the Matrix Cookbook's kind -- the transpose of a
Kronecker product, the mixed product, ``vec(A X B) = (B^T \\otimes A) vec(X)``,
the trace of a Kronecker product -- with random operands (each possibly
transposed), and a mutation of it (the factors of one Kronecker product
swapped, a transpose dropped or added, ``vec`` of the transpose).  The true
identity must never be refuted (and is proved); a mutation that the reference
shows to differ at concrete sizes must be refuted.  The reference computes
Kronecker products and ``vec`` itself on python-flint ``fmpq_mat`` matrices: it
shares nothing with deriv's digits, normal form or tester.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from typing import Callable

from flint import fmpq, fmpq_mat
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions

CASES = int(os.environ.get("DERIV_KRONECKER_CASES", "30"))
SETTINGS = settings(max_examples=CASES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

#: name -> (rows, cols) in the sizes N and P
LEAVES = {"S": ("N", "N"), "U": ("N", "N"), "F": ("P", "P"), "G": ("P", "P"), "X": ("N", "P"), "W": ("P", "N")}
SYMBOLS = "".join(f"  {name}: matrix {rows} x {cols}\n" for name, (rows, cols) in LEAVES.items())

Env = dict  # name -> fmpq_mat, plus the sizes


def kron(a: fmpq_mat, b: fmpq_mat) -> fmpq_mat:
    p, q = b.nrows(), b.ncols()
    out = fmpq_mat(a.nrows() * p, a.ncols() * q)
    for i in range(a.nrows()):
        for j in range(a.ncols()):
            for k in range(p):
                for m in range(q):
                    out[i * p + k, j * q + m] = a[i, j] * b[k, m]
    return out


def vec(a: fmpq_mat) -> fmpq_mat:
    out = fmpq_mat(a.nrows() * a.ncols(), 1)
    for j in range(a.ncols()):
        for i in range(a.nrows()):
            out[j * a.nrows() + i, 0] = a[i, j]
    return out


def trace(a: fmpq_mat) -> fmpq_mat:
    return fmpq_mat(1, 1, [sum((a[i, i] for i in range(a.nrows())), fmpq(0))])


@dataclass(frozen=True)
class Term:
    """An expression: its LaTeX, its shape in size names (products as tuples), its value."""

    latex: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    value: Callable[[Env], fmpq_mat]
    atom: bool = True

    def bracketed(self) -> str:
        return self.latex if self.atom else f"({self.latex})"


def leaf(name: str, transposed: bool) -> Term:
    rows, cols = LEAVES[name]
    if transposed:
        return Term(f"{name}^T", (cols,), (rows,), lambda env: env[name].transpose(), atom=False)
    return Term(name, (rows,), (cols,), lambda env: env[name])


def t(a: Term) -> Term:
    return Term(f"{a.bracketed()}^T", a.cols, a.rows, lambda env: a.value(env).transpose())


def k(a: Term, b: Term) -> Term:
    return Term(f"{a.bracketed()} \\otimes {b.bracketed()}", a.rows + b.rows, a.cols + b.cols,
                lambda env: kron(a.value(env), b.value(env)), atom=False)


def mul(a: Term, b: Term) -> Term:
    assume(sorted(a.cols) == sorted(b.rows))
    return Term(f"{a.bracketed()} {b.bracketed()}", a.rows, b.cols, lambda env: a.value(env) * b.value(env), atom=False)


def v(a: Term) -> Term:
    return Term(f"\\operatorname{{vec}}({a.latex})", a.rows + a.cols, ("1",), lambda env: vec(a.value(env)))


def tr(a: Term) -> Term:
    assume(sorted(a.rows) == sorted(a.cols))
    return Term(f"\\operatorname{{tr}}({a.latex})", ("1",), ("1",), lambda env: trace(a.value(env)))


def scalar_product(a: Term, b: Term) -> Term:
    return Term(f"{a.latex} {b.latex}", ("1",), ("1",), lambda env: a.value(env) * b.value(env), atom=False)


def summed(a: Term, b: Term) -> Term:
    return Term(f"{a.latex} + {b.latex}", a.rows, a.cols, lambda env: a.value(env) + b.value(env), atom=False)


leaves = st.builds(leaf, st.sampled_from(sorted(LEAVES)), st.booleans())


def transposed_identity(a: Term, b: Term) -> tuple[Term, Term, list[Term]]:
    return t(k(a, b)), k(t(a), t(b)), [k(t(b), t(a)), k(a, b)]


def mixed_identity(a: Term, b: Term, c: Term, d: Term) -> tuple[Term, Term, list[Term]]:
    return mul(k(a, b), k(c, d)), k(mul(a, c), mul(b, d)), [k(mul(b, d), mul(a, c))]


def vec_identity(a: Term, y: Term, b: Term) -> tuple[Term, Term, list[Term]]:
    lhs = v(mul(mul(a, y), b))
    wrong = [mul(k(b, a), v(y)), mul(k(a, t(b)), v(y)), mul(k(t(b), a), v(t(y)))]
    return lhs, mul(k(t(b), a), v(y)), wrong


def trace_identity(a: Term, b: Term) -> tuple[Term, Term, list[Term]]:
    return tr(k(a, b)), scalar_product(tr(a), tr(b)), [summed(tr(a), tr(b)), scalar_product(tr(a), tr(a))]


identities = st.one_of(
    st.builds(transposed_identity, leaves, leaves),
    st.builds(mixed_identity, leaves, leaves, leaves, leaves),
    st.builds(vec_identity, leaves, leaves, leaves),
    st.builds(trace_identity, leaves, leaves),
)


def verdict(lhs: Term, rhs: Term) -> tuple[str, str]:
    text = f"---\nsymbols:\n{SYMBOLS}---\n\n$$ {lhs.latex} = {rhs.latex} $$\n"
    (step,) = deriv.check_text(text, options=CheckOptions(isolate=False, timeout=60)).steps
    return str(step.verdict), step.message


def environment(n: int, p: int, seed: int) -> Env:
    rng = random.Random(seed)
    sizes = {"N": n, "P": p}
    return {name: fmpq_mat(sizes[r], sizes[c], [fmpq(rng.randint(-9, 9), rng.randint(1, 4))
                                                 for _ in range(sizes[r] * sizes[c])])
            for name, (r, c) in LEAVES.items()}


def differ(lhs: Term, rhs: Term) -> bool:
    """Whether the reference finds the two different (shapes first, then values)."""
    for n, p in ((2, 3), (3, 2), (2, 2)):
        env = environment(n, p, 7 * n + p)
        left, right = lhs.value(env), rhs.value(env)
        if (left.nrows(), left.ncols()) != (right.nrows(), right.ncols()) or left != right:
            return True
    return False


def _fits(lhs: Term, rhs: Term) -> bool:
    return sorted(lhs.rows) == sorted(rhs.rows) and sorted(lhs.cols) == sorted(rhs.cols)


@SETTINGS
@given(identities)
def test_a_true_identity_is_proved(identity):
    lhs, rhs, _ = identity
    assume(_fits(lhs, rhs))
    assert not differ(lhs, rhs), (lhs.latex, rhs.latex)  # the reference agrees: the identity is one
    got, message = verdict(lhs, rhs)
    assert got == "proved", (lhs.latex, rhs.latex, got, message)


@SETTINGS
@given(identities, st.integers(0, 2))
def test_a_mutated_identity_the_reference_refutes_is_refuted(identity, which):
    lhs, _, wrong = identity
    rhs = wrong[which % len(wrong)]
    assume(_fits(lhs, rhs) and differ(lhs, rhs))
    got, message = verdict(lhs, rhs)
    assert got == "refuted", (lhs.latex, rhs.latex, got, message)
