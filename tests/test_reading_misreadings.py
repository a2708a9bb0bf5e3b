"""Silent misreadings of notation (docs/format.md): text a mathematician reads one way that deriv
read another, each now an error that says what to write, or the reader's reading.

Each case says what deriv did before (the bug) and pins the verdict (and the words of the message)
now; differential tests check that two spellings a reader takes to be the same get the same
verdict on true and false steps alike.
"""

from __future__ import annotations

import pytest

import deriv
from deriv.check.options import CheckOptions
from helpers import front_matter

PROVED, TESTED, REFUTED, ERROR = "proved", "tested", "refuted", "error"


def steps_of(symbols: dict[str, str], *maths: str, definitions: tuple[str, ...] = ()):
    text = front_matter(symbols, definitions, quoted=True) + "\n\n".join(f"$$ {m} $$" for m in maths) + "\n"
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return result.steps


def verdict(symbols: dict[str, str], math: str, definitions: tuple[str, ...] = ()) -> tuple[str, str]:
    (step,) = steps_of(symbols, math, definitions=definitions)
    return str(step.verdict), step.message or ""


def expect(symbols: dict[str, str], math: str, expected: str) -> None:
    """The one step of ``math`` under ``symbols`` gets ``expected`` (its message shown if not)."""
    found, message = verdict(symbols, math)
    assert found == expected, message


def expect_error(symbols: dict[str, str], math: str, *phrases: str) -> None:
    """The one step of ``math`` is an error whose message says each of ``phrases``."""
    found, message = verdict(symbols, math)
    assert found == ERROR, message
    for phrase in phrases:
        assert phrase in message


VECTORS = {"x": "vector N", "y": "vector N", "c": "scalar"}


# -- a \prod's scope ------------------------------------------------------------------------------
# Found: a \prod bound every factor after it, so \prod_i x_i \prod_j y_j was \prod_i (x_i \prod_j y_j)
# = (\prod x)(\prod y)^N: "= (\prod_i x_i)(\prod_j y_j)" was refuted and "= \prod_i x_i (\prod_j y_j)^N"
# proved, where a reader sees the product of two products.  (For a \sum either reading is the same.)

@pytest.mark.parametrize("math", [
    r"\prod_i x_i \prod_j y_j = (\prod_i x_i)(\prod_j y_j)",
    r"\prod_i x_i \prod_j y_j = \prod_i x_i (\prod_j y_j)^N",
    r"\prod_i x_i c = c \prod_i x_i",
    r"\prod_i x_i \cdot c = c^N \prod_i x_i",
    r"\prod_{i=1}^{N} x_i \sum_j y_j = 0",
    r"\sum_j \prod_i x_i y_j = 0",
])
def test_a_factor_without_the_index_after_a_products_terms_is_an_error(math: str) -> None:
    expect_error(VECTORS, math, "does not use the product's index", "(\\prod_i x_i) c")


@pytest.mark.parametrize(("math", "expected"), [
    (r"\prod_i 2 x_i = 2^N \prod_i x_i", PROVED),        # a leading factor is inside: each term doubled
    (r"\prod_i c x_i = c \prod_i x_i", REFUTED),
    (r"(\prod_i x_i) c = c \prod_i x_i", PROVED),
    (r"\prod_i (x_i c) = c^N \prod_i x_i", PROVED),
    (r"\prod_i x_i y_i = (\prod_i x_i)(\prod_j y_j)", PROVED),
    (r"\prod_i x_i \sum_i y_i = 0", ERROR),              # the inner sum rebinds i: no use of the product's i
    (r"\sum_i x_i \prod_j y_j = (\prod_j y_j) \sum_i x_i", PROVED),
    (r"\prod_i x_i - c = -c + \prod_j x_j", PROVED),    # the body ends at -
])
def test_a_products_scope_as_a_reader_sees_it(math: str, expected: str) -> None:
    expect(VECTORS, math, expected)


# -- ^T where T is a size or a declared scalar ------------------------------------------------------
# Found: with T a size or a scalar, c^T and (x_i)^T were errors (a power?), but x_i^T of a vector x was
# read as entry i of x^T, so \sum_i x_i^T = \sum_i x_i was proved where a reader sees a sum of T-th powers.

@pytest.mark.parametrize("t_kind", ["scalar", "positive integer"])
@pytest.mark.parametrize("math", [r"\sum_i x_i^T = \sum_i x_i", r"x^T_i = x_i", r"x_{i}^{T} = x_i"])
def test_an_entry_of_a_vector_to_the_t_is_an_error_where_t_names_something(t_kind: str, math: str) -> None:
    expect_error({"x": "vector N", "T": t_kind}, math, "x_{i}^T: x_{i} is a scalar", "x_{i}^{(T)} for the power")


@pytest.mark.parametrize(("symbols", "math", "expected"), [
    ({"x": "vector N", "T": "scalar"}, r"x_i^\top = x_i", PROVED),          # \top is never a power
    ({"x": "vector N", "T": "scalar"}, r"[x^T]_i = x_i", PROVED),
    ({"x": "vector N", "T": "scalar"}, r"\sum_i x_i^{(T)} = \sum_i x_i", REFUTED),
    ({"x": "vector N"}, r"x_i^T = x_i", PROVED),                             # T names nothing: a transpose
    ({"x": "vector T", "A": "matrix T x T"}, r"A^T_{i,j} = A_{j,i}", PROVED),  # a matrix's entry of its transpose
    ({"x": "vector T", "A": "matrix T x T"}, r"A_{i,j}^T = A_{j,i}", PROVED),  # as the seed notes write W_{k,j}^T
    ({"h": "vector H, for t in 0..T"}, r"h_T^T h_T = \sum_i [h_T]_i^2", PROVED),  # a member's transpose
])
def test_transposes_beside_a_named_t_that_stay(symbols: dict[str, str], math: str, expected: str) -> None:
    expect(symbols, math, expected)


# -- a factor written after a / divisor -------------------------------------------------------------
# Found: a / b c was (a/b) c, so "1/2 c = \frac{c}{2}" and "a / b c = \frac{a}{b} c" were proved, where
# readers for whom writing side by side binds tighter (1/2x) see a/(b c).

@pytest.mark.parametrize("math", [
    r"a / b c = \frac{a}{b} c", r"a / b c = \frac{a}{b c}", r"1/2 c = \frac{c}{2}",
    r"a / 2 \sum_i x_i = 0", r"x^T y / 2 c = 0",
])
def test_a_factor_right_after_a_divisor_is_an_error(math: str) -> None:
    expect_error({"a": "scalar", "b": "scalar", "c": "scalar", "x": "vector N", "y": "vector N"}, math, "right after a / divisor reads two ways", "\\frac{a}{b c}")


@pytest.mark.parametrize(("math", "expected"), [
    (r"a / b \cdot c = \frac{a}{b} c", PROVED),       # an explicit \cdot: left to right
    (r"a / (b c) = \frac{a}{b c}", PROVED),
    (r"a / (b + c) b = \frac{a b}{b + c}", PROVED),   # a bracketed divisor ends where it shows
    (r"a b / c = \frac{a b}{c}", PROVED),
    (r"a / 2 = \frac{a}{2}", PROVED),
])
def test_divisions_that_read_one_way(math: str, expected: str) -> None:
    expect({"a": "positive scalar", "b": "positive scalar", "c": "positive scalar"}, math, expected)


# -- echoes show what was written ---------------------------------------------------------------------
# Found: a step was echoed with deriv's respellings, which a renderer misreads or refuses: \left|A\right|
# as \left\abs{A\right}, b^{(l) T} as b^{(l)}^T (a double superscript to TeX), \sigma_j^2 as \sigma^2_{j}.

@pytest.mark.parametrize(("symbols", "math", "sides"), [
    ({"A": "matrix N x N"}, r"\ln\left|A\right| = \log\det A", (r"\ln\left|A\right|", r"\log\det A")),
    ({"a": "scalar", "b": "scalar"}, r"|a||b| = \lvert a b \rvert", (r"|a||b|", r"\lvert a b \rvert")),
    ({"x": "vector N"}, r"\|x\|_2^2 = \left\Vert x \right\Vert_2^2", (r"\|x\|_2^2", r"\left\Vert x \right\Vert_2^2")),
    ({"b^{(l)}": "vector N"}, r"b^{(l) T} b^{(l)} = \sum_i (b_i^{(l)})^2", (r"b^{(l) T} b^{(l)}", r"\sum_i (b_i^{(l)})^2")),
    ({"W^{[2]}": "matrix N x N", "x": "vector N"}, r"W^{[2]T} x = (W^{[2]})^T x", (r"W^{[2]T} x", r"(W^{[2]})^T x")),
    ({"\\sigma^2": "vector N"}, r"\sigma_j^2 = \sigma^{2}_{j}", (r"\sigma_j^2", r"\sigma^{2}_{j}")),
])
def test_a_step_is_echoed_as_written(symbols: dict[str, str], math: str, sides: tuple[str, str]) -> None:
    (step,) = steps_of(symbols, math)
    assert (step.lhs, step.rhs) == sides
    assert str(step.verdict) in (PROVED, TESTED), step.message


# -- reach: e^{...} with an index in the exponent is \exp ---------------------------------------------
# Was: "exponents may not carry indices" for e^{-z_i}, the way the logistic function is written.

@pytest.mark.parametrize(("math", "expected"), [
    (r"e^{-z_i} = \exp(-z_i)", PROVED),
    (r"\frac{1}{1 + e^{-z_i}} = \sigma(z_i)", PROVED),
    (r"\frac{\partial}{\partial z_k} \sum_i e^{z_i} = e^{z_k}", PROVED),
    (r"\frac{\partial}{\partial z_k} \sum_i e^{2 z_i} = e^{z_k}", REFUTED),
    (r"e^{z_i + c} = e^c e^{z_i}", PROVED),
    (r"(e^{z_i})^2 = e^{2 z_i}", PROVED),
    (r"e^{z_i} = e^{-z_i}", REFUTED),
])
def test_e_to_an_indexed_exponent_is_its_exponential(math: str, expected: str) -> None:
    expect({"z": "vector N", "c": "scalar"}, math, expected)


def test_another_base_to_an_indexed_exponent_stays_an_error() -> None:
    assert verdict({"z": "vector N"}, r"2^{z_i} = 1") == (ERROR, "left side: exponents may not carry indices")


def test_a_declared_e_is_no_exponential() -> None:
    found, message = verdict({"z": "vector N", "e": "scalar"}, r"e^{z_i} = \exp(z_i)")
    assert found == ERROR and "exponents may not carry indices" in message


# -- x_{(1)}: an order statistic to a statistician -----------------------------------------------------
# Found: x_{(1)} was entry 1 of x, so x_{(1)} = x_1 was proved where a statistician reads the smallest entry.

@pytest.mark.parametrize("math", [r"x_{(1)} = x_1", r"x_{(N)} = x_N", r"\sum_{i=1}^{N} x_{(i)} y_i = x^T y"])
def test_a_subscript_in_parentheses_is_an_error(math: str) -> None:
    found, message = verdict(VECTORS, math)
    assert found == ERROR and "is an order statistic (the smallest entry)" in message


@pytest.mark.parametrize(("math", "expected"), [
    (r"x_{(1)} + x_1 = x_1 + x_{(1)}", PROVED),     # declared as a name: that name
    (r"x_{(1)} = x_1", REFUTED),
    (r"\sum_{i=1}^{N-1} x_{(i-1)+2} = \sum_{i=2}^{N} x_i", PROVED),  # brackets inside an affine subscript
])
def test_a_declared_parenthesised_name_and_brackets_inside_a_subscript(math: str, expected: str) -> None:
    expect({"x": "vector N", "x_{(1)}": "scalar"}, math, expected)


# -- A_{i,j}^{-1}: the entry's reciprocal or an entry of the inverse -----------------------------------
# Found: A_{i,j}^{-1} was entry (i,j) of A^{-1}, so "= [A^{-1}]_{i,j}" was proved and "= \frac{1}{A_{i,j}}"
# refuted, where the subscript written first makes it a power of the entry, as A_{i,j}^2 is the entry squared.

@pytest.mark.parametrize("math", [
    r"A_{i,j}^{-1} = \frac{1}{A_{i,j}}", r"A_{i,j}^{-1} = [A^{-1}]_{i,j}", r"A_{ij}^{-T} = [A^{-1}]_{j,i}",
    r"\frac{\partial \log\det A}{\partial A_{i,j}} = A_{j,i}^{-1}",
])
def test_an_entry_to_the_minus_one_is_an_error(math: str) -> None:
    expect_error({"A": "matrix N x N"}, math, "reads two ways: a power of the entry", "for the second")


@pytest.mark.parametrize(("math", "expected"), [
    (r"A^{-1}_{i,j} = [A^{-1}]_{i,j}", PROVED),        # the superscript first: an entry of the inverse
    (r"A^{-T}_{i,j} = [A^{-1}]_{j,i}", PROVED),
    (r"(A^{-1})_{i,j} = [A^{-1}]_{i,j}", PROVED),
    (r"(A_{i,j})^{-1} = \frac{1}{A_{i,j}}", PROVED),
    (r"x_i^{-1} x_i = 1", PROVED),                     # a vector has no inverse: the entry's reciprocal
])
def test_inverses_and_reciprocals_that_read_one_way(math: str, expected: str) -> None:
    expect({"A": "matrix N x N", "x": "positive vector N"}, math, expected)


# -- a \sum right after an operator without brackets ---------------------------------------------------
# The log-sum-exp as notes write it, \log \sum_j \exp(z_j): the operator takes the whole sum (whose body
# runs to the next + or -, as for any \sum).  A power of the operator (\tanh^2 \sum) or a \sqrt (TeX
# roots the \sum sign alone) still asks for brackets.

@pytest.mark.parametrize(("math", "expected"), [
    (r"\log \sum_j \exp(z_j) = \log\left(\sum_k \exp(z_k)\right)", PROVED),
    (r"\log \sum_j e^{z_j} - z_1 = \log\left(\sum_j e^{z_j}\right) - z_1", PROVED),
    (r"\log \sum_j e^{z_j} - z_1 = \log\left(\sum_j (e^{z_j} - z_1)\right)", REFUTED),
    (r"2 \log \sum_j e^{z_j} = \log\left(\left(\sum_j e^{z_j}\right)^2\right)", TESTED),  # log of a power: tested, not proved
    (r"\exp \sum_j z_j = \prod_j e^{z_j}", TESTED),
    (r"\log \prod_j e^{z_j} = \sum_j z_j", TESTED),
])
def test_an_operator_right_before_a_sum_takes_the_whole_sum(math: str, expected: str) -> None:
    assert verdict({"z": "vector N"}, math)[0] == expected


@pytest.mark.parametrize(("math", "shown"), [(r"\tanh^2 \sum_j z_j = 0", r"\tanh")])
def test_a_sum_right_after_a_power_of_an_operator_asks_for_brackets(math: str, shown: str) -> None:
    expect_error({"z": "vector N"}, math, f"\\sum right after {shown} without brackets: write {shown}\\left(\\sum_{{...}} ...\\right)")


def test_a_bracketed_sum_after_an_operator_reads() -> None:
    assert verdict({"z": "vector N"}, r"\log\left(\sum_j \exp(z_j)\right) = \log(\sum_k e^{z_k})")[0] == PROVED


# -- reach: bars written twice for a norm --------------------------------------------------------------
# Was: "unexpected '}'" for ||x||, \left|\left|X\right|\right| and \left| |a| \right| (the bars paired as an
# empty |.|).  A bare || is a norm's bar where no absolute value is open; |a||b| stays a product.

@pytest.mark.parametrize(("math", "expected"), [
    (r"\left|\left|X\right|\right|_F^2 = \operatorname{tr}(X^T X)", PROVED),
    (r"||x||_2^2 = x^T x", PROVED),
    (r"\left| \left| x \right| \right|_2 = \|x\|_2", PROVED),
    (r"|| X ||_F^2 = \sum_{i,j} X_{i,j}^2", PROVED),
    (r"||x||_2 ||y||_2 = \|x\|_2 \|y\|_2", PROVED),
    (r"||x||_2^2 = x^T y", REFUTED),
    (r"\left| |c| \right| = |c|", PROVED),
    (r"|\,|c|\,| = |c|", PROVED),
    (r"|c||c| = c^2", TESTED),          # |c|^2 = c^2: true, not shown symbolically
    (r"|c||c| = c", REFUTED),
    (r"|c|c|| = 0", ERROR),             # crossed bars stay an error
])
def test_double_bars(math: str, expected: str) -> None:
    expect({"X": "matrix N x M", "x": "vector N", "y": "vector N", "c": "scalar"}, math, expected)


# -- a summed index used again after its sum ends at + ------------------------------------------------
# Found: \sum_i x_i + y_i was (\sum_i x_i) + y_i, so "= y_i + \sum_j x_j" was proved and "= \sum_i (x_i + y_i)"
# refuted, where many readers take i to run on to y_i.

@pytest.mark.parametrize("math", [
    r"\sum_i x_i + y_i = y_i + \sum_j x_j",
    r"\sum_i x_i + y_i = \sum_i (x_i + y_i)",
    r"\sum_i x_i^2 - 2 x_i y_i + y_i^2 = \sum_i (x_i - y_i)^2",
    r"2 \sum_i x_i - x_i = 0",
    r"c + \sum_{i=1}^{N} x_i y_i + x_i = 0",
])
def test_a_summed_index_after_its_sum_is_an_error(math: str) -> None:
    expect_error(VECTORS, math, "i is summed by the \\sum before this term", "\\sum_i (x_i + y_i)")


@pytest.mark.parametrize(("math", "expected"), [
    (r"\sum_i x_i + \sum_i y_i = \sum_i (x_i + y_i)", PROVED),   # the second sum binds i again
    (r"\sum_i (x_i + y_i) = \sum_j x_j + \sum_k y_k", PROVED),
    (r"\sum_{i=1}^{N} x_i + N = N + \sum_i x_i", PROVED),
    (r"\sum_i x_i + y_j = y_j + \sum_i x_i", PROVED),              # another index: a free one
])
def test_sums_followed_by_terms_that_read_one_way(math: str, expected: str) -> None:
    expect(VECTORS, math, expected)


# -- reach: \max and \min say what to write ----------------------------------------------------------------
@pytest.mark.parametrize(("math", "words"), [
    (r"\max(a, b) = a", r"\max is not supported: for two scalars write \frac{a + b + |a - b|}{2} for \max(a, b)"),
    (r"\min(a, b) = a", r"\min is not supported: for two scalars write \frac{a + b - |a - b|}{2} for \min(a, b)"),
])
def test_max_and_min_say_what_to_write(math: str, words: str) -> None:
    found, message = verdict({"a": "scalar", "b": "scalar"}, math)
    assert found == ERROR and words in message


def test_the_written_maximum_reads() -> None:
    found, message = verdict({"a": "scalar", "b": "scalar"}, r"\frac{a + b + |a - b|}{2} - \frac{a + b - |a - b|}{2} = |a - b|")
    assert found == PROVED, message


@pytest.mark.parametrize("dots", [r"\cdots", r"\dots", r"\ldots"])
def test_an_ellipsis_says_to_write_a_sum(dots: str) -> None:
    found, message = verdict({"x": "vector N"}, f"x_1 + {dots} + x_N = \\sum_i x_i")
    assert found == ERROR and "does not guess the terms an ellipsis leaves out" in message


# -- a derivative operator's body ends at + ------------------------------------------------------------
# Found: \frac{d}{da} a^2 + a was (\frac{d}{da} a^2) + a, so "= 3a" was proved and "= 2a + 1" refuted, where
# readers who take the operator to apply to the rest see 2a + 1.

@pytest.mark.parametrize("math", [
    r"\frac{d}{da} a^2 + a = 3 a",
    r"\frac{d}{da} a^2 + a = 2 a + 1",
    r"\frac{\partial}{\partial a} a^2 + b = 2 a + b",
    r"-\frac{\partial}{\partial a} a^2 b - a = 0",
    r"2 \frac{\mathrm{d}}{\mathrm{d} a} a^3 + b = 6 a^2 + b",
    r"\frac{\partial}{\partial x_k} \sum_i x_i^2 + x_k = 3 x_k",
])
def test_a_term_after_a_derivative_operator_is_an_error(math: str) -> None:
    expect_error({"a": "scalar", "b": "scalar", "x": "vector N"}, math, "a derivative operator's body ends at the next + or -")


@pytest.mark.parametrize(("math", "expected"), [
    (r"\frac{d}{da}\left(a^2 + a\right) = 2 a + 1", PROVED),
    (r"b + \frac{d}{da} a^2 = 2 a + b", PROVED),            # the operator last: its body runs to the end
    (r"\frac{d a^2}{da} + a = 3 a", PROVED),                # a derivative as a fraction ends where it shows
    (r"\frac{\partial a^2 b}{\partial a} - b = 2 a b - b", PROVED),
    (r"\frac{d}{da} a^2 \cdot a = 3 a^2", PROVED),
])
def test_derivatives_that_read_one_way(math: str, expected: str) -> None:
    expect({"a": "scalar", "b": "scalar"}, math, expected)


def test_a_declared_d_is_no_operator() -> None:
    found, message = verdict({"a": "positive scalar", "d": "positive scalar"}, r"\frac{d}{d a} a + a = 1 + a")
    assert found == PROVED, message


# -- \nabla takes one factor -------------------------------------------------------------------------------
# Found: \nabla_w \frac{1}{2} w^T w was (\nabla_w \frac{1}{2}) w^T w, a zero vector times w^T w, so "= 0" was
# proved and "= w" refuted, where a reader sees the gradient of the whole product.

@pytest.mark.parametrize("math", [
    r"\nabla_w c w^T w = 2 c w", r"\nabla_w w^T A w = (A + A^T) w", r"\nabla_w w^T w \cdot c = 0",
])
def test_a_factor_after_a_gradients_own_is_an_error(math: str) -> None:
    found, message = verdict({"w": "vector N", "c": "scalar", "A": "matrix N x N"}, math)
    assert found == ERROR and "\\nabla applies to the one factor after it" in message


@pytest.mark.parametrize(("math", "expected"), [
    # A number as the gradient's own factor: the gradient of the number alone (0) is no one's reading.
    (r"\nabla_w \frac{1}{2} w^T w = w", PROVED),
    (r"\nabla_w \frac{1}{2} w^T w = 0", REFUTED),
    (r"\nabla_w \frac{1}{2}\|w\|_2^2 = w", PROVED),
    (r"\nabla_w 2 w^T A w = 2 (A + A^T) w", PROVED),
    (r"\nabla_w \frac{1}{2} w^T A w = A w", REFUTED),  # A is not symmetric
    (r"\nabla_w \frac{1}{2} w^T w \cdot 2 = 2 w", PROVED),
    (r"\nabla_w \frac{1}{2} w^T w + c = w + c \mathbf{1}", PROVED),  # the product ends at +
])
def test_a_gradient_of_a_number_times_a_product_takes_the_whole_product(math: str, expected: str) -> None:
    expect({"w": "vector N", "c": "scalar", "A": "matrix N x N"}, math, expected)


@pytest.mark.parametrize(("math", "expected"), [
    (r"\nabla_w \left(\frac{1}{2} w^T w\right) = w", PROVED),
    (r"\nabla_w (w^T A w) = (A + A^T) w", PROVED),
    (r"\nabla_w \|w\|_2^2 = 2 w", PROVED),
    (r"c \nabla_w (w^T w) = 2 c w", PROVED),
])
def test_gradients_that_read_one_way(math: str, expected: str) -> None:
    expect({"w": "vector N", "c": "scalar", "A": "matrix N x N"}, math, expected)


def test_a_message_names_vec_as_written_never_the_accent() -> None:
    found, message = verdict({"A": "matrix N x N", "X": "matrix N x N"}, r"\operatorname{vec} A X = 0")
    assert found == ERROR and "write \\operatorname{vec}(...)" in message and "\\vec" not in message


# -- found, not fixed: reach and messages (strict xfails, each with its diagnosis) ------------------------

# -- an I (or \mathbf{1}) nothing else sizes, in a member after the chain has a shape, is that shape --------
# Was: "the size of the identity I is not clear here" for A^{-1} A = I and 2 I; a member must have the chain's
# shape, so an implicit operand nothing else sizes takes it (exactly one fits, or the same error says why not).

@pytest.mark.parametrize(("math", "expected"), [
    (r"A^{-1} A = I", PROVED), (r"(A^{-1} A)^T = I^T", PROVED), (r"A A^{-1} = I = A^{-1} A", PROVED),
    (r"B B^T = I", REFUTED), (r"B^T B = I", REFUTED),  # N x N and M x M: sized, and not the identity
    (r"A = I", REFUTED), (r"x = \mathbf{1}", REFUTED),
    (r"A^{-1} (2 A) = 2 I", PROVED), (r"A + A = 2 I", REFUTED), (r"x = 2 \mathbf{1}", REFUTED),
    (r"x^T x = \mathbf{1}^T \mathbf{1}", ERROR),  # a scalar chain sizes no ones vector
    (r"x - x = \mathbf{1}^T", ERROR),  # a row of ones is no vector N
])
def test_a_lone_identity_takes_the_chains_shape(math: str, expected: str) -> None:
    found = [str(s.verdict) for s in steps_of({"A": "matrix N x N", "B": "matrix N x M", "x": "vector N"}, math)]
    assert found == [expected] * len(found)


@pytest.mark.parametrize(("math", "expected"), [
    (r"I = A A^{-1}", [PROVED]),
    (r"I = A^{-1} A = A A^{-1}", [PROVED, PROVED]),
    (r"I = B^T B", [REFUTED]),  # I takes M x M from the member after it, and B^T B is not I
    (r"\mathbf{1} = x", [REFUTED]),
    (r"\mathbf{1}^T = x^T", [REFUTED]),
    (r"\mathbf{1} \mathbf{1}^T = x x^T", [REFUTED]),
    (r"2 I = A + A", [REFUTED]),
    (r"I = B", [ERROR]),  # no identity is N x M
    (r"I = x", [ERROR]),
    (r"I = 2 I", [ERROR]),  # nothing sizes either side
])
def test_an_identity_as_the_first_member_takes_the_other_sides_size(math: str, expected: list[str]) -> None:
    symbols = {"A": "matrix N x N", "B": "matrix N x M", "x": "vector N"}
    assert [str(s.verdict) for s in steps_of(symbols, math)] == expected


@pytest.mark.parametrize(("math", "expected"), [
    (r"\sum_i -x_i = -\sum_i x_i", PROVED),
    (r"\sum_i + x_i = \sum_i x_i", PROVED),
    (r"\sum_i - x_i y_i = -x^T y", PROVED),
    (r"\sum_i -\sum_j x_i y_j = -\sum_i \sum_j x_i y_j", PROVED),
    (r"\sum_i -x_i + c = c - \sum_i x_i", PROVED),  # the body still ends at the next + or -
    (r"\sum_i -x_i + c = -\sum_i (x_i + c)", REFUTED),
    (r"\sum_i -x_i + x_i = 0", ERROR),  # x_i past its sum: the index is used again
])
def test_a_sign_at_the_start_of_a_sums_body_reads(math: str, expected: str) -> None:
    expect({"x": "vector N", "y": "vector N", "c": "scalar"}, math, expected)


def test_a_dot_between_vectors_says_to_write_the_inner_product() -> None:
    found, message = verdict({"x": "vector N", "y": "vector N"}, r"x \cdot y = x^T y")
    assert found == ERROR and "write x^T y" in message


@pytest.mark.parametrize(("math", "expected"), [
    (r"\left| |a| - |b| \right| = \left| |b| - |a| \right|", PROVED),
    (r"\left| |a| - |b| \right| = |a - b|", REFUTED),  # read as written, never as |a| - |b| with stray bars
    (r"\lvert |a| - b \rvert = \lvert b - |a| \rvert", PROVED),
    (r"\left\| \|x\| y \right\| = \|x\| \|y\|", TESTED),
    (r"\left\| \|x\| y \right\| = \|x\| y", ERROR),  # a vector against a scalar: shapes differ
    (r"\left| a | b \right| = 0", ERROR),  # a bare bar inside \left| ... \right| never closes it
])
def test_absolute_values_inside_bracketing_bars(math: str, expected: str) -> None:
    expect({"a": "scalar", "b": "scalar", "x": "vector N", "y": "vector N"}, math, expected)


# -- a declared word written bare: its letters multiplied, or the name? ------------------------------------
# Was: with xy, x and y declared, `xy = x y` was proved (the letters, while the front matter named xy).

WORDS = {"xy": "scalar", "x": "scalar", "y": "scalar", "lr": "scalar", "w": "vector N"}


@pytest.mark.parametrize("math", [
    r"xy = x y", r"2 xy = x y + x y", r"xyx = x^2 y", r"w - lr w = (1 - \mathrm{lr}) w",
    r"\frac{xy}{2} = \frac{x y}{2}", r"x_{lr} = x", r"(xy)^2 = x^2 y^2", r"clr = c l r",
])
def test_a_run_of_letters_holding_a_declared_word_is_an_error(math: str) -> None:
    expect_error({**WORDS, "c": "scalar", "l": "scalar", "r": "scalar"}, math, "would be read as the letters",
                 "is written \\mathrm{")


@pytest.mark.parametrize(("math", "expected"), [
    (r"\mathrm{xy} = x y", REFUTED), (r"\mathrm{xy} = \text{xy}", PROVED), (r"x y = y x", PROVED),
    (r"w - \mathrm{lr} w = (1 - \operatorname{lr}) w", PROVED), (r"y x = x y", PROVED),
])
def test_declared_words_in_roman_and_letters_apart_still_read(math: str, expected: str) -> None:
    expect(WORDS, math, expected)


def test_letters_run_together_with_no_word_declared_stay_their_product() -> None:
    expect({"x": "scalar", "y": "scalar"}, r"xy = x y", PROVED)
