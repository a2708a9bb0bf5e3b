"""deriv.decide from several threads at once gives what one thread gives (deriv/api.py: one decision
at a time in a process; deriv/engine/certified.py: each thread notes into its own recorder)."""

from __future__ import annotations

import threading

import sympy
from sympy import IndexedBase, KroneckerDelta, Sum, exp, sqrt

import deriv
from deriv.engine import certified

i, j, k, N = sympy.symbols("i j k N")
A, B = IndexedBase("A"), IndexedBase("B")
x, y = sympy.Symbol("x"), sympy.Symbol("y")
MATRICES = {"A": "matrix N x N", "B": "matrix N x N"}
SCALARS = {"x": "scalar", "y": "scalar"}
CASES = [
    (Sum(KroneckerDelta(i, k) * A[k, j], (k, 0, N - 1)), A[i, j], MATRICES),
    (Sum(A[i, k] * B[k, j], (k, 0, N - 1)), Sum(B[i, k] * A[k, j], (k, 0, N - 1)), MATRICES),
    (exp(x) * exp(y), exp(x + y), SCALARS),
    (sqrt(x**2), x, SCALARS),
    (exp(x + sympy.Rational(1, 10**30) * y), exp(x), SCALARS),
]


def answers() -> list[str]:
    return [deriv.decide(lhs, rhs, symbols, timeout=None).verdict.value for lhs, rhs, symbols in CASES]


def test_two_threads_at_once_give_what_one_gives() -> None:
    alone = answers()
    assert alone == ["proved", "refuted", "proved", "refuted", "refuted"]
    found: list[list[str]] = []
    threads = [threading.Thread(target=lambda: found.extend(answers() for _ in range(3))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [alone] * 9


def test_each_thread_notes_into_its_own_recorder() -> None:
    seen: list[object] = []
    thread = threading.Thread(target=lambda: seen.append(certified.STATE.recorder))
    thread.start()
    thread.join()
    assert seen and seen[0] is not certified.STATE.recorder
