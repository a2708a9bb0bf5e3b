r"""Meaning, binding (docs/format.md): bound indices are bound, and bad meaning is a clear error.

Every verdict is asserted exactly.  Cases found by the differential and fuzz
harnesses (branch ``harness``, ``tests/test_check_harness_findings.py``) are copied
with their assertions.
"""

from __future__ import annotations

import time

import pytest

import deriv
from deriv.check.options import CheckOptions

HEAD = """\
---
symbols:
  C: matrix N x N
  W: matrix N x N
  A: matrix N x M
  B: matrix N x M
  u: vector N
  x: vector N
  v: vector M
  a: scalar
  h: elementwise function
%s---

"""
#: The first display's line when the front matter adds nothing.
FIRST = 14


def steps(*displays: str, front: str = "", options: CheckOptions | None = None) -> list[tuple[int, str, str]]:
    """(line, verdict, message) of every step; the file must have no file-level error."""
    text = HEAD % front + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    result = deriv.check_text(text, "binding.md", options)
    assert result.error is None, result.error
    return [(s.line, s.verdict.value, s.message) for s in result.steps]


def only(display: str, front: str = "") -> str:
    found = steps(display, front=front)
    assert len(found) == 1, found
    return found[0][1]


def file_error(front: str, display: str = "a = a") -> tuple[str, int | None]:
    result = deriv.check_text(HEAD % front + f"$$ {display} $$\n", "binding.md")
    assert result.error is not None, result.steps
    return result.error, result.error_line


# -- harness findings (copied, same assertions) ---------------------------------------

def test_dummy_reused_at_two_sizes_in_separate_sums() -> None:
    assert only(r"\sum_k u_k + \sum_k v_k = \sum_l u_l + \sum_p v_p") == "proved"


def test_dummies_of_the_two_members_are_separate() -> None:
    assert only(r"\sum_k u_k + \sum_l v_l = \sum_l u_l + \sum_k v_k") == "proved"


def test_dummy_named_like_a_free_index_at_another_size() -> None:
    assert only(r"u_i \left(\sum_i v_i\right) = u_i \sum_k v_k") == "proved"


def test_free_indices_are_read_before_cancellation() -> None:
    assert only(r"[C - C]_{i,j} = C - C") == "proved"


def test_cancelled_free_indices_still_make_a_wrong_step_refuted() -> None:
    assert only(r"C_{m,n} - C_{m,n} = C_{m,n}") == "refuted"


def test_elementwise_function_of_a_power_tower_is_no_internal_error() -> None:
    ((line, verdict, message),) = steps(r"h(((10^{64})^{64})^{64}) = a")
    assert (line, verdict) == (FIRST, "error")
    assert "more than 4000 digits" in message and "internal error" not in message


def test_sum_over_an_index_named_like_a_scalar_definition_is_an_error() -> None:
    ((line, verdict, message),) = steps(r"\sum_i u_i = \sum_k u_k", front="definitions:\n  - i = 2\n")
    assert (line, verdict) == (FIRST + 2, "error")
    assert "i is defined in the front matter, so it can not also be an index" in message


# -- sum dummies against entry indices -------------------------------------------------

def test_entry_index_is_not_captured_by_the_sum_inside_the_matrix() -> None:
    # [\sum_i x_i W]_{i,j} is (\sum_i x_i) W_{i,j}: the entry's i is not the dummy.
    assert only(r"[\sum_i x_i W]_{i,j} = \sum_i x_i W_{i,j}") == "refuted"
    assert only(r"[\sum_i x_i W]_{i,j} = \left(\sum_k x_k\right) W_{i,j}") == "proved"


def test_entry_of_a_summed_matrix_with_both_entry_indices_clashing() -> None:
    assert only(r"\left[\sum_j \sum_i u_i u_j C\right]_{i,j} = \sum_k \sum_l u_k u_l C_{i,j}") == "proved"
    assert only(r"\left[\sum_j \sum_i u_i u_j C\right]_{i,j} = \sum_k u_k u_j C_{i,j}") == "refuted"


def test_matrix_member_of_a_sum_aligned_to_the_chains_entry() -> None:
    found = steps(r"\left(\sum_i x_i\right) W_{i,j} = \sum_i x_i W", r"= \sum_k x_k W")
    assert [v for _, v, _ in found] == ["proved", "proved"]


def test_inner_sum_shadows_the_outer_one() -> None:
    assert only(r"\sum_k u_k \sum_k u_k = \left(\sum_l u_l\right)^2") == "proved"
    assert only(r"\sum_k u_k \sum_k u_k = \sum_l u_l^2") == "refuted"


def test_one_bindings_uses_must_still_agree() -> None:
    ((_, verdict, message),) = steps(r"\sum_k u_k v_k = a")
    assert verdict == "error"
    assert "index k is used at two sizes" in message and "_k" not in message.replace("index k", "")


def test_separate_sums_over_one_name_at_two_sizes() -> None:
    assert only(r"\sum_k A_{i,k} + \sum_k C_{i,k} = \sum_m A_{i,m} + \sum_n C_{i,n}") == "proved"
    assert only(r"\sum_k A_{i,k} + \sum_k C_{i,k} = \sum_m B_{i,m} + \sum_n C_{i,n}") == "refuted"


def test_bounds_belong_to_their_own_binding() -> None:
    assert only(r"\sum_{k=1}^{N} \sum_{k=1}^{M} v_k = N \sum_l v_l") == "proved"
    ((_, verdict, message),) = steps(r"\sum_{k=1}^{M} u_k = a")
    assert verdict == "error"
    # a sum's bounds fix its index's range; u_k need only lie inside u
    assert message.startswith(r"left side: u_{k} at k = M is entry M of u, past u's length N when M = 2, N = 1")


def test_an_unused_outer_binding_has_no_range() -> None:
    ((_, verdict, message),) = steps(r"\sum_k \sum_k C_{k,k} = N \sum_k C_{k,k}")
    assert verdict == "error"
    assert message == "left side: cannot tell the range of index k: use it in an entry such as X_{k,j}"


def test_a_free_index_and_a_dummy_of_the_same_name() -> None:
    assert only(r"u_k \sum_k u_k = \sum_j u_k u_j") == "proved"
    assert only(r"u_k \sum_k u_k = \sum_j u_j u_j") == "refuted"


def test_front_matter_index_range_applies_to_each_binding() -> None:
    front = "indices:\n  k: N\n"
    assert only(r"\sum_k 1 + \sum_k 1 = 2 \sum_l u_l^0", front=front) == "proved"


# -- definitions: parameters, dummies, names -------------------------------------------

VECTOR_SUM = "  s: vector N\ndefinitions:\n  - s_i = \\sum_j C_{i,j}\n"


def test_definition_dummy_is_not_captured_by_the_documents_index() -> None:
    assert only(r"s_j = \sum_k C_{j,k}", front=VECTOR_SUM) == "proved"
    assert only(r"s_j = \sum_k C_{k,k}", front=VECTOR_SUM) == "refuted"
    assert only(r"\sum_j s_j = \sum_i \sum_j C_{i,j}", front=VECTOR_SUM) == "proved"


def test_definition_parameters_against_the_documents_indices() -> None:
    front = "  D: matrix N x N\ndefinitions:\n  - D_{i,j} = u_j\n"
    assert only(r"D_{j,i} = u_i", front=front) == "proved"
    assert only(r"D_{j,i} = u_j", front=front) == "refuted"
    assert only(r"D_{k,k} = u_k", front=front) == "proved"


def test_definition_with_a_repeated_index_on_the_left_is_an_error() -> None:
    error, line = file_error("  D: matrix N x N\ndefinitions:\n  - D_{i,i} = u_i\n")
    assert "repeats an index" in error and line == 14


def test_definition_index_named_like_a_size_is_an_error() -> None:
    error, line = file_error("  D: matrix N x N\ndefinitions:\n  - D_{N,j} = u_j\n")
    assert "N is a size, so it can not also be an index" in error and line == 14


def test_declared_scalar_used_as_an_index_is_an_error() -> None:
    ((_, verdict, message),) = steps(r"u_a = u_a")
    assert verdict == "error" and "a is declared as a scalar, so it can not also be an index" in message


def test_derivative_variable_is_not_the_dummy() -> None:
    assert only(r"\frac{\partial}{\partial x_i} \sum_i x_i^2 = 2 x_i") == "proved"
    assert only(r"\frac{\partial}{\partial x_i} \sum_i x_i^2 = 2 \sum_i x_i") == "refuted"


def test_derivative_inside_a_sum_over_its_index() -> None:
    front = "  L: scalar\ndefinitions:\n  - L = \\sum_i x_i^2\n"
    assert only(r"\sum_i \frac{\partial L}{\partial x_i} = 2 \sum_k x_k", front=front) == "proved"
    assert only(r"\frac{\partial L}{\partial x_i} = 2 x_i", front=front) == "proved"


def test_nested_derivatives_over_a_defined_name() -> None:
    front = "  L: scalar\ndefinitions:\n  - L = \\sum_i \\sum_j x_i x_j C_{i,j}\n"
    assert only(r"\frac{\partial}{\partial x_i} \frac{\partial L}{\partial x_j} = C_{i,j} + C_{j,i}", front=front) == "proved"
    assert only(r"\frac{\partial}{\partial x_i} \frac{\partial L}{\partial x_j} = 2 C_{i,j}", front=front) == "refuted"


# -- bad meaning: clear errors with a line ---------------------------------------------

def test_derivative_with_respect_to_a_size_is_an_error() -> None:
    ((line, verdict, message),) = steps(r"\frac{\partial}{\partial N} a = 0")
    assert (line, verdict) == (FIRST, "error")
    assert "cannot differentiate with respect to N: it is a size" in message


@pytest.mark.parametrize(("front", "message", "line"), [
    ("  s: vector N\ndefinitions:\n  - s_i = s_i + 1\n", "definition of s refers to s itself", 14),
    ("  r: scalar\ndefinitions:\n  - r = r + 1\n", "definition of r refers to r itself", 14),
    ("  s: vector N\n  t: vector N\ndefinitions:\n  - s_i = t_i + 1\n  - t_i = s_i\n",
     "definitions refer to each other in a cycle: s -> t -> s; defined at s (line 15), t (line 16)", 15),
    ("  s: vector N\n  t: vector N\n  r: vector N\ndefinitions:\n  - s_i = t_i\n  - t_i = r_i\n  - r_i = 2 s_i\n",
     "definitions refer to each other in a cycle: s -> t -> r -> s; defined at s (line 16), t (line 17), r (line 18)", 16),
])
def test_self_referential_definitions_are_errors(front: str, message: str, line: int) -> None:
    error, error_line = file_error(front)
    assert message in error and error_line == line


def test_a_chain_of_definitions_through_every_letter_is_built_in_order() -> None:
    names = [n for n in "bdfgklmnpqrstwyzDEFGHJKLOPQRSUVXYZ"]
    symbols = "".join(f"  {n}: scalar\n" for n in names)
    # Written last-first: the order of dependencies, not of writing, decides.
    chain = "".join(f"  - {n} = {p} + 1\n" for p, n in reversed(list(zip(names, names[1:]))))
    front = symbols + "definitions:\n" + chain + f"  - {names[0]} = 1\n"
    assert only(f"{names[-1]} = {len(names)}", front=front) == "proved"


@pytest.mark.parametrize("value", [
    "((10^{64})^{64})^{64}",
    "(((10^{64})^{64})^{64})^{64}",
    "((2^{64})^{64})^{64} + 1",
])
def test_a_definition_that_is_a_tower_of_powers_is_refused_before_it_is_built(value: str) -> None:
    started = time.perf_counter()
    error, line = file_error("  r: scalar\ndefinitions:\n  - r = " + value + "\n")
    assert time.perf_counter() - started < 60  # a hang guard, not a speed test
    assert "would have more than 4000 digits" in error and line == 14


def test_towers_through_a_chain_of_definitions_are_refused() -> None:
    front = "  p: scalar\n  q: scalar\n  r: scalar\ndefinitions:\n  - p = 10^{64}\n  - q = p^{64}\n  - r = q^{64}\n"
    started = time.perf_counter()
    error, line = file_error(front)
    assert time.perf_counter() - started < 60  # a hang guard, not a speed test
    # p^64 = 10^4096 already has more than 4000 digits.
    assert "definition 'q = p^{64}': p^64 would have more than 4000 digits" in error and line == 17


def test_squaring_definitions_are_refused_when_their_numbers_grow_too_large() -> None:
    names = "bdfgklmnpqrstwyz"
    squares = "".join(f"  - {n} = {p} {p}\n" for p, n in zip(names, names[1:]))
    symbols = "".join(f"  {n}: scalar\n" for n in names)
    error, line = file_error(symbols + "definitions:\n  - b = 10^{60}\n" + squares)
    # 10^60 squared 6 times has 3840 digits; the 7th square (of m, into n) is refused.
    assert "definition 'n = m m'" in error and "more than 4000 digits" in error
    assert line == 12 + len(names) + 1 + 7


def test_an_exponent_that_is_a_huge_defined_number_is_refused() -> None:
    front = "  p: scalar\ndefinitions:\n  - p = 10^{60}\n"
    ((line, verdict, message),) = steps(r"2^{p} = a", front=front)
    assert (line, verdict) == (FIRST + 3, "error") and "exponent p is too large" in message


def test_many_large_factors_in_one_member_are_refused() -> None:
    product = r" \cdot ".join(["10^{64}"] * 70)
    ((line, verdict, message),) = steps(f"h({product}) = a")
    assert (line, verdict) == (FIRST, "error") and "more than 4000 digits" in message


def test_moderate_powers_are_still_exact() -> None:
    assert only(r"(10^{32})^{2} = 10^{64}") == "proved"
    assert only(r"(10^{32})^{2} = 10^{63}") == "refuted"
    assert only(r"(a^{8})^{8} = a^{64}") == "proved"


def test_definitions_are_built_under_the_step_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from deriv.meaning import declarations

    real = declarations._definition

    def slow(*args, **kwargs):
        time.sleep(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(declarations, "_definition", slow)
    text = HEAD % "  r: scalar\ndefinitions:\n  - r = 2 a\n" + "$$ r = 2 a $$\n"
    started = time.perf_counter()
    result = deriv.check_text(text, "binding.md", CheckOptions(timeout=0.3, isolate=False))
    assert time.perf_counter() - started < 60  # a hang guard, not a speed test
    # out of time is a timeout on the definition's line (the checker could not say), not an error of the text
    (step,) = result.steps
    assert step.verdict == deriv.Verdict.TIMEOUT and "ran out of the 0.3 s budget" in step.message
    assert step.line == 14


def test_sums_adopted_from_sympy_bind_their_own_dummies() -> None:
    from sympy import IndexedBase, Sum, symbols

    from deriv.api import decide

    u, v = IndexedBase("u"), IndexedBase("v")
    k, l, N, M = symbols("k l N M")
    shapes = {"u": "vector N", "v": "vector M"}
    two_sizes = Sum(u[k], (k, 0, N - 1)) + Sum(v[k], (k, 0, M - 1))
    assert decide(two_sizes, Sum(u[l], (l, 0, N - 1)) + Sum(v[l], (l, 0, M - 1)), shapes).verdict.value == "proved"
    outside = u[k] * Sum(u[k], (k, 0, N - 1))
    assert decide(outside, Sum(u[k] * u[l], (l, 0, N - 1)), shapes).verdict.value == "proved"
    assert decide(outside, Sum(u[l] * u[l], (l, 0, N - 1)), shapes).verdict.value == "refuted"
