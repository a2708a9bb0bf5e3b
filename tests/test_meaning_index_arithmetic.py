"""Meaning, index arithmetic and fixed indices (docs/format.md).

``x_{i+k-1}``, ``y_{t+1}``, ``A_{1,2}``, ``w_1``, ``x_{1}``, ``x_{N}``: a
subscript may be an integer affine expression of indices and sizes.  Every
position must provably lie inside its array at every size and every index
value in range; otherwise an ``error`` names the case.  Sums with other
bounds (``\\sum_{k=2}^{K}``, ``\\sum_{j=1}^{i}``, ``\\sum_{i=1}^{N-K+1}``) are
read; the tester evaluates them exactly, and the symbolic side leaves sums
that may be empty or whose bounds depend on another index to the tester.
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.ir import index, size
from deriv.meaning.positions import Interval, counts_terms, extreme, never_negative

SYMBOLS = "  x: vector N\n  w: vector K\n  A: matrix N x N\n  B: matrix N x M\n  v: vector M"


def steps(*displays: str, symbols: str = SYMBOLS):
    text = f"---\nsymbols:\n{symbols}\n---\n\n" + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    return deriv.check_text(text, options=CheckOptions(isolate=False)).steps


def verdicts(*displays: str, symbols: str = SYMBOLS) -> list[str]:
    return [str(s.verdict) for s in steps(*displays, symbols=symbols)]


def single(display: str, symbols: str = SYMBOLS):
    (step,) = steps(display, symbols=symbols)
    return str(step.verdict), step.message


# -- fixed indices ------------------------------------------------------------------------

@pytest.mark.parametrize("display, expected", [
    ("x_1 + x_{1} = 2 x_1", "proved"),
    ("x_1 = x_{1}", "proved"),
    ("x_{N} = x_N", "proved"),
    ("x_1 x_N = x_N x_1", "proved"),
    ("x_1 = x_N", "refuted"),            # differ at N > 1
    ("x_{N} = x_{1}", "refuted"),
    ("\\sum_i x_i = x_1", "refuted"),
    ("\\sum_{k=1}^{N} x_k x_1 = x_1 \\sum_k x_k", "proved"),
])
def test_a_number_or_a_size_selects_one_entry(display, expected):
    assert verdicts(display) == [expected]


@pytest.mark.parametrize("display, words", [
    # w_5, x_2, A_{1,2} on a length that is one size are read for K >= 5 ...: tests/test_meaning_least_sizes.py
    ("x_{N+2} = x_{N+2}", ["entry N + 2 of x", "past x's length N"]),
    ("x_0 = x_0", ["entry 0 of x", "numbered from 1"]),
    ("x_{N+1} = x_1", ["entry N + 1 of x", "past x's length N"]),
    ("v_{N} = v_1", ["entry N of v", "past v's length M", "when M = 1, N = 2"]),
])
def test_a_fixed_index_past_the_length_is_an_error(display, words):
    verdict, message = single(display)
    assert verdict == "error"
    for word in words:
        assert word in message, message


def test_a_matrix_entry_needs_two_positions():
    verdict, message = single("A_{12} = A_{1,2}")
    assert verdict == "error" and "A_{12} names one position" in message and "comma" in message
    verdict, message = single("\\sum_i A_{i1} = 0")
    assert verdict == "error" and "comma" in message


def test_a_declared_x_1_is_a_name_and_an_undeclared_one_an_entry():
    assert verdicts("x_1 + x_1 = 2 x_1", symbols="  x: vector N") == ["proved"]
    # declared as well: two readings, an error (item 1)
    verdict = verdicts("x_1 = x_1", symbols="  x: vector N\n  x_1: scalar")
    assert verdict == ["error"]


# -- index arithmetic -------------------------------------------------------------------------

CONVOLUTION = "\\sum_{i=1}^{N-K+1} \\sum_{k=1}^{K} w_k x_{i+k-1}"


@pytest.mark.parametrize("display, expected", [
    (f"{CONVOLUTION} = \\sum_{{k=1}}^{{K}} \\sum_{{i=1}}^{{N-K+1}} x_{{i+k-1}} w_k", "proved"),  # empty past K = N+1 on both sides
    (f"{CONVOLUTION} = \\sum_{{k=1}}^{{K}} \\sum_{{i=1}}^{{N-K+1}} x_{{i+k}} w_k", "error"),  # x_{N+1}
    (f"{CONVOLUTION} = \\sum_{{k=1}}^{{K}} \\sum_{{i=1}}^{{N-K+1}} x_{{i+k-1}} w_{{K-k+1}}", "refuted"),
    (f"{CONVOLUTION} = \\sum_{{i=1}}^{{N-K}} \\sum_{{k=1}}^{{K}} w_k x_{{i+k-1}}", "refuted"),  # one term short
    (f"{CONVOLUTION} = \\sum_{{i=1}}^{{N-K+1}} \\sum_{{k=1}}^{{K}} w_k x_{{i+k-1}} + 0", "proved"),
    ("\\sum_{i=1}^{N-K+1} 1 = N - K + 1", "refuted"),           # 0 terms, not -1, at K = N + 2
    ("\\sum_{i=1}^{N-2} 1 = \\sum_{i=3}^{N} 1", "tested"),       # a count that may be negative is not proved
    ("\\sum_{k=1}^{N-2} x_k = \\sum_{k=1}^{N-2} x_k", "proved"),
])
def test_a_convolution_written_as_an_index_sum(display, expected):
    assert verdicts(display) == [expected]


def test_a_convolution_past_its_signal_names_the_case():
    verdict, message = single("\\sum_{i=1}^{N} \\sum_{k=1}^{K} w_k x_{i+k-1} = 0")
    assert verdict == "error"
    assert "x_{i + k - 1} at i = N, k = K is entry N + K - 1 of x, past x's length N when K = 2" in message, message


@pytest.mark.parametrize("display, words", [
    ("\\sum_{k=1}^{K} x_{N-k} = 0", ["x_{N - k} at k = K is entry N - K of x", "numbered from 1", "when"]),
    ("\\sum_{k=1}^{N} x_{k+1} = 0", ["x_{k + 1} at k = N is entry N + 1 of x", "past x's length N"]),
    ("\\sum_{k=1}^{N} x_{k-1} = 0", ["at k = 1 is entry 0 of x"]),
    ("x_i = \\sum_{k=1}^{K} x_{i-k}", ["x_{i - k}", "numbered from 1"]),
    ("x_i = x_{2i}", ["x_{2 i} at i = N is entry 2N of x"]),
    ("x_i = x_{i+1}", ["x_{i + 1} at i = N is entry N + 1 of x"]),
    ("\\sum_{i=0}^{N-1} A_{i,i} = 0", ["A_{i,i} at i = 0 is entry 0 of A", "numbered from 1"]),
])
def test_a_position_that_leaves_the_array_is_an_error(display, words):
    verdict, message = single(display)
    assert verdict == "error", message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("display", [
    "x_{i+i} = x_i",         # not the same index twice in arithmetic: 2i, past N
    "x_{N i} = 0",           # a size times an index is not affine
    "x_{i k} = 0",           # two indices for a vector
    "x_{1i} = 0",
])
def test_what_is_not_an_affine_position_is_an_error(display):
    verdict, message = single(display)
    assert verdict == "error", message


@pytest.mark.parametrize("display, expected", [
    ("\\sum_{k=1}^{N-1} x_{k+1} = \\sum_{k=2}^{N} x_k", "proved"),   # a shift: both N - 1 terms
    ("\\sum_{k=1}^{N-1} x_{k+1} = \\sum_{k=1}^{N} x_k - x_1", "proved"),   # the whole sum less its first term
    ("\\sum_{k=1}^{N-1} x_{k+1} = \\sum_{k=1}^{N} x_k - x_N", "refuted"),   # off by one
    ("\\sum_{k=1}^{N-1} x_{k+1} = \\sum_{k=2}^{N-1} x_k", "refuted"),
    ("\\sum_{k=1}^{N-1} x_k x_{k+1} = \\sum_{k=2}^{N} x_{k-1} x_k", "proved"),
    ("\\sum_{k=1}^{N-1} (x_{k+1} - x_k) = x_N - x_1", "proved"),            # telescoping: each part peeled
    ("\\sum_{k=1}^{N-1} (x_{k+1} - x_k) = x_N", "refuted"),
])
def test_shifted_sums(display, expected):
    assert verdicts(display) == [expected]


# -- sums whose bounds depend on another index ---------------------------------------------

@pytest.mark.parametrize("display, expected", [
    ("\\sum_{i=1}^{N} \\sum_{j=i}^{N} A_{i,j} = \\sum_{j=1}^{N} \\sum_{i=1}^{j} A_{i,j}", "tested"),
    ("\\sum_{i=1}^{N} \\sum_{j=i}^{N} A_{i,j} = \\sum_{j=1}^{N} \\sum_{i=1}^{j} A_{j,i}", "refuted"),
    ("\\sum_{i=1}^{N} \\sum_{j=1}^{i} A_{i,j} = \\sum_{j=1}^{N} \\sum_{i=j}^{N} A_{i,j}", "tested"),
    ("\\sum_{i=1}^{N} \\sum_{j=1}^{i} A_{i,j} = \\sum_{j=1}^{N} \\sum_{i=j+1}^{N} A_{i,j}", "refuted"),
    ("x_i = \\sum_{j=1}^{i} x_j - \\sum_{j=1}^{i-1} x_j", "tested"),
    ("x_i = \\sum_{j=1}^{i} x_j - \\sum_{j=1}^{i-2} x_j", "refuted"),
    ("\\sum_{j=1}^{N} x_j = \\sum_{i=1}^{N} \\sum_{j=i}^{i} x_j", "tested"),
])
def test_triangular_sums(display, expected):
    assert verdicts(display) == [expected]


def test_a_triangular_sum_past_the_array_is_an_error():
    verdict, message = single("\\sum_{i=1}^{N} \\sum_{j=1}^{i+1} A_{i,j} = 0")
    assert verdict == "error" and "A_{i,j} at" in message and "past A's length N" in message, message


def test_a_bound_with_an_unknown_index_is_an_error():
    verdict, message = single("\\sum_{j=1}^{i} x_j = 0")
    assert verdict == "error" and "cannot tell the range of i" in message


def test_an_index_with_bounds_can_not_feed_a_delta():
    verdict, message = single("\\sum_{j=2}^{N} \\delta_{j,k} x_k = 0")
    assert verdict == "error", message


# -- the pieces -----------------------------------------------------------------------------------

N, K, M = size("N"), size("K"), size("M")
i, j = index("i"), index("j")


@pytest.mark.parametrize("expr, expected", [
    (N - 1, True), (N + K - 2, True), (N - K, False), (sympy.Integer(0), True), (sympy.Integer(-1), False),
    (N * K - 1, True), (N - K * 0 - 2, False), (2 * N - K - 1, False),
])
def test_never_negative_is_sound(expr, expected):
    assert never_negative(expr, frozenset({N, K, M})) is expected


@settings(max_examples=200, deadline=None)
@given(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3))
def test_never_negative_agrees_with_every_small_size(a, b, c):
    expr = a * N + b * K + c
    if never_negative(expr, frozenset({N, K})):
        assert all(a * n + b * k + c >= 0 for n in range(1, 9) for k in range(1, 9))


@pytest.mark.parametrize("extent, expected", [(N, True), (N - K + 1, False), (K - 1, True), (i + 1, False),
                                              (sympy.Integer(3), True), (sympy.Integer(-1), False)])
def test_a_sum_counts_terms_only_where_its_extent_is_never_negative(extent, expected):
    assert counts_terms(extent) is expected


@settings(max_examples=200, deadline=None)
@given(st.integers(-2, 2), st.integers(-2, 2), st.integers(-2, 2), st.integers(1, 5), st.booleans())
def test_extreme_is_the_largest_over_a_triangle(a, b, c, n, largest):
    # j runs from 0 to i, i from 0 to N-1 (the 0-based \sum_{j=1}^{i})
    position = a * i + b * j + c
    intervals = {i: Interval(sympy.S.Zero, N - 1), j: Interval(sympy.S.Zero, i)}
    value, _ = extreme(position, intervals, largest)
    points = [a * p + b * q + c for p in range(n) for q in range(p + 1)]
    assert value.xreplace({N: n}) == (max(points) if largest else min(points))


# -- lengths written from sizes: a convolution's signal is M+K-1 long ------------------------

CONV_FRONT = """---
symbols:
  x: vector M+K-1
  w: vector K
  y: vector M
definitions:
  - y_i = \\sum_{k=1}^{K} w_k x_{i+k-1}
---

"""


def conv(*displays: str) -> list[str]:
    text = CONV_FRONT + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    return [str(s.verdict) for s in deriv.check_text(text, options=CheckOptions(isolate=False)).steps]


@pytest.mark.parametrize("display, expected", [
    ("y_i = \\sum_{k=1}^{K} w_k x_{i+k-1}", "proved"),
    ("y_i = \\sum_{k=1}^{K} w_{K-k+1} x_{i+k-1}", "refuted"),       # a flipped kernel
    ("y_i = \\sum_{k=1}^{K} w_k x_{i+K-k}", "refuted"),
    ("y_1 = \\sum_{k=1}^{K} w_k x_k", "proved"),                    # x_k: k <= K < M+K
    ("y_M = \\sum_{k=1}^{K} w_k x_{M+k-1}", "proved"),
    ("\\sum_{i=1}^{M} y_i = \\sum_{k=1}^{K} w_k \\sum_{i=1}^{M} x_{i+k-1}", "proved"),
    ("\\frac{\\partial}{\\partial w_m} \\sum_{i=1}^{M} y_i^2 = 2 \\sum_{i=1}^{M} y_i x_{i+m-1}", "proved"),
    ("\\frac{\\partial}{\\partial w_m} \\sum_{i=1}^{M} y_i^2 = 2 \\sum_{i=1}^{M} y_i x_{i+K-m}", "refuted"),
    ("\\frac{\\partial}{\\partial w_m} \\sum_{i=1}^{M} y_i^2 = 2 \\sum_{i=1}^{M} y_i x_{i+m}", "error"),  # x_{M+K}
    ("y_M = \\sum_{k=1}^{K} w_k x_{M+k}", "error"),
    ("y_i = \\sum_{k=1}^{K} w_k x_{i+k-2}", "error"),                # x_0
])
def test_a_convolution_over_a_signal_of_length_m_plus_k_minus_1(display, expected):
    assert conv(display) == [expected]


@pytest.mark.parametrize("kind, sizes", [
    ("vector M+K-1", ("M+K-1",)), ("vector M + K - 1", ("M+K-1",)), ("matrix N+1 x M", ("N+1", "M")),
    ("matrix N + 1 x 2M", ("N+1", "2M")), ("vector N", ("N",)), ("matrix R x C", ("R", "C")),
])
def test_a_length_may_be_written_from_sizes(kind, sizes):
    from deriv.read.kinds import parse_kind
    assert parse_kind(kind)[1] == sizes


@pytest.mark.parametrize("kind", ["vector 0", "vector N K", "vector N+", "vector 2 N", "matrix N x x M"])  # N*K: a product, now
def test_what_is_no_length_is_refused(kind):
    from deriv.read.kinds import parse_kind
    with pytest.raises(ValueError):
        parse_kind(kind)


@pytest.mark.parametrize("length, case", [("N-K+1", "at K = 2, N = 1 it is 0"), ("N-1", "at N = 1 it is 0"),
                                          ("K-N", "at K = 1, N = 1 it is 0")])
def test_a_length_that_may_be_below_1_is_an_error_that_says_what_to_write(length, case):
    text = f"---\nsymbols:\n  x: vector N\n  w: vector K\n  y: vector {length}\n---\n\n$$ y_1 = y_1 $$\n"
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is not None and case in result.error and "x: vector M+K-1" in result.error, result.error


def test_lengths_written_from_sizes_keep_shapes_exact():
    symbols = "  X: matrix N+1 x M\n  v: vector M\n  u: vector N+1\n  A: matrix N x N"
    assert verdicts("u^T X v = v^T X^T u", "(X v)_{N+1} = \\sum_j X_{N+1,j} v_j", "X v = X^T u", symbols=symbols) == [
        "proved", "proved", "error"]


# -- a step index: h_{t+1} beside h_t, t's range fixed by indices: ---------------------------

STEP_FRONT = "---\nsymbols:\n  h: vector T+1\n  x: vector T\nindices:\n  t: T\n---\n\n"


@pytest.mark.parametrize("display, expected", [
    ("h_{t+1} - h_t = h_{t+1} - h_t", "proved"),
    ("h_{t+1} = h_t", "refuted"),
    ("\\sum_{t=1}^{T} (h_{t+1} - h_t) = h_{T+1} - h_1", "tested"),
    ("\\sum_{t=1}^{T} (h_{t+1} - h_t) = h_{T} - h_1", "refuted"),
    ("h_{t+2} = h_t", "error"),          # h_{T+2}
    ("x_{t+1} = x_t", "error"),          # x_{T+1}
    ("h_{t-1} = h_t", "error"),          # h_0
    ("\\sum_t x_t = \\sum_{t=1}^{T} x_t", "proved"),
    ("\\sum_t h_t = \\sum_{t=1}^{T} h_t", "error"),   # a sum without bounds runs over h's whole range
])
def test_a_step_index_with_a_declared_range(display, expected):
    text = STEP_FRONT + f"$$ {display} $$\n"
    assert [str(s.verdict) for s in deriv.check_text(text, options=CheckOptions(isolate=False)).steps] == [expected]


# -- the range check against brute force ------------------------------------------------------

_k = index("k")
_LENGTHS = [N, K, N + K - 1, 2 * N, N + 1]
_UPPERS = [N - 1, K - 1, N - K, i, sympy.Integer(2)]   # 0-based highest value of k (its sum's bound)


@settings(max_examples=150, deadline=None)
@given(st.integers(-2, 2), st.integers(-2, 2), st.integers(-3, 3), st.integers(-1, 1), st.integers(-1, 1),
       st.sampled_from(_LENGTHS), st.sampled_from(_UPPERS))
def test_a_position_passes_the_check_only_if_it_is_inside_at_every_small_size(a, b, c, d, e, length, upper):
    from deriv.meaning.positions import Access, access_problem
    position = a * i + b * _k + c + d * N + e * K
    intervals = {i: Interval(sympy.S.Zero, N - 1), _k: Interval(sympy.S.Zero, upper)}
    problem = access_problem(Access("x", "x", position, position, length), intervals, frozenset({N, K}), str)
    outside = []
    for n in range(1, 7):
        for kk in range(1, 7):
            sizes = {N: n, K: kk}
            for p in range(n):
                top = int(upper.xreplace({**sizes, i: p}))
                for q in range(0, top + 1):
                    value = int(position.xreplace({**sizes, i: p, _k: q}))
                    if not 0 <= value < int(length.xreplace(sizes)):
                        outside.append((n, kk, p, q))
    if problem is None:  # sound: never passed while some entry leaves (an error may be conservative)
        assert not outside, outside[:3]


# -- shifted sums against their meaning -------------------------------------------------------------

@settings(max_examples=20, deadline=None)
@given(st.integers(1, 3), st.integers(0, 2), st.integers(-1, 1), st.integers(-1, 1))
def test_a_shift_of_the_summed_index_is_read_as_written(low, trim, shift, slip):
    # \sum_{k=low}^{N-trim} x_{k+shift} = \sum_{k=low+shift}^{N-trim+shift} x_{k+slip}: true iff slip = 0,
    # and every entry named must exist (an error otherwise: never a verdict on a misreading)
    upper = f"N-{trim}" if trim else "N"
    right_upper = f"N{shift - trim:+d}" if shift - trim else "N"
    left = f"\\sum_{{k={low}}}^{{{upper}}} x_{{k{shift:+d}}}" if shift else f"\\sum_{{k={low}}}^{{{upper}}} x_k"
    right = f"\\sum_{{k={low + shift}}}^{{{right_upper}}} x_{{k{slip:+d}}}" if slip else \
        f"\\sum_{{k={low + shift}}}^{{{right_upper}}} x_k"
    (verdict,) = verdicts(f"{left} = {right}")
    inside_left = low + shift >= 1 and shift - trim <= 0           # x_{low+shift} .. x_{N-trim+shift}
    inside_right = inside_left and low + shift + slip >= 1 and shift - trim + slip <= 0
    if not (inside_left and inside_right):
        assert verdict == "error"
    elif slip == 0:
        assert verdict in ("proved", "tested")
    else:
        assert verdict == "refuted"


# -- nested sums whose inner bound follows the outer index, against a direct count -------------------

def _polynomial_latex(poly: sympy.Expr, n: sympy.Symbol) -> str:
    """A polynomial in ``n`` with rational coefficients as LaTeX deriv reads (``\\frac{1}{2} N^{2} - 3``)."""
    terms = []
    for (power,), coefficient in sympy.Poly(poly, n).terms():
        c = sympy.Rational(coefficient)
        magnitude = f"\\frac{{{abs(c.p)}}}{{{c.q}}}" if c.q != 1 else str(abs(c.p))
        factor = "" if power == 0 else (" N" if power == 1 else f" N^{{{power}}}")
        terms.append(("-" if c < 0 else "+", magnitude + factor))
    if not terms:
        return "0"
    text = ("-" if terms[0][0] == "-" else "") + terms[0][1]
    return text + "".join(f" {sign} {body}" for sign, body in terms[1:])


@settings(max_examples=25, deadline=None)
@given(st.integers(-2, 2), st.integers(-1, 1), st.integers(-1, 2), st.integers(-2, 1), st.sampled_from(["1", "k", "j"]))
def test_a_nested_sum_is_never_given_karrs_closed_form(low, top, inner_low, inner_top, body):
    # \sum_{j=low}^{N+top} \sum_{k=inner_low}^{j+inner_top} body: an empty sum is 0.  SymPy's closed form
    # follows Karr (a reversed range counts negatively); where it differs from the sum at some size it
    # must never be proved or tested (it was proved: an outer index from 0 or below was taken as >= 0).
    N, j, k = sympy.symbols("N j k", integer=True)
    term = {"1": sympy.S.One, "k": k, "j": j}[body]
    karr = sympy.expand(sympy.summation(sympy.summation(term, (k, inner_low, j + inner_top)), (j, low, N + top)))

    def direct(n: int) -> int:
        return sum(int(term.subs({j: jj, k: kk})) for jj in range(low, n + top + 1)
                   for kk in range(inner_low, jj + inner_top + 1))

    def bound(symbol: str, shift: int) -> str:
        return symbol if shift == 0 else f"{symbol}{shift:+d}"

    display = (f"\\sum_{{j={low}}}^{{{bound('N', top)}}} \\sum_{{k={inner_low}}}^{{{bound('j', inner_top)}}} {body}"
               f" = {_polynomial_latex(karr, N)}")
    (verdict,) = verdicts(display, symbols="  x: vector N")
    if any(karr.subs(N, n) != direct(n) for n in range(1, 12)):
        assert verdict == "refuted", (display, verdict)
    else:
        assert verdict in ("proved", "tested"), (display, verdict)
