"""Meaning, least sizes: a fixed index past 1 on a length that is one size (docs/format.md).

``w_2`` with ``w: vector K`` says the step is about ``K >= 2``: the step is
read, proved or refuted for those sizes only (its message says so), and no
test, shrink or post-proof check ever looks at a smaller size.  A length
written from sizes (``vector N+1``), a position with an index or a size in it,
and a definition or an assumption keep the rule that a position must fit at
every size.
"""

from __future__ import annotations

import re

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.engine import instances, shrink
from deriv.engine.minimums import least_sizes, respecting
from deriv.engine.plan import plan, proved_plan, small_assignments
from deriv.engine.sizes import Bound, assignment
from deriv.ir import entry, size

SYMBOLS = ("  x: vector N\n  w: vector K\n  A: matrix N x N\n  S: symmetric matrix N x N\n"
           "  B: matrix N x M\n  v: vector M\n  y: vector N+1\n  u: vector N+M")
N, K, M = size("N"), size("K"), size("M")


def document(*displays: str, symbols: str = SYMBOLS, extra: str = "") -> str:
    return f"---\nsymbols:\n{symbols}\n{extra}---\n\n" + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"


def steps(*displays: str, symbols: str = SYMBOLS, extra: str = ""):
    return deriv.check_text(document(*displays, symbols=symbols, extra=extra), options=CheckOptions(isolate=False)).steps


def single(display: str, **kwargs):
    (step,) = steps(display, **kwargs)
    return step


@pytest.fixture
def sizes_seen(monkeypatch):
    """Every size assignment an instance is made at, and every entry read outside its array."""
    seen: dict[str, list] = {"sizes": [], "outside": []}
    made = instances.Instance.__init__
    given_made = shrink.GivenInstance.__init__
    read = instances.Evaluator.declared_entry

    def instance(self, context, seed, trial, sizes, attempt=0):
        seen["sizes"].append(dict(sizes))
        made(self, context, seed, trial, sizes, attempt)

    def given_instance(self, context, sizes, arrays, seed=0, trial=0):
        seen["sizes"].append(dict(sizes))
        given_made(self, context, sizes, arrays, seed, trial)

    def declared_entry(self, name, indices):
        table = self.arrays.get(name)
        if isinstance(table, dict) and table and indices not in table:
            seen["outside"].append((name, indices, dict(self.instance.sizes)))
        return read(self, name, indices)

    monkeypatch.setattr(instances.Instance, "__init__", instance)
    monkeypatch.setattr(shrink.GivenInstance, "__init__", given_instance)
    monkeypatch.setattr(instances.Evaluator, "declared_entry", declared_entry)
    return seen


def at_least(seen: dict, least: dict[str, int]) -> None:
    assert seen["sizes"], "nothing was tested"
    assert not seen["outside"], seen["outside"][:3]
    for sizes in seen["sizes"]:
        for name, value in least.items():
            assert sizes[size(name)] >= value, (sizes, least)


# -- end to end ---------------------------------------------------------------------------------

@pytest.mark.parametrize("display, verdict, least", [
    ("A_{1,2} = A_{1,2}", "proved", {"N": 2}),
    ("A_{1,2} = A_{2,1}", "refuted", {"N": 2}),             # a general A
    ("S_{1,2} = S_{2,1}", "proved", {"N": 2}),             # a symmetric matrix
    ("A_{1,2} + A_{2,1} = 2 A_{1,2}", "refuted", {"N": 2}),
    ("w_1 = w_1", "proved", {}),
    ("x_{1} + w_2 = w_2 + x_1", "proved", {"K": 2}),
    ("w_3 = w_1", "refuted", {"K": 3}),
    ("w_2 w_5 = w_5 w_2", "proved", {"K": 5}),              # two fixed indices on one size: the larger
    ("x_3 + v_2 = v_2 + x_3", "proved", {"N": 3, "M": 2}),
    ("B_{3,2} = x_3 v_2", "refuted", {"N": 3, "M": 2}),     # one size on two arrays
    ("\\sum_{k=2}^{K} w_k = \\sum_{k=1}^{K} w_k - w_1", "proved", {}),
    ("\\sum_{k=3}^{K} w_k = \\sum_{k=1}^{K} w_k - w_1 - w_2", "proved", {"K": 2}),
    ("\\sum_{k=3}^{K} w_k = \\sum_{k=1}^{K} w_k - w_1", "refuted", {"K": 1}),
    ("\\sum_{i} x_i x_2 = x_2 \\sum_{i} x_i", "proved", {"N": 2}),
    ("\\sum_{i} A_{i,2} = \\sum_{i} A_{2,i}", "refuted", {"N": 2}),
    ("w_2 \\geq w_2", "proved", {"K": 2}),
    ("w_2^2 + 1 > 0", "proved", {"K": 2}),
    ("w_2 > w_1", "refuted", {"K": 2}),
    # a derivative by a fixed entry: the delta it makes is summed out where the entry exists
    ("\\frac{\\partial (w^T w)}{\\partial w_2} = 2 w_2", "proved", {"K": 2}),
    ("\\frac{\\partial (w^T w)}{\\partial w_2} = 2 w_1", "refuted", {"K": 2}),
    ("\\frac{\\partial (w^T w)}{\\partial w_1} = 2 w_1", "proved", {}),
    ("\\frac{\\partial (w^T w)}{\\partial w_K} = 2 w_K", "proved", {}),
    ("\\frac{\\partial (x^T A x)}{\\partial x_2} = \\sum_j (A_{2,j} + A_{j,2}) x_j", "proved", {"N": 2}),
    ("\\frac{\\partial (x^T A x)}{\\partial x_2} = 2 \\sum_j A_{2,j} x_j", "refuted", {"N": 2}),
    ("\\frac{\\partial (x^T S x)}{\\partial x_2} = 2 \\sum_j S_{2,j} x_j", "proved", {"N": 2}),
    ("\\frac{\\partial (v^T B^T x)}{\\partial x_3} = \\sum_j B_{3,j} v_j", "proved", {"N": 3}),
])
def test_a_fixed_index_makes_the_step_hold_from_that_size(sizes_seen, display, verdict, least):
    step = single(display)
    assert str(step.verdict) == verdict, step.message
    at_least(sizes_seen, least)
    named = {k: v for k, v in least.items() if v > 1}
    shown = ", ".join(f"{k} >= {v}" for k, v in sorted(named.items()))
    if named and verdict != "tested":
        assert f"for {shown}" in step.message, step.message
    if not named:
        assert ">=" not in step.message, step.message
    if step.counterexample is not None:
        at = dict(step.counterexample.sizes)
        assert all(at[k] >= v for k, v in least.items()), at


def test_a_counterexample_is_at_the_least_size_not_at_1():
    step = single("w_3 = w_1")
    assert str(step.verdict) == "refuted"
    assert dict(step.counterexample.sizes)["K"] == 3
    assert "for K >= 3" in step.message


def test_the_json_message_says_the_least_sizes():
    from deriv.render.json import step_to_json
    (step,) = steps("A_{1,2} = A_{1,2}")
    assert "for N >= 2" in step_to_json(step)["message"]


@pytest.mark.parametrize("display, words", [
    ("y_3 = y_3", ["entry 3 of y", "past y's length N + 1", "when N = 1"]),    # a length from sizes
    ("u_3 = u_3", ["entry 3 of u", "past u's length N + M", "when M = 1, N = 1"]),   # a sum of sizes
    ("u_3 + x_2 = x_2 + u_3", ["entry 3 of u"]),          # N >= 2 from x_2 does not lift u's check
    ("x_{N+1} = x_1", ["past x's length N"]),
    ("x_0 = x_0", ["numbered from 1"]),
    ("w_{K-1} = w_{K-1}", ["before its first entry", "when K = 1"]),     # an index with a size: as before
])
def test_what_is_not_a_number_on_one_size_keeps_the_rule(display, words):
    step = single(display)
    assert str(step.verdict) == "error"
    for word in words:
        assert word in step.message, step.message


@pytest.mark.parametrize("extra", ["definitions:\n  - c = w_2\n", "assumptions:\n  - w_2 > 0\n"])
def test_a_definition_or_an_assumption_with_a_fixed_index_keeps_the_rule(extra):
    # They hold for the whole document, whose other steps may be about K = 1.
    report = deriv.check_text(document("w_1 = w_1", extra=extra), options=CheckOptions(isolate=False))
    assert report.error and "w_{2} is entry 2 of w" in report.error and "when K = 1" in report.error


@pytest.mark.parametrize("display", [
    "\\sum_{k=2}^{K-1} w_k + w_1 + w_K = \\sum_{k=1}^{K} w_k + w_2 - w_2",   # false at K = 1 only
    "w_2 \\cdot 0 = 0",
])
def test_a_fixed_entry_that_cancels_is_an_error_not_a_step_read_at_size_1(display):
    step = single(display)
    assert str(step.verdict) == "error"
    assert "w_{2} cancels out of this member" in step.message and "K >= 2" in step.message


def test_a_chain_reads_each_step_at_its_own_sizes(sizes_seen):
    first, second = steps("w_2 + x_1 = x_1 + w_2 = x_1 + w_2 + 0")
    assert str(first.verdict) == str(second.verdict) == "proved"
    assert "for K >= 2" in first.message and "for K >= 2" in second.message
    assert not sizes_seen["outside"]


def test_a_step_without_the_fixed_index_is_still_tested_at_size_1():
    first, second = steps("w_2 = w_2", "\\sum_k w_k = \\sum_k w_k + (K - 1) w_1")
    assert str(first.verdict) == "proved"
    assert str(second.verdict) == "refuted" and dict(second.counterexample.sizes)["K"] >= 2
    third = single("\\sum_k w_k w_k = w_1^2")     # holds only at K = 1: refuted, not read as K >= 2
    assert str(third.verdict) == "refuted"


FAMILIES = "symbols:\n  h: vector H, for t in 1..T\n  g: vector H, for t in 0..T\n  A: matrix N x N\n  x: vector N\n"


@pytest.mark.parametrize("display, verdict, least", [
    ("h_2 = h_2", "proved", {"T": 2}),                 # a family from 1: its count is T
    ("h_3 = h_1", "refuted", {"T": 3}),
    ("(h_2)_3 = (h_2)_3", "proved", {"T": 2, "H": 3}),
    ("g_2 = g_2", "error", {}),                       # from 0: its count T + 1 is written from a size
    ("z_2 = \\sum_j A_{2,j} x_j", "proved", {"N": 2}),   # an entry of a defined vector
    ("z_2 = \\sum_j A_{j,2} x_j", "refuted", {"N": 2}),
])
def test_members_and_defined_names(sizes_seen, display, verdict, least):
    text = f"---\n{FAMILIES}definitions:\n  - z = A x\n---\n\n$$ {display} $$\n"
    (step,) = deriv.check_text(text, options=CheckOptions(isolate=False)).steps
    assert str(step.verdict) == verdict, step.message
    if verdict != "error":
        at_least(sizes_seen, least)
        assert "for " + ", ".join(f"{k} >= {v}" for k, v in sorted(least.items())) in step.message


def test_a_delta_is_summed_out_only_where_the_entry_exists():
    from deriv.engine.normal import Normalizer
    from deriv.ir import delta
    k = sympy.Symbol("k", integer=True)
    body = sympy.Sum(delta(k, 1) * entry("w", k), (k, 0, K - 1))
    assert Normalizer({}).normal_form(body) != Normalizer({}).normal_form(entry("w", 1))    # K may be 1
    assert Normalizer({}, least={K: 2}).normal_form(body) == Normalizer({}).normal_form(entry("w", 1))
    assert Normalizer({}, least={K: 2}).normal_form(sympy.Sum(delta(k, 2) * entry("w", k), (k, 0, K - 1))) != \
        Normalizer({}).normal_form(entry("w", 2))                                                      # K = 2 has no w_3
    last = sympy.Sum(delta(k, K - 1) * entry("w", k), (k, 0, K - 1))
    assert Normalizer({}).normal_form(last) == Normalizer({}).normal_form(entry("w", K - 1))
    past = sympy.Sum(delta(k, K) * entry("w", k), (k, 0, K - 1))
    assert Normalizer({}).normal_form(past) != Normalizer({}).normal_form(entry("w", K))


@pytest.mark.parametrize("display, verdict, sizes", [
    # a least size above another size's base: the sizes still meet unequal, and in both orders
    ("\\sum_{i=1}^{N} x_5 = \\sum_{j=1}^{M} x_5", "refuted", None),
    ("\\sum_{i=1}^{N} x_5 v_5 = \\sum_{j=1}^{M} x_5 v_5", "refuted", None),          # both at least 5: still distinct
    ("\\sum_{i=1}^{N} x_5 v_5 w_5 = \\sum_{j=1}^{K} x_5 v_5 w_5", "refuted", None),
    ("\\sqrt{(K-M)^2} w_3 = (K - M) w_3", "refuted", {"K": 3, "M": 4}),   # only where K < M: shrunk there
    ("\\sqrt{(M-K)^2} w_3 = (M - K) w_3", "refuted", None),
    # where the least size is the edge: true from it on, false just below another edge
    ("\\sqrt{(N-3)^2} x_3 = (N - 3) x_3", "tested", None),                 # true for N >= 3
    ("\\sqrt{(N-4)^2} x_3 = (N - 4) x_3", "refuted", {"N": 3}),           # false at N = 3 only: "size 1" is 3
    ("x_4 (N - 4) = 0", "refuted", None),
])
def test_least_sizes_against_the_plan_order(sizes_seen, display, verdict, sizes):
    step = single(display)
    assert str(step.verdict) == verdict, step.message
    assert not sizes_seen["outside"]
    if sizes is not None:
        at = dict(step.counterexample.sizes)
        assert {k: at[k] for k in sizes} == sizes, at


@pytest.mark.parametrize("display, verdict", [
    ("\\sum_{k=2}^{K} w_k = \\sum_{k=1}^{K} w_k - w_1", "proved"),
    ("\\sum_{k=2}^{K} w_k = \\sum_{k=1}^{K} w_k - w_2", "refuted"),
    ("\\sum_{k=3}^{K} w_k = \\sum_{k=1}^{K} w_k - w_1 - w_2", "proved"),        # K >= 2 from w_2: K = 2 is empty
    ("\\sum_{k=3}^{K} w_k = \\sum_{k=3}^{K} w_k", "proved"),
    ("\\sum_{k=3}^{K} w_k + w_1 = \\sum_{k=1}^{K} w_k", "refuted"),
    ("\\sum_{k=1}^{K-1} w_k = \\sum_{k=1}^{K} w_k - w_K", "proved"),
    ("\\sum_{k=2}^{K-1} w_k = \\sum_{k=1}^{K} w_k - w_1 - w_K", "refuted"),     # K = 1: w_1 is both ends
    ("\\sum_{k=2}^{K-1} w_k w_2 = (\\sum_{k=1}^{K} w_k - w_1 - w_K) w_2", "proved"),   # K >= 2: fine
    ("\\sum_{k=1}^{N-1} (x_{k+1} - x_k) = x_N - x_1", "proved"),
    ("\\sum_{k=1}^{N-1} (x_{k+1} - x_k) = x_N - x_2", "refuted"),
    ("\\sum_{k=1}^{N-1} x_{k+1} v_1 = v_1 \\sum_{k=2}^{N} x_k", "proved"),
])
def test_a_sum_over_all_but_its_ends(sizes_seen, display, verdict):
    step = single(display)
    assert str(step.verdict) == verdict, step.message
    assert not sizes_seen["outside"]


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 4), st.integers(0, 4), st.integers(-2, 2), st.integers(1, 4), st.booleans())
def test_peeling_is_the_same_sum_at_every_size_read(low, high, shift, least, two):
    from deriv.engine.normal import Normalizer
    from deriv.engine.peeling import whole_range
    k = sympy.Symbol("k", integer=True)
    body = entry("w", k + shift) * (entry("v", k + shift) if two else 3)
    written = sympy.Sum(body, (k, low - shift, K - high - 1 - shift))
    peeled = whole_range(written, Normalizer({}, least={K: least})._inside)
    if peeled is None:
        assert (low, high) == (0, 0) or low + high > least or max(low, high) > 4
        return
    assert low + high <= least
    for n in range(least, 9):       # every size the step is read at: a formal identity in the entries
        at = {K: n}
        assert sympy.expand(written.xreplace(at).doit() - peeled.xreplace(at).doit()) == 0, (n, peeled)


# -- the plan at least sizes --------------------------------------------------------------------

def test_least_sizes_are_read_off_the_fixed_entries():
    from deriv.context import Context, Declared
    from deriv.names import Kind
    context = Context(declared={"w": Declared("w", Kind.VECTOR, (K, sympy.Integer(1))),
                                "A": Declared("A", Kind.MATRIX, (N, M))}, sizes=(N, K, M))
    i = sympy.Symbol("i", integer=True)
    found = least_sizes([entry("w", 2) + entry("A", 0, 4) * entry("w", 0) + entry("A", 1, i)], context)
    assert found == {K: 3, M: 5, N: 2}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(0, 3), st.integers(1, 6)),
       st.lists(st.integers(1, 9), min_size=4, max_size=4))
def test_respecting_raises_to_the_least_and_keeps_every_order(least_at, values):
    sizes = (N, K, M, size("T"))
    least = {sizes[k]: v for k, v in least_at.items()}
    before = dict(zip(sizes, values))
    after = respecting(before, least)
    for s in sizes:
        assert after[s] >= max(before[s], least.get(s, 1))
        for t in sizes:
            if before[s] < before[t]:
                assert after[s] < after[t]
    if all(before[s] >= v for s, v in least.items()):
        assert after == before


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.dictionaries(st.integers(0, 3), st.integers(2, 9), min_size=1),
       st.booleans(), st.booleans())
def test_every_planned_assignment_is_at_least_the_least(count, least_at, claim, signed):
    sizes = tuple(size(n) for n in "NKMT"[:count])
    least = {sizes[k]: v for k, v in least_at.items() if k < count}
    bound = Bound({s: 1 for s in sizes}, 2)
    for made in (plan(sizes, bound, least=least, claim=claim, signed=signed),
                 plan(sizes, Bound({}, 0, "not a polynomial"), least=least),
                 proved_plan(sizes, frozenset(sizes), least)):
        for trial in made.trials:
            assert all(trial.sizes[s] >= v for s, v in least.items()), (trial, least)
        grid = [t.sizes for t in made.trials[: made.grid]]
        for values in grid:            # the grid's sizes stay pairwise distinct
            assert len(set(values.values())) == len(values)
    ones = {s: 1 for s in sizes}
    assert respecting(ones, least) == {s: least.get(s, 1) for s in sizes}   # "size 1" is the least size


def test_the_grid_keeps_distinct_nodes_per_size_and_both_parities():
    sizes = (N, K)
    values = [assignment(sizes, {K: level}, {K: 5})[K] for level in range(4)]
    assert len(set(values)) == 4 and {v % 2 for v in values} == {0, 1} and min(values) >= 5
    assert assignment(sizes, {}, {N: 6}) != assignment(sizes, {}, {})
    base = assignment(sizes, {}, {N: 6})
    assert base[N] >= 6 and base[N] != base[K]


def test_the_other_order_is_the_opposite_of_the_base_order():
    sizes = (N, K, M)
    least = {N: 4}
    base = assignment(sizes, {}, least)
    other = small_assignments(sizes, list(sizes), least)[-1]
    other = respecting(other, least)
    for s in sizes:
        for t in sizes:
            if base[s] < base[t]:
                assert other[s] > other[t], (base, other)


# -- against an independent reference ----------------------------------------------------------

_ARRAYS = {"w": ("K",), "x": ("N",), "v": ("M",), "A": ("N", "N"), "B": ("N", "M")}


def _entry(draw) -> tuple[str, list[tuple[str, int]]]:
    name = draw(st.sampled_from(sorted(_ARRAYS)))
    positions = [draw(st.integers(1, 4)) for _ in _ARRAYS[name]]
    latex = f"{name}_{{{','.join(map(str, positions))}}}"
    return latex, list(zip(_ARRAYS[name], positions))      # A_{3,2}: N twice


@st.composite
def _sides(draw):
    terms = []
    for _ in range(draw(st.integers(1, 3))):
        factors = [_entry(draw) for _ in range(draw(st.integers(1, 2)))]
        coefficient = draw(st.integers(-2, 2).filter(bool))
        terms.append((coefficient, factors))
    return terms


def _latex(terms) -> str:
    out = ""
    for coefficient, factors in terms:
        body = " ".join(f for f, _ in factors)
        sign = "-" if coefficient < 0 else "+"
        out += f" {sign} {abs(coefficient)} {body}" if out or sign == "-" else f"{coefficient} {body}"
    return out.strip()


def _reference(terms) -> sympy.Expr:
    return sympy.Add(*(c * sympy.Mul(*(sympy.Symbol(f) for f, _ in factors)) for c, factors in terms))


def _cancels(terms) -> bool:
    """Whether a fixed entry past 1 is written in a side but cancels out of it (``v_2 - v_2``), and
    no entry left in the side needs as much of that size (``x_4 - x_4 + A_{1,4}`` still needs N >= 4)."""
    kept = {str(s) for s in sympy.expand(_reference(terms)).free_symbols}
    entries = [(f, needs) for _, factors in terms for f, needs in factors]
    left: dict[str, int] = {}
    for f, needs in entries:
        for name, value in needs if f in kept else ():
            left[name] = max(left.get(name, 1), value)
    return any(f not in kept and any(v > left.get(name, 1) for name, v in needs) for f, needs in entries)


@settings(max_examples=25, deadline=None)
@given(_sides(), _sides(), st.booleans())
def test_fixed_entries_against_polynomials_in_the_entries(left, right, same):
    if same:
        right = list(reversed(left))
    least: dict[str, int] = {}
    for _, factors in left + right:
        for _, needs in factors:
            for name, value in needs:
                least[name] = max(least.get(name, 1), value)
    step = single(f"{_latex(left)} = {_latex(right)}")
    if _cancels(left) or _cancels(right):  # a member without the entry that sets its least size
        assert str(step.verdict) == "error" and "cancels out" in step.message, (step.verdict, step.message)
        return
    equal = sympy.expand(_reference(left) - _reference(right)) == 0
    assert str(step.verdict) == ("proved" if equal else "refuted"), (step.verdict, step.message)
    named = {k: v for k, v in least.items() if v > 1}
    for name, value in named.items():
        assert f"{name} >= {value}" in step.message, step.message
    if not named:
        assert not re.search(r"[A-Z] >= \d", step.message), step.message
    if step.counterexample is not None:
        at = dict(step.counterexample.sizes)
        assert all(at[k] >= v for k, v in least.items()), at
